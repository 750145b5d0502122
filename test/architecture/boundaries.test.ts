import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

interface Planted {
  /** Where the planted file would be, from the repository root. */
  readonly file: string;
  readonly code: string;
}

const BOUNDARY = 'import-x/no-restricted-paths';
const CDK_FREE = 'no-restricted-imports';

// Wrong-way imports, one a layer, each in a file that does not exist: ESLint
// resolves the import from where the file would be.
const WRONG_WAY: ReadonlyArray<Planted & { readonly rule: string }> = [
  {
    file: 'lib/config/planted.ts',
    code: "import { dataBucketName } from '../constructs/data-vault/naming';",
    rule: BOUNDARY,
  },
  { file: 'lib/config/planted.ts', code: "export * from '../stacks/clover-stack';", rule: BOUNDARY },
  { file: 'lib/config/planted.ts', code: "import type { RuleResult } from '../audit/rule';", rule: BOUNDARY },
  { file: 'lambda/log-shipper/planted.ts', code: "import { Stack } from 'aws-cdk-lib';", rule: CDK_FREE },
  {
    file: 'lambda/log-shipper/planted.ts',
    code: "import * as s3 from 'aws-cdk-lib/aws-s3';",
    rule: CDK_FREE,
  },
  { file: 'lambda/log-shipper/planted.ts', code: "import { Construct } from 'constructs';", rule: CDK_FREE },
  { file: 'lambda/migration/planted.ts', code: "import { run } from '../../cli/main';", rule: BOUNDARY },
  {
    file: 'lambda/log-shipper/planted.ts',
    code: "import { declareFlows } from '../../lib/constructs/flows';",
    rule: BOUNDARY,
  },
  {
    file: 'lib/constructs/data-vault/planted.ts',
    code: "import { CloverStack } from '../../stacks/clover-stack';",
    rule: BOUNDARY,
  },
  {
    file: 'lib/constructs/planted.ts',
    code: "import { CloverChecks } from '../nag/clover-checks';",
    rule: BOUNDARY,
  },
  {
    file: 'lib/constructs/planted.ts',
    code: "import { runPipeline } from '../../lambda/log-shipper/pipeline';",
    rule: BOUNDARY,
  },
  {
    file: 'lib/stacks/planted.ts',
    code: "import { EnclaveStage } from '../stages/enclave-stage';",
    rule: BOUNDARY,
  },
  { file: 'lib/stages/planted.ts', code: "import { CloverApp } from '../app/clover-app';", rule: BOUNDARY },
  {
    file: 'lib/audit/planted.ts',
    code: "import { CloverChecks } from '../nag/clover-checks';",
    rule: BOUNDARY,
  },
  { file: 'lib/audit/planted.ts', code: "import { Stack } from 'aws-cdk-lib';", rule: CDK_FREE },
  {
    file: 'lib/constructs/enclave-network/planted/handler.ts',
    code: "import { CustomResource } from 'aws-cdk-lib';",
    rule: CDK_FREE,
  },
  { file: 'lib/nag/planted.ts', code: "import { declareFlows } from '../constructs/flows';", rule: BOUNDARY },
  { file: 'cli/planted.ts', code: "import { declareFlows } from '../lib/constructs/flows';", rule: BOUNDARY },
  { file: 'bin/planted.ts', code: "import { run } from '../cli/main';", rule: BOUNDARY },
  {
    file: 'lib/config/planted.ts',
    code: "export const later = () => import('../constructs/flows');",
    rule: BOUNDARY,
  },
];

