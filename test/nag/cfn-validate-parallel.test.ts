import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App,
  CfnResource,
  CloudFormationValidatePlugin,
  IPolicyValidationContext,
  Stack,
  Stage,
  Validations,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { mergeReports, ParallelCloudFormationValidatePlugin } from '../../lib/nag/cfn-validate/parallel';

// Plain templates, written once: two breach the same cfn-lint rules (their reports merge across
// templates), one breaches another, one is clean.
const bucket = (extra: Record<string, unknown>) => ({
  Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'clover-test', ...extra } } },
});
const TEMPLATES: Record<string, unknown> = {
  'a.template.json': bucket({ NotAProperty: 1 }),
  'b.template.json': bucket({ NotAProperty: 2, VersioningConfiguration: { Status: 'Sometimes' } }),
  'c.template.json': {
    Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 'soon' } } },
  },
  'd.template.json': bucket({}),
};

let directory: string;
let context: IPolicyValidationContext;

beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-cfn-parallel-'));
  const stackTemplates = Object.entries(TEMPLATES).map(([name, template]) => {
    const templatePath = path.join(directory, name);
    fs.writeFileSync(templatePath, JSON.stringify(template));
    return { stackConstructPath: name, templatePath, accountId: '111111111111', region: 'eu-west-1' };
  });
  context = {
    templatePaths: stackTemplates.map((stack) => stack.templatePath),
    stackTemplates,
    appConstruct: undefined as unknown as IConstruct,
  };
});

afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

describe('ParallelCloudFormationValidatePlugin', () => {
  test('gives the report of the built-in plugin, violation for violation, from a worker thread and the main thread', () => {
    const sequential = CloudFormationValidatePlugin._singletonInstance().validate(context);
    const parallel = new ParallelCloudFormationValidatePlugin({ workers: 1, minTemplates: 1 }).validate(
      context,
    );
    expect(parallel).toEqual(sequential);
    // The templates do breach cfn-lint, and one violation gathers resources of two templates.
    expect(sequential.success).toBe(false);
    const files = (violation: (typeof sequential.violations)[number]) =>
      new Set(violation.violatingResources.map((resource) => resource.templatePath));
    expect(sequential.violations.some((violation) => files(violation).size === 2)).toBe(true);
    expect(new ParallelCloudFormationValidatePlugin({ workers: 1, minTemplates: 1 }).name).toBe(
      CloudFormationValidatePlugin.PLUGIN_NAME,
    );
  });

  test('a template that cannot be read fails the validation as it does without workers', () => {
    const missing = path.join(directory, 'missing.template.json');
    const broken: IPolicyValidationContext = {
      ...context,
      templatePaths: [...context.templatePaths, missing],
      stackTemplates: [
        ...context.stackTemplates,
        { stackConstructPath: 'missing', templatePath: missing, accountId: undefined, region: 'eu-west-1' },
      ],
    };
    // The worker cannot validate it; the main thread then does, and fails as the built-in plugin fails.
    expect(() => CloudFormationValidatePlugin._singletonInstance().validate(broken)).toThrow(/ENOENT/);
    const plugin = new ParallelCloudFormationValidatePlugin({
      workers: 1,
      minTemplates: 1,
      mainThread: false,
    });
    expect(() => plugin.validate(broken)).toThrow(/ENOENT/);
  });

  test('a worker that cannot load ends itself: the main thread validates every template instead of waiting', () => {
    const plugin = new ParallelCloudFormationValidatePlugin({
      workers: 1,
      minTemplates: 1,
      mainThread: false,
      _workerEntry: path.join(directory, 'no-such-worker.js'),
    });
    expect(plugin.validate(context)).toEqual(
      CloudFormationValidatePlugin._singletonInstance().validate(context),
    );
    expect(plugin.lastShare).toEqual({ mainThread: 4, workers: 0 });
  });

  test('below the threshold no worker starts: the built-in plugin validates on the main thread', () => {
    const plugin = new ParallelCloudFormationValidatePlugin({ minTemplates: 100 });
    expect(plugin.validate(context)).toEqual(
      CloudFormationValidatePlugin._singletonInstance().validate(context),
    );
    expect(plugin.lastShare).toEqual({ mainThread: 4, workers: 0 });
  });

  test('validates each stage as soon as CDK has synthesized it, on a worker, and reports at validation time', () => {
    const app = new App({ outdir: path.join(directory, 'cdk.out') });
    const plugin = new ParallelCloudFormationValidatePlugin({
      workers: 1,
      minTemplates: 1,
      mainThread: false,
    });
    Validations.of(app).addPlugins(plugin);
    for (const name of ['one', 'two']) {
      const stage = new Stage(app, name, { env: { account: '111111111111', region: 'eu-west-1' } });
      for (const id of ['A', 'B']) {
        const stack = new Stack(stage, id);
        new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { DelaySeconds: 'soon' } });
      }
      plugin.validateAsSynthesized(stage);
    }
    const assembly = app.synth();
    const stacks = assembly.nestedAssemblies.flatMap((nested) => nested.nestedAssembly.stacks);
    const sequential = CloudFormationValidatePlugin._singletonInstance().validate({
      templatePaths: stacks.map((stack) => stack.templateFullPath),
      stackTemplates: stacks.map((stack) => ({
        stackConstructPath: stack.hierarchicalId,
        templatePath: stack.templateFullPath,
        accountId: '111111111111',
        region: 'eu-west-1',
      })),
      appConstruct: app,
    });
    expect(plugin.lastShare).toEqual({ mainThread: 0, workers: 4 });
    const report = JSON.parse(
      fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'),
    );
    const cfn = report.pluginReports.find((each: { pluginName: string }) => each.pluginName === plugin.name);
    // The report CDK wrote holds the same violations, at the same resources, as one sequential validation.
    const expected = sequential.violations.map((v) => `${v.ruleName} ${v.violatingResources.length}`);
    const written = cfn.violations.map(
      (v: { ruleName: string; violatingConstructs: unknown[] }) =>
        `${v.ruleName} ${v.violatingConstructs.length}`,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(written).toEqual(expected);
  });

  test('merges reports in template order, as one validation of every template would', () => {
    const resource = (templatePath: string) => ({ resourceLogicalId: 'R', templatePath, locations: [] });
    const violation = (ruleName: string, templatePath: string) => ({
      ruleName,
      description: `${ruleName} broken`,
      severity: 'error',
      violatingResources: [resource(templatePath)],
    });
    const merged = mergeReports([
      { success: false, violations: [violation('E1', 'a'), violation('E2', 'a')] },
      { success: true, violations: [] },
      { success: false, violations: [violation('E2', 'c'), violation('E3', 'c')] },
    ]);
    expect(merged.success).toBe(false);
    expect(
      merged.violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.templatePath)]),
    ).toEqual([
      ['E1', ['a']],
      ['E2', ['a', 'c']],
      ['E3', ['c']],
    ]);
  });
});
