import { Command } from 'commander';
import { run } from '../../cli/main';
import * as commands from '../../cli/commands';

describe('clover main', () => {
  test('turns an unexpected error into one line and exit 2, without a stack trace', async () => {
    const register = jest.spyOn(commands, 'registerCommands').mockImplementation((program: Command) => {
      program.command('boom').action(() => {
        throw new TypeError('cannot read x of undefined');
      });
    });
    const chunks: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    try {
      const code = await run(['node', 'clover', 'boom']);
      expect(code).toBe(2);
      expect(chunks.join('')).toMatch(
        /^clover: internal error: cannot read x of undefined; this is a Clover bug/,
      );
      expect(chunks.join('')).not.toMatch(/\n\s+at /);
    } finally {
      write.mockRestore();
      register.mockRestore();
    }
  });
});
