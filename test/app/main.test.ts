import { Stack, Tags } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/app/main';
import { captureOutput } from '../helpers/output';

/** Runs bin/clover.ts's main in-process with a context, capturing stderr. */
async function runMain(context: Record<string, unknown>): Promise<{ code: number; stderr: string }> {
  const { result: code, stderr } = await captureOutput(() =>
    main({ appProps: { context: { 'aws:cdk:bundling-stacks': [], ...context } } }),
  );
  return { code, stderr };
}

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

describe('bin/clover.ts main', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-main-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('rejects malformed JSON with one message naming the file, and no stack trace', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{"enclaves": [');
    const { code, stderr } = await runMain({ config: file });
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.json": is not valid JSON/);
    expect(stderr).not.toMatch(STACK_TRACE);
  });

  test('rejects a missing config file, naming it', async () => {
    const { code, stderr } = await runMain({ config: path.join(dir, 'missing.json') });
    expect(code).toBe(1);
    expect(stderr).toMatch(/missing\.json": names a file that does not exist/);
  });

  test('refuses cutover when the evidence shows one missing object, naming the store', async () => {
    const { code, stderr } = await runMain({
      config: 'examples/interim-us-cutover.json',
      migrationEvidence: 'test/fixtures/migration/one-missing',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /shows bucket clover-interim-us-personal-555555555555-us-east-1 \(data class personal\) of interim enclave "interim-us" incomplete in clover-dublin-1-personal-111111111111-eu-west-1: 1 missing object/,
    );
    expect(stderr).not.toMatch(STACK_TRACE);
  });

  test('fails on a misspelt context key, naming the key it resembles, instead of synthesizing the default', async () => {
    const { code, stderr } = await runMain({ conifg: 'my-clover.json' });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /-c conifg "my-clover\.json": is not a context key Clover reads; it resembles "config"/,
    );
    expect(stderr).toMatch(/fix: write -c config=my-clover\.json/);
    expect(stderr).not.toMatch(/Clover: /);
  });

  test.each([
    [{}, 'Clover: embedded default config\n'],
    [{ config: 'examples/sovereign-cloud.json' }, 'Clover: config examples/sovereign-cloud.json\n'],
  ])('names the config it uses (%j) in one stderr line, before synthesizing', async (context, line) => {
    // customise runs after the line and before synth: stopping there keeps the test cheap.
    const stop = new Error('stop before synth');
    const { result, stderr } = await captureOutput(() =>
      main({
        appProps: { context: { 'aws:cdk:bundling-stacks': [], today: '2026-11-23', ...context } },
        customise: () => {
          throw stop;
        },
      }).catch((error: unknown) => error),
    );
    expect(result).toBe(stop);
    expect(stderr).toBe(line);
  });

  test('rejects a malformed -c today', async () => {
    const { code, stderr } = await runMain({ today: 'tomorrow' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/-c today "tomorrow": is not a date/);
  });
});

describe('rules of your own at synth', () => {
  test('the example rule loads from the config and from -c rules, once, and fails synth on an untagged store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-rules-'));
    try {
      const rule = path.resolve(__dirname, '..', '..', 'examples', 'rules', 'DataClassificationTag.ts');
      const config = path.join(dir, 'clover.json');
      fs.writeFileSync(
        config,
        JSON.stringify({
          enclaves: [{ name: 'dublin', account: '111111111111', region: 'eu-west-1', cidr: '10.10.0.0/16' }],
          monitoring: {
            account: '222222222222',
            region: 'eu-west-1',
            ingestUrl: 'https://ingest.monitor.example.eu/v1',
          },
          rules: [path.relative(dir, rule)],
        }),
      );
      const { result: code, stderr } = await captureOutput(() =>
        main({
          appProps: {
            context: {
              'aws:cdk:bundling-stacks': [],
              config,
              rules: path.relative(process.cwd(), rule),
            },
          },
          // Every Clover resource is tagged; one topic without the tag must be found by the rule.
          customise: ({ monitoringStage }) => {
            const stack = monitoringStage.node
              .findAll()
              .find((construct): construct is Stack => Stack.isStack(construct))!;
            const topic = new Topic(stack, 'Untagged');
            Tags.of(topic).remove('clover:data-classification');
          },
        }),
      );
      expect(code).toBe(1);
      const lines = stderr.split('\n').filter((line) => line.includes('EXAMPLE-TAG-1'));
      expect(lines).toEqual([
        expect.stringMatching(
          /^ {2}ERROR EXAMPLE-TAG-1 at monitoring\/Monitoring\/Untagged\/Resource: Tags has no clover:data-classification/,
        ),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a rule module that does not exist stops synth with one line naming it', async () => {
    const { code, stderr } = await runMain({ rules: 'examples/rules/Missing.ts' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/rule module examples\/rules\/Missing\.ts does not exist/);
    expect(stderr).not.toMatch(STACK_TRACE);
  });
});
