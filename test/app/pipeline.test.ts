import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { buildCloverApp, CloverApp } from '../../lib/app/clover-app';
import { GateResult, runGate } from '../../lib/app/gate';
import { PIPELINE_STACK_ID, PIPELINE_STAGE_ACTIONS, pipelineStages } from '../../lib/app/pipeline';
import { planJson, PlanJson } from '../../lib/audit/deploy';
import { ConfigError } from '../../lib/config/errors';
import { findRegion, isEuropean } from '../../lib/config/regions';
import { buildTestApp, TEST_CONTEXT } from '../helpers/app';
import { clover } from '../cli/audit/cli';

jest.setTimeout(240_000);

const CONFIG = 'test/fixtures/plan/pipeline.json';

interface PipelineStageJson {
  readonly Name: string;
  readonly Actions: ReadonlyArray<{
    readonly Name: string;
    readonly ActionTypeId: { readonly Category: string };
    readonly Configuration: Record<string, string>;
  }>;
}

interface CfnTemplate {
  readonly Resources: Record<string, { Type: string; Properties: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The pipeline app, synthesized once: the fixture config with -c pipeline=true. */
let outdir: string;
let built: CloverApp;
let gate: GateResult;
let templates: Array<{ stack: string; region: string; template: CfnTemplate }>;
let plan: PlanJson;

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-pipeline-'));
  built = buildCloverApp({ outdir, context: { ...TEST_CONTEXT, config: CONFIG, pipeline: 'true' } });
  const assembly = built.app.synth();
  gate = await runGate(built, assembly);
  templates = assembly.stacks.map((artifact) => ({
    stack: artifact.displayName,
    region: artifact.environment.region,
    template: artifact.template as CfnTemplate,
  }));
  const planned = await clover(['plan', outdir, '--format', 'json']);
  expect(planned.stderr).toBe('');
  plan = JSON.parse(planned.stdout) as PlanJson;
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function pipelines() {
  return templates.flatMap(({ stack, region, template }) =>
    Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::CodePipeline::Pipeline')
      .map((resource) => ({ stack, region, properties: resource.Properties })),
  );
}

/** CodePipeline stages after self-mutation and assets, each as the app stages its deploy actions deploy. */
function deployedWaves(): string[][] {
  const stageOfStack = new Map(
    plan.waves.flatMap((wave) =>
      wave.stages.flatMap((stage) => stage.stacks.map((s) => [`${stage.name}-${s.name}`, stage.name])),
    ),
  );
  const [pipeline] = pipelines();
  return (pipeline.properties.Stages as PipelineStageJson[])
    .filter((stage) => stage.Actions.some((action) => action.ActionTypeId.Category === 'Deploy'))
    .map((stage) => [
      ...new Set(
        stage.Actions.filter((action) => action.ActionTypeId.Category === 'Deploy').map(
          (action) =>
            stageOfStack.get(action.Configuration.StackName) ??
            `unknown stack ${action.Configuration.StackName}`,
        ),
      ),
    ]);
}

describe('npx cdk synth -c pipeline=true', () => {
  test('adds one CodePipeline, in the tooling account and a European region', () => {
    const found = pipelines();
    expect(found).toHaveLength(1);
    expect(found[0].stack).toBe(PIPELINE_STACK_ID);
    const region = findRegion(found[0].region);
    expect(region && isEuropean(region)).toBe(true);
    expect(built.pipeline?.stack.account).toBe('666666666666');
  });

  test('deploys one pipeline wave per wave of clover plan --format json, stages of a wave in one pipeline stage', () => {
    const pipelineWaves = plan.waves
      .filter((wave) => wave.manual === undefined)
      .map((wave) => wave.stages.map((s) => s.name));
    expect(pipelineWaves).toEqual([['monitoring'], ['dublin-2', 'hamar'], ['dublin-1']]);
    expect(deployedWaves()).toEqual(pipelineWaves);
    // The app planned from its stages in memory what the CLI plans from cdk.out.
    expect(planJson(built.pipeline!.plan).waves).toEqual(plan.waves);
  });

  test('leaves the interim enclave outside Europe to a manual wave: no pipeline action and no artifact store in us-east-1', () => {
    const manual = plan.waves.filter((wave) => wave.manual !== undefined);
    expect(manual.map((wave) => wave.stages.map((s) => s.name))).toEqual([['interim-us']]);
    expect(manual[0].manual).toMatch(/^us-east-1 is outside Europe/);
    const [pipeline] = pipelines();
    const stores = pipeline.properties.ArtifactStores as Array<{
      Region: string;
      ArtifactStore: { EncryptionKey?: unknown };
    }>;
    expect(stores.map((store) => store.Region).sort()).toEqual(['eu-central-1', 'eu-north-1', 'eu-west-1']);
    expect(stores.every((store) => store.ArtifactStore.EncryptionKey !== undefined)).toBe(true);
    expect(templates.map(({ region }) => region)).not.toContain('us-east-1');
  });

  test('waits for a manual approval before the wave of the production enclave, and only there', () => {
    const production = built
      .pipeline!.plan.stages.filter((stage) => stage.clover?.production)
      .map((s) => s.name);
    expect(production).toEqual(['dublin-1']);
    const [pipeline] = pipelines();
    const approvals = (pipeline.properties.Stages as PipelineStageJson[])
      .filter((stage) => stage.Actions.some((action) => action.ActionTypeId.Category === 'Approval'))
      .map((stage) => [
        stage.Name,
        stage.Actions.find((action) => action.ActionTypeId.Category === 'Approval')!.Configuration.CustomData,
      ]);
    expect(approvals).toEqual([
      ['dublin-1', 'Wave 3 deploys production enclave(s) dublin-1: review the change sets, then approve.'],
    ]);
  });

  test('its synth step runs the tests, the synth behind the policy gate and the Control Tower audit; self-mutation follows', () => {
    const project = templates
      .flatMap(({ template }) => Object.entries(template.Resources))
      .find(([id, resource]) => resource.Type === 'AWS::CodeBuild::Project' && id.includes('Synth'))!;
    const spec = JSON.parse(project[1].Properties.Source.BuildSpec);
    expect(spec.phases.build.commands).toEqual([
      'npm ci',
      'npm test',
      `npx cdk synth -c pipeline=true -c config=${CONFIG}`,
      'npx clover audit cdk.out --with control-tower',
    ]);
    expect(spec.phases.install['runtime-versions']).toEqual({ nodejs: 20 });
    const [pipeline] = pipelines();
    expect(
      (pipeline.properties.Stages as Array<{ Name: string }>).map((stage) => stage.Name).slice(0, 3),
    ).toEqual(['Source', 'Build', 'UpdatePipeline']);
  });

  test('keeps artifacts under rotating KMS keys of the tooling account, in versioned, logged buckets', () => {
    const toolingStacks = templates.filter(
      ({ stack }) => stack === PIPELINE_STACK_ID || stack.startsWith('cross-region-stack-'),
    );
    expect(toolingStacks.map(({ region }) => region).sort()).toEqual([
      'eu-central-1',
      'eu-north-1',
      'eu-west-1',
    ]);
    for (const { template } of toolingStacks) {
      const resources = Object.values(template.Resources);
      const keys = resources.filter((resource) => resource.Type === 'AWS::KMS::Key');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((key) => key.Properties.EnableKeyRotation === true)).toBe(true);
      const artifactBuckets = resources.filter(
        (resource) =>
          resource.Type === 'AWS::S3::Bucket' &&
          resource.Properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]
            ?.ServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms',
      );
      expect(artifactBuckets).toHaveLength(1);
      expect(artifactBuckets[0].Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(artifactBuckets[0].Properties.LoggingConfiguration).toBeDefined();
    }
  });

  test('passes the policy gate (CloverChecks, the runtime flow proof, AwsSolutions): they run on the pipeline stacks, whose findings there (action roles, the access-log buckets’ SSE-S3) are acknowledged with reasons', () => {
    expect(gate.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} at ${f.path}`)).toEqual(
      [],
    );
    expect(gate.runtime).toBeDefined();
    const onPipeline = built.cloverChecks.acknowledged.filter(
      ({ finding }) => finding.stack === Stack.of(built.pipeline!.stack).stackName,
    );
    expect([...new Set(onPipeline.map(({ finding }) => finding.rule))]).toEqual(['CLV-ACC-3', 'CLV-ENC-1']);
  });
});

describe('the pipeline context', () => {
  test('without -c pipeline=true there is no pipeline stack', () => {
    const plain = buildTestApp();
    expect(plain.pipeline).toBeUndefined();
    expect(plain.app.node.tryFindChild(PIPELINE_STACK_ID)).toBeUndefined();
  });

  test('rejects a value other than true or false, and a config without a pipeline section', () => {
    expect(() => buildTestApp({ pipeline: 'yes' })).toThrow(/-c pipeline "yes": is neither true nor false/);
    expect(() => buildTestApp({ pipeline: 'true', config: 'examples/interim-us.json' })).toThrow(ConfigError);
    const outside = path.join(outdir, 'outside.json');
    fs.copyFileSync(CONFIG, outside);
    expect(() => buildTestApp({ pipeline: 'true', config: outside })).toThrow(
      /-c config ".*outside\.json": is outside the project, but the pipeline synthesizes from the repository in CodeBuild/,
    );
    expect(() => buildTestApp({ pipeline: 'true', config: 'examples/interim-us.json' })).toThrow(
      /pipeline \(missing\): is required with -c pipeline=true/,
    );
  });
});

describe('pipeline stages of a large wave', () => {
  const enclave = { stacks: ['Network', 'Data', 'Access', 'Logging'] };

  test('split a wave so that no pipeline stage holds more than 50 actions (two per stack, one approval)', () => {
    const parts = pipelineStages(Array.from({ length: 16 }, () => enclave));
    expect(parts.map((part) => part.length)).toEqual([6, 6, 4]);
    for (const part of parts) expect(1 + 2 * 4 * part.length).toBeLessThanOrEqual(PIPELINE_STAGE_ACTIONS);
  });

  test('keep a small wave in one pipeline stage', () => {
    expect(pipelineStages([enclave, enclave, enclave])).toHaveLength(1);
  });
});
