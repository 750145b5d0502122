import { Command } from 'commander';
import { run } from '../../cli/main';
import * as commands from '../../cli/commands';
import { captureOutput } from '../helpers/output';

describe('clover main', () => {
  test('turns an unexpected error into one line and exit 2, without a stack trace', async () => {
    const register = jest.spyOn(commands, 'registerCommands').mockImplementation((program: Command) => {
      program.command('boom').action(() => {
        throw new TypeError('cannot read x of undefined');
      });
    });
    try {
      const { result: code, stderr } = await captureOutput(() => run(['node', 'clover', 'boom']));
      expect(code).toBe(2);
      expect(stderr).toMatch(/^clover: internal error: cannot read x of undefined; this is a Clover bug/);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      register.mockRestore();
    }
  });
});