// Imports that follow the arrows, and the exceptions eslint.config.mjs names.
const RIGHT_WAY: readonly Planted[] = [
  {
    file: 'lib/stacks/planted.ts',
    code: "import { declareFlows } from '../constructs/flows';\nimport { flowLogGroupName } from '../config/naming';",
  },
  { file: 'lib/constructs/planted.ts', code: "import { acknowledge } from '../nag/acknowledge';" },
  {
    file: 'lib/constructs/planted.ts',
    code: "import { Stack } from 'aws-cdk-lib';\nimport { Construct } from 'constructs';",
  },
  {
    file: 'lib/constructs/planted.ts',
    code: "import { archiveKey } from '../../lambda/log-shipper/requests';",
  },
  {
    file: 'lib/nag/planted.ts',
    code: "import { TemplateIndex } from '../audit/template';\nimport { findRegion } from '../config/regions';",
  },
  {
    file: 'cli/planted.ts',
    code: "import { TemplateIndex } from '../lib/audit/template';\nimport { archiveKey } from '../lambda/log-shipper/archive';",
  },
  {
    file: 'lambda/migration/planted.ts',
    code: "import { EVIDENCE_KIND } from '../../lib/config/migration-evidence';",
  },
  {
    file: 'lib/app/planted.ts',
    code: "import { EnclaveStage } from '../stages/enclave-stage';\nimport { CloverChecks } from '../nag/clover-checks';",
  },
  { file: 'bin/planted.ts', code: "import { main } from '../lib/app/main';" },
];

/** Lints the planted files with eslint.config.mjs (in a child process: ESLint loads its config with import()). */
function lint(planted: readonly Planted[]): LintMessage[][] {
  const input = planted.map(({ file, code }) => ({ filePath: file, code: `${code}\n` }));
  const child = spawnSync(process.execPath, [path.join(__dirname, 'lint-text.js')], {
    input: JSON.stringify(input),
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`ESLint failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as LintMessage[][];
}

const layerRules = new Set([BOUNDARY, CDK_FREE]);
let wrongWay: LintMessage[][];
let rightWay: LintMessage[][];

beforeAll(() => {
  const results = lint([...WRONG_WAY, ...RIGHT_WAY]);
  wrongWay = results.slice(0, WRONG_WAY.length);
  rightWay = results.slice(WRONG_WAY.length);
}, 60_000);

test.each(WRONG_WAY.map((planted, index) => [planted.file, planted.code, index] as const))(
  'rejects a wrong-way import in %s: %s',
  (_file, _code, index) => {
    const boundaryErrors = wrongWay[index].filter((message) => message.ruleId === WRONG_WAY[index].rule);
    expect(boundaryErrors).toHaveLength(1);
    expect(boundaryErrors[0].message).toMatch(/docs\/architecture\.md/);
  },
);

test.each(RIGHT_WAY.map((planted, index) => [planted.file, planted.code, index] as const))(
  'accepts an import along the arrows in %s: %s',
  (_file, _code, index) => {
    expect(rightWay[index].filter((message) => layerRules.has(message.ruleId ?? ''))).toEqual([]);
  },
);

test('names the layer and the allowed directions in the error', () => {
  const configIntoConstruct = wrongWay[0].find((message) => message.ruleId === BOUNDARY);
  expect(configIntoConstruct?.message).toMatch(/lib\/config must not import lib\/constructs/);
});

test('plants only imports of files that exist (the rule skips what it cannot resolve)', () => {
  const root = path.join(__dirname, '..', '..');
  const missing = [...WRONG_WAY, ...RIGHT_WAY].flatMap(({ file, code }) =>
    [...code.matchAll(/'(\.[^']+)'/g)]
      .map((match) => path.join(root, path.dirname(file), match[1]))
      .filter((target) => !fs.existsSync(`${target}.ts`)),
  );
  expect(missing).toEqual([]);
});

// lib/index.ts, the public surface, comes with the public API; until then there is nothing to import.
(fs.existsSync(path.join(__dirname, '..', '..', 'lib', 'index.ts')) ? test : test.skip)(
  'rejects an import of the public surface from inside a layer',
  () => {
    const [messages] = lint([{ file: 'lib/constructs/planted.ts', code: "export * from '../index';" }]);
    expect(messages.filter((message) => message.ruleId === BOUNDARY)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/must not import lib\/index\.ts, the public surface/),
      }),
    ]);
  },
);
