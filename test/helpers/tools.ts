import { execFileSync } from 'child_process';

/**
 * Whether a Debian tool is on PATH. Tests that need one skip with a clear
 * message when it is missing, except under CI (CI=true, or CLOVER_REQUIRE_TOOLS=1
 * as set by .ci/run after installing the tools), where they must run.
 */
export function hasTool(command: string, versionArg = '--version'): boolean {
  try {
    execFileSync(command, [versionArg], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    if (process.env.CLOVER_REQUIRE_TOOLS === '1' || process.env.CI === 'true') {
      throw new Error(
        `${command} is required under CI (scripts/install-test-tools.sh installs it) but was not found`,
      );
    }
    process.stderr.write(
      `SKIP: ${command} is not installed; run scripts/install-test-tools.sh to run these tests\n`,
    );
    return false;
  }
}
