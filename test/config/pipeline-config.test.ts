import { ConfigError, validateConfig } from '../../lib/config';
import { DEFAULT_CONFIG } from '../../lib/config/defaults';

interface EditableConfig {
  enclaves: Array<Record<string, unknown>>;
  pipeline?: Record<string, unknown> & { source?: Record<string, unknown> };
  [key: string]: unknown;
}

function configWith(edit: (config: EditableConfig) => void): unknown {
  const copy = JSON.parse(JSON.stringify(DEFAULT_CONFIG)) as EditableConfig;
  edit(copy);
  return copy;
}

function validate(input: unknown) {
  return validateConfig(input, { today: '2026-11-23', source: 'test' });
}

function problemsOf(input: unknown): string {
  try {
    validate(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the pipeline section', () => {
  test('the embedded default carries a valid example: a tooling account of its own in the EU, a CodeConnections source', () => {
    expect(validate(DEFAULT_CONFIG).pipeline).toEqual({
      account: '666666666666',
      region: 'eu-west-1',
      source: {
        kind: 'connection',
        connectionArn:
          'arn:aws:codeconnections:eu-west-1:666666666666:connection/00000000-0000-4000-8000-000000000000',
        repository: 'example-org/clover',
        branch: 'main',
      },
    });
  });

  test('is optional, and a connection branch defaults to main', () => {
    expect(validate(configWith((c) => delete c.pipeline)).pipeline).toBeUndefined();
    const config = validate(
      configWith((c) => delete (c.pipeline!.source!.connection as Record<string, unknown>).branch),
    );
    expect(config.pipeline?.source).toMatchObject({ kind: 'connection', branch: 'main' });
  });

  test('accepts an S3 source', () => {
    const config = validate(
      configWith(
        (c) => (c.pipeline!.source = { s3: { bucket: 'clover-source', objectKey: 'clover/source.zip' } }),
      ),
    );
    expect(config.pipeline?.source).toEqual({
      kind: 's3',
      bucket: 'clover-source',
      objectKey: 'clover/source.zip',
    });
  });

  test('rejects a pipeline region outside the allowed jurisdictions', () => {
    expect(problemsOf(configWith((c) => (c.pipeline!.region = 'us-east-1')))).toMatch(
      /pipeline\.region "us-east-1": is outside the allowed jurisdictions; the pipeline keeps its artifacts .*; fix: choose one of: eu-west-1/,
    );
  });

  test('rejects a tooling account shared with an enclave or the monitoring plane', () => {
    expect(problemsOf(configWith((c) => (c.pipeline!.account = '222222222222')))).toMatch(
      /pipeline\.account "222222222222": is also enclaves\[1\]\.account; .*fix: use a separate tooling account/,
    );
    expect(problemsOf(configWith((c) => (c.pipeline!.account = '444444444444')))).toMatch(
      /pipeline\.account "444444444444": is also monitoring\.account/,
    );
  });

  test('rejects no source, two sources, and malformed source fields, all at once', () => {
    expect(problemsOf(configWith((c) => (c.pipeline!.source = {})))).toMatch(
      /pipeline\.source \{\}: names no source; fix: give exactly one of pipeline\.source\.connection/,
    );
    const both = configWith((c) => (c.pipeline!.source!.s3 = { bucket: 'b-b-b', objectKey: 'k.zip' }));
    expect(problemsOf(both)).toMatch(/pipeline\.source .*: names both a connection and an S3 bucket/);
    const message = problemsOf(
      configWith(
        (c) =>
          (c.pipeline!.source = {
            connection: { arn: 'arn:aws:iam::1:role/x', repository: 'clover', branch: 'two words' },
          }),
      ),
    );
    expect(message).toMatch(/3 problems/);
    expect(message).toMatch(
      /pipeline\.source\.connection\.arn "arn:aws:iam::1:role\/x": is not a CodeConnections connection ARN/,
    );
    expect(message).toMatch(/pipeline\.source\.connection\.repository "clover": is not owner\/repository/);
    expect(message).toMatch(/pipeline\.source\.connection\.branch "two words": is not a branch name/);
    expect(
      problemsOf(
        configWith((c) => (c.pipeline!.source = { s3: { bucket: 'Bad_Bucket', objectKey: '/x.zip' } })),
      ),
    ).toMatch(
      /pipeline\.source\.s3\.bucket "Bad_Bucket": is not an S3 bucket name.*\n.*pipeline\.source\.s3\.objectKey "\/x\.zip": is not an object key/,
    );
  });

  test('an unknown key is an error', () => {
    expect(problemsOf(configWith((c) => (c.pipeline!.name = 'x')))).toMatch(
      /pipeline\.name "x": is not a Clover config key/,
    );
  });
});

describe('enclaves[].production', () => {
  test('defaults to false and takes a boolean', () => {
    expect(validate(DEFAULT_CONFIG).enclaves.map((enclave) => enclave.production)).toEqual([
      false,
      false,
      false,
    ]);
    expect(validate(configWith((c) => (c.enclaves[0].production = true))).enclaves[0].production).toBe(true);
    expect(problemsOf(configWith((c) => (c.enclaves[0].production = 'yes')))).toMatch(
      /enclaves\[0\]\.production "yes": must be boolean/,
    );
  });
});
