import { ConfigError, validateConfig } from '../../lib/config';
import { DEFAULT_CONFIG } from '../../lib/config/defaults';
import {
  customPatternProblem,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  SHIPPER_VARIABLES,
  shipperEnvironment,
} from '../../lib/config/shipper-contract';
import { readEnvironment } from '../../lambda/log-shipper/config';

const SETTINGS = {
  enclave: 'dublin-1',
  ingestUrl: 'https://monitor.example.eu/ingest',
  tokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:token',
  hmacSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:hmac',
  archiveBucket: 'clover-archive-444444444444-eu-central-1',
  archiveBucketOwner: '444444444444',
  archiveRegion: 'eu-central-1',
  deadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/dlq',
  account: '111111111111',
};

test('the handler reads back every setting the construct writes', () => {
  const env = shipperEnvironment({
    ...SETTINGS,
    maxRequestBytes: 2048,
    requestTimeoutMs: 500,
    pseudonymisation: [{ kind: 'field', match: 'userId' }],
  });
  expect(readEnvironment(env)).toEqual({
    enclave: 'dublin-1',
    account: '111111111111',
    ingestUrl: new URL(SETTINGS.ingestUrl),
    tokenSecretArn: SETTINGS.tokenSecretArn,
    hmacSecretArn: SETTINGS.hmacSecretArn,
    archiveBucket: SETTINGS.archiveBucket,
    archiveBucketOwner: '444444444444',
    deadLetterQueueUrl: SETTINGS.deadLetterQueueUrl,
    maxRequestBytes: 2048,
    requestTimeoutMs: 500,
    rules: [{ kind: 'field', match: 'userId' }],
  });
  expect(env[SHIPPER_VARIABLES.archiveRegion]).toBe('eu-central-1');
});

test('writes the defaults the handler would apply', () => {
  const env = shipperEnvironment(SETTINGS);
  expect(env[SHIPPER_VARIABLES.maxRequestBytes]).toBe(String(DEFAULT_MAX_REQUEST_BYTES));
  expect(env[SHIPPER_VARIABLES.requestTimeoutMs]).toBe(String(DEFAULT_REQUEST_TIMEOUT_MS));
  expect(env[SHIPPER_VARIABLES.pseudonymisation]).toBe('[]');
});

test('names only CLOVER_ variables', () => {
  expect(Object.keys(shipperEnvironment(SETTINGS)).every((name) => name.startsWith('CLOVER_'))).toBe(true);
  expect(Object.keys(shipperEnvironment(SETTINGS)).sort()).toEqual(Object.values(SHIPPER_VARIABLES).sort());
});

test('rejects a custom pattern that is not a regular expression or matches the empty string', () => {
  expect(customPatternProblem('user-[0-9]+')).toBeUndefined();
  expect(customPatternProblem('(')).toMatch(/neither a built-in pattern nor a valid regular expression/);
  expect(customPatternProblem('x*')).toMatch(/matches the empty string/);
});

test('config validation rejects a pattern the shipper would refuse at start-up', () => {
  const config = JSON.parse(JSON.stringify(DEFAULT_CONFIG));
  config.shipper = { pseudonymisation: [{ kind: 'pattern', match: '[0-9]*' }] };
  expect(() => validateConfig(config, { today: '2026-11-23', source: 'test' })).toThrow(ConfigError);
  expect(() => validateConfig(config, { today: '2026-11-23', source: 'test' })).toThrow(
    /shipper\.pseudonymisation\[0\]\.match "\[0-9\]\*": matches the empty string/,
  );
});
