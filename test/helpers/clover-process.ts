import { spawn } from 'child_process';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

export interface CloverInvocation {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `node cli/clover.js …` as a child process, as a user runs it (async, so
 * servers of the test keep running in this process); killed after 55 s.
 */
export function cloverProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CloverInvocation> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'cli', 'clover.js'), ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 55_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}
