import { Command } from 'commander';
import { run } from '../../cli/main';
import { captureOutput } from '../helpers/output';

describe('clover main', () => {
  test('turns an unexpected error into one line and exit 2, without a stack trace', async () => {
    const register = (program: Command) => {
      program.command('boom').action(() => {
        throw new TypeError('cannot read x of undefined');
      });
    };
    const { result: code, stderr } = await captureOutput(() => run(['node', 'clover', 'boom'], register));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^clover: internal error: cannot read x of undefined; this is a Clover bug/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
