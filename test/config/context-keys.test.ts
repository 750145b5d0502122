import { ConfigError } from '../../lib/config';
import {
  checkContextKeys,
  editDistance,
  misspeltContextKeyProblems,
  resembledContextKey,
} from '../../lib/config/context-keys';
import { CLOVER_CONTEXT_KEYS } from '../../lib/app/clover-app';
import { CDK_JSON_CONTEXT } from '../helpers/app';

describe('editDistance', () => {
  test.each([
    ['config', 'config', 0],
    ['conifg', 'config', 1], // adjacent transposition
    ['todya', 'today', 1],
    ['confg', 'config', 1], // deletion
    ['configs', 'config', 1], // insertion
    ['cinfig', 'config', 1], // substitution
    ['cnofgi', 'config', 2],
    ['cfg', 'config', 3],
    ['', 'today', 5],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('resembledContextKey', () => {
  test.each([
    ['conifg', 'config'],
    ['Config', 'config'],
    ['CONFIG', 'config'],
    ['con-fig', 'config'],
    ['confgi', 'config'],
    ['configFile', 'config'],
    ['config_path', 'config'],
    ['todya', 'today'],
    ['Today', 'today'],
    ['tody', 'today'],
    ['pipline', 'pipeline'],
    ['Pipeline', 'pipeline'],
    ['migrationEvidense', 'migrationEvidence'],
    ['migration-evidence', 'migrationEvidence'],
  ])('takes %s for a misspelling of %s', (key, meant) => {
    expect(resembledContextKey(key, CLOVER_CONTEXT_KEYS)).toBe(meant);
  });

  test.each([
    'config',
    'today',
    'pipeline',
    'migrationEvidence',
    'aws:cdk:bundling-stacks',
    'aws:cdk:enable-path-metadata',
    '@aws-cdk/core:stackResourceLimit',
    'availability-zones:account=111111111111:region=eu-west-1',
    'acknowledged-issue-numbers',
    'cfg',
    'environment',
    'stage',
  ])('leaves %s alone', (key) => {
    expect(resembledContextKey(key, CLOVER_CONTEXT_KEYS)).toBeUndefined();
  });

  test("leaves every key of cdk.json's context alone", () => {
    expect(
      Object.keys(CDK_JSON_CONTEXT).filter((key) => resembledContextKey(key, CLOVER_CONTEXT_KEYS)),
    ).toEqual([]);
  });

  test('picks the closest key when two are in reach', () => {
    expect(resembledContextKey('abcd', ['abce', 'abef'])).toBe('abce');
  });
});

describe('checkContextKeys', () => {
  test('names the misspelt key, the key it resembles and the fix with the same value', () => {
    expect(() => checkContextKeys({ conifg: 'my.json' }, CLOVER_CONTEXT_KEYS)).toThrow(
      /-c conifg "my\.json": is not a context key Clover reads; it resembles "config"; fix: write -c config=my\.json/,
    );
  });

  test('lists every misspelt key in one error', () => {
    let error: unknown;
    try {
      checkContextKeys({ todya: '2026-11-23', Config: 'a.json', pipeline: 'true' }, CLOVER_CONTEXT_KEYS);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.path)).toEqual(['-c todya', '-c Config']);
  });

  test("passes Clover's own keys, cdk.json's feature flags and the CDK CLI's keys", () => {
    expect(() =>
      checkContextKeys(
        {
          ...CDK_JSON_CONTEXT,
          config: 'a.json',
          today: '2026-11-23',
          pipeline: 'true',
          migrationEvidence: 'evidence/',
          'aws:cdk:bundling-stacks': [],
          'aws:cdk:version-reporting': false,
        },
        CLOVER_CONTEXT_KEYS,
      ),
    ).not.toThrow();
  });

  test('does not repeat a long value in the fix', () => {
    const [problem] = misspeltContextKeyProblems({ conifg: `{"enclaves":${'x'.repeat(500)}}` }, ['config']);
    expect(problem.fix).toMatch(/^write -c config=… /);
  });
});
