import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveOptions } from '../../../cli/audit/options';
import { runAudit } from '../../../cli/audit/run';
import { templateBytes } from '../../../cli/audit/inputs';
import {
  errorOf,
  RuntimeProofWorker,
  sentError,
  WORKER_THRESHOLD_BYTES,
} from '../../../cli/audit/runtime-worker';
import { AuditInputError } from '../../../cli/audit/errors';
import { readInputs } from '../../../cli/audit/inputs';
import { auditJson, FIXED_EPOCH, FIXTURES, REPO } from './cli';

jest.setTimeout(120_000);

/**
 * A small cdk.out of three stacks in one account: two copies of a template
 * whose resource policy lets a forbidden principal in (CLV-RUN-3), one of
 * them acknowledged, and a compliant one. The runtime flow proof has
 * findings, an acknowledged finding and rows for every stack.
 */
function writeAssembly(directory: string): void {
  const template = (name: string) => fs.readFileSync(path.join(REPO, FIXTURES, name), 'utf8');
  const stacks: Record<string, string> = {
    Open: template('violation-access.json'),
    Waived: template('violation-access.json'),
    Compliant: template('compliant.json'),
  };
  const artifacts: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(directory, `${name}.template.json`), text);
    const resources = Object.keys((JSON.parse(text) as { Resources: object }).Resources);
    const metadata: Record<string, unknown[]> = {};
    for (const id of resources)
      metadata[`/${name}/${id}/Resource`] = [{ type: 'aws:cdk:logicalId', data: id }];
    if (name === 'Waived') {
      metadata[`/${name}/EmployeeRole`] = [
        {
          type: 'clover:acknowledgment',
          data: {
            rule: 'CLV-RUN-3',
            reason: 'test: the worker maps acknowledgments back',
            expires: '2099-12-31',
          },
        },
      ];
    }
    fs.writeFileSync(path.join(directory, `${name}.metadata.json`), JSON.stringify(metadata));
    artifacts[name] = {
      type: 'aws:cloudformation:stack',
      environment: 'aws://111111111111/eu-west-1',
      properties: { templateFile: `${name}.template.json`, stackName: `test-${name}` },
      additionalMetadataFile: `${name}.metadata.json`,
      displayName: name,
    };
  }
  fs.writeFileSync(path.join(directory, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
}

describe('the runtime flow proof in a worker thread', () => {
  let directory: string;
  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-runtime-worker-'));
    writeAssembly(directory);
  });
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  const options = (runtimeWorker: 'always' | 'never') => ({
    ...resolveOptions([directory], { format: 'json' }, { SOURCE_DATE_EPOCH: FIXED_EPOCH }),
    runtimeWorker,
  });

  test('gives the report the in-process proof gives (TypeScript sources: the worker loads them itself)', async () => {
    const inProcess = await runAudit(options('never'));
    // The worker started and answered (it did not fail into the in-process fallback).
    const started = jest.spyOn(RuntimeProofWorker, 'start');
    const answered = jest.spyOn(RuntimeProofWorker.prototype, 'outcome');
    const inWorker = await runAudit(options('always'));
    expect(started.mock.results[0].value).toBeInstanceOf(RuntimeProofWorker);
    expect(await answered.mock.results[0].value).toBeDefined();
    started.mockRestore();
    answered.mockRestore();
    expect(JSON.stringify(inWorker.report)).toBe(JSON.stringify(inProcess.report));
    expect([...inWorker.rules.keys()]).toEqual([...inProcess.rules.keys()]);
    // The case is worth comparing: findings, an acknowledged one mapped back to its stack's acknowledgment, rows.
    const report = inWorker.report;
    expect(report.findings.filter((f) => f.rule === 'CLV-RUN-3').map((f) => f.stack)).toContain('test-Open');
    expect(report.findings.some((f) => f.rule === 'CLV-RUN-3' && f.stack === 'test-Waived')).toBe(false);
    expect(report.acknowledgments.items.find((a) => a.rule === 'CLV-RUN-3')).toMatchObject({
      stack: 'test-Waived',
      resources: ['EmployeeRole'],
    });
    expect(new Set(report.runtimeFlows.items.map((row) => row.stack))).toEqual(
      new Set(['test-Open', 'test-Waived', 'test-Compliant']),
    );
  });

  test('gives the same report from the CLI bundle (CLOVER_AUDIT_WORKER forces either path)', async () => {
    const inProcess = await auditJson([directory], { CLOVER_AUDIT_WORKER: 'never' });
    const inWorker = await auditJson([directory], { CLOVER_AUDIT_WORKER: 'always', CLOVER_DEBUG: '1' });
    expect(inWorker.code).toBe(1);
    expect(inWorker.code).toBe(inProcess.code);
    // CLOVER_DEBUG=1 says when the worker answered, and would say so had it failed and the proof run in-process.
    expect(inWorker.stderr).toMatch(/the runtime proof's worker thread answered \d+ ms after it started/);
    expect(inWorker.stderr).not.toMatch(/in-process/);
    expect(inWorker.stdout).toBe(inProcess.stdout);
  });

  test('bad input is the same error either way: exit 2, one line', async () => {
    const missing = path.join(directory, 'nothing-here');
    const inProcess = await auditJson([missing], { CLOVER_AUDIT_WORKER: 'never' });
    const inWorker = await auditJson([missing], { CLOVER_AUDIT_WORKER: 'always' });
    expect(inWorker.code).toBe(2);
    expect(inWorker.stderr).toBe(inProcess.stderr);
  });

  test('a worker that read other stacks (the inputs changed) is not believed: the proof runs in-process', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-runtime-worker-other-'));
    try {
      writeAssembly(other);
      fs.rmSync(path.join(other, 'Compliant.template.json'));
      fs.writeFileSync(
        path.join(other, 'manifest.json'),
        JSON.stringify({
          version: '55.0.0',
          artifacts: Object.fromEntries(
            Object.entries(
              (
                JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8')) as {
                  artifacts: Record<string, unknown>;
                }
              ).artifacts,
            ).filter(([name]) => name !== 'Compliant'),
          ),
        }),
      );
      const resolved = options('never');
      const { evaluateInputs } = await import('../../../cli/audit/evaluate');
      const { inputs, problems } = readInputs([directory]);
      const reference = await evaluateInputs(inputs, resolved, problems);
      const worker = RuntimeProofWorker.start({ ...resolved, inputs: [other] })!;
      const answered = jest.spyOn(RuntimeProofWorker.prototype, 'outcome');
      try {
        const result = await evaluateInputs(inputs, resolved, problems, [], worker);
        expect(await answered.mock.results[0].value).toBeUndefined();
        expect(JSON.stringify(result.report)).toBe(JSON.stringify(reference.report));
      } finally {
        answered.mockRestore();
        worker.dispose();
      }
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test("the proof's errors cross the thread as they are: bad input stays bad input, anything else keeps message, code and stack", () => {
    const input = errorOf(structuredClone(sentError(new AuditInputError('x.json: bad'))));
    expect(input).toBeInstanceOf(AuditInputError);
    expect(input.message).toBe('x.json: bad');
    const original = Object.assign(new TypeError('boom'), { code: 'ERR_X' });
    const crossed = errorOf(structuredClone(sentError(original))) as Error & { code?: string };
    expect(crossed).not.toBeInstanceOf(AuditInputError);
    expect([crossed.name, crossed.message, crossed.code, crossed.stack]).toEqual([
      'TypeError',
      'boom',
      'ERR_X',
      original.stack,
    ]);
  });

  test('small inputs stay in-process: the threshold counts template bytes only', () => {
    const bytes = templateBytes([directory]);
    const templates = fs
      .readdirSync(directory)
      .filter((name) => name.endsWith('.template.json'))
      .reduce((sum, name) => sum + fs.statSync(path.join(directory, name)).size, 0);
    expect(bytes).toBe(templates);
    expect(bytes).toBeLessThan(WORKER_THRESHOLD_BYTES);
    expect(templateBytes([directory], 10)).toBeGreaterThanOrEqual(10);
  });

  // In a child process: a thread's priority cannot be raised again, and the test runner's must not drop.
  // The child starts a worker first, as the audit does, and asks it for its nice value afterwards.
  const niceAfterYield = (prefix: string[], platform: string) => {
    const script = `const os = require('os'); const { Worker } = require('worker_threads');
      const { yieldToProof } = require('./cli/audit/runtime-worker');
      const worker = new Worker("require('worker_threads').parentPort.once('message', () => require('worker_threads').parentPort.postMessage(require('os').getPriority(0)))", { eval: true });
      const before = os.getPriority(0); const returned = yieldToProof(10, ${JSON.stringify(platform)});
      const after = os.getPriority(0);
      worker.once('message', (workerNice) => { process.stdout.write(JSON.stringify({ before, returned: returned ?? null, after, worker: workerNice })); worker.terminate(); });
      worker.postMessage('now');`;
    const child = spawnSync(
      prefix[0] ?? process.execPath,
      [
        ...prefix.slice(1),
        ...(prefix.length ? [process.execPath] : []),
        '-r',
        './scripts/register-ts.js',
        '-e',
        script,
      ],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect({ error: child.error?.message, stderr: child.stderr }).toEqual({ error: undefined, stderr: '' });
    return JSON.parse(child.stdout) as {
      before: number;
      returned: number | null;
      after: number;
      worker: number;
    };
  };
  // Where setpriority is refused (a seccomp sandbox) or `nice` is missing there is nothing to observe.
  const reniceable =
    process.platform === 'linux' &&
    spawnSync('nice', ['-n', '1', 'true']).status === 0 &&
    os.getPriority(0) < 10;

  (reniceable ? test : test.skip)(
    'on Linux the main thread yields to the proof: its nice value rises, the running worker keeps its own',
    () => {
      const base = os.getPriority(0);
      expect(niceAfterYield([], 'linux')).toEqual({ before: base, returned: 10, after: 10, worker: base });
      // Started nicer than that (`nice -n 15 clover audit`): left as it is.
      const nicer = Math.min(19, base + 15);
      expect(niceAfterYield(['nice', '-n', '15'], 'linux')).toEqual({
        before: nicer,
        returned: null,
        after: nicer,
        worker: nicer,
      });
      // Elsewhere setpriority names the whole process, worker included: nothing changes.
      expect(niceAfterYield([], 'darwin')).toEqual({
        before: base,
        returned: null,
        after: base,
        worker: base,
      });
    },
  );

  test('CLOVER_AUDIT_NICE: 0 (the default for run()) to 19; anything else is bad input naming the fix', () => {
    const nice = (value?: string) =>
      resolveOptions([directory], {}, value === undefined ? {} : { CLOVER_AUDIT_NICE: value }).mainThreadNice;
    expect([nice(), nice(''), nice('0'), nice('10'), nice('19')]).toEqual([0, 0, 0, 10, 19]);
    for (const bad of ['20', '-5', 'high', '1.5'])
      expect(() => nice(bad)).toThrow(
        new RegExp(
          `CLOVER_AUDIT_NICE "${bad.replace('.', '\\.')}" is not a nice value; write a whole number from 0`,
        ),
      );
  });

  test('CLOVER_AUDIT_WORKER takes auto, always or never', () => {
    expect(() => resolveOptions([directory], {}, { CLOVER_AUDIT_WORKER: 'sometimes' })).toThrow(
      /CLOVER_AUDIT_WORKER "sometimes" is not one of: auto, always, never/,
    );
  });
});
