import * as fs from 'fs';
import { Stack, Stage } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Template } from 'aws-cdk-lib/assertions';
import { validateWithCfnLint } from '../../cli/audit/packs/cfn-validate';
import { collectGateFindings, GateResult } from '../../lib/app/gate';
import { SCP_MAX_CHARACTERS } from '../../lib/constructs/guardrails/scp';
import { buildTestApp } from '../helpers/app';
import { CDK_JSON_CONTEXT } from './cdk-json-context';
import { renderWithPartition } from '../constructs/guardrails/render';

const FIXTURE = 'test/fixtures/access/break-glass-guardrails.json';

describe('without guardrails in the config', () => {
  test('builds no guardrails stage', () => {
    const built = buildTestApp();
    expect(built.guardrailsStage).toBeUndefined();
    expect(built.app.node.tryFindChild('guardrails')).toBeUndefined();
  });
});

describe('with guardrails in the config', () => {
  const built = buildTestApp({ ...CDK_JSON_CONTEXT, config: FIXTURE });
  const stack = built.guardrailsStage!.guardrails;
  // One synth of the whole app, first: Template.fromStack then reuses the stage's assembly.
  const assembly: CloudAssembly = built.app.synth();
  const gate: GateResult = collectGateFindings(assembly.directory, built.cloverChecks);
  const template = Template.fromStack(stack);
  afterAll(() => fs.rmSync(built.app.outdir, { recursive: true, force: true }));

  test('deploys to the management account in the monitoring region', () => {
    expect(stack.account).toBe('999999999999');
    expect(stack.region).toBe('eu-west-1');
    expect(stack.stackName).toBe('guardrails-Guardrails');
  });

  test('attaches a region policy and a protection policy to the configured targets', () => {
    template.resourceCountIs('AWS::Organizations::Policy', 2);
    template.allResourcesProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['ou-abcd-12345678'],
    });
  });

  test('exempts the interim account in its own region until its sunset, recorded in a tag', () => {
    const region = Object.values(
      template.findResources('AWS::Organizations::Policy', {
        Properties: { Name: 'clover-region-guardrail' },
      }),
    )[0];
    const [main, interim] = region.Properties.Content.Statement;
    expect(main.Condition.StringNotEquals['aws:PrincipalAccount']).toEqual(['555555555555']);
    expect(main.Condition.StringNotEquals['aws:RequestedRegion']).not.toContain('us-east-1');
    expect(interim.Condition).toEqual({
      StringNotEquals: { 'aws:RequestedRegion': expect.arrayContaining(['eu-west-1', 'us-east-1']) },
      StringEquals: { 'aws:PrincipalAccount': '555555555555' },
    });
    expect(region.Properties.Tags).toEqual(
      expect.arrayContaining([{ Key: 'clover:interim-sunset:interim-us', Value: '2030-12-31' }]),
    );
  });

  test('denies peering and transit gateway attachments in all four enclave accounts', () => {
    const protection = Object.values(
      template.findResources('AWS::Organizations::Policy', {
        Properties: { Name: 'clover-protection-guardrail' },
      }),
    )[0];
    const network = protection.Properties.Content.Statement.find(
      (s: { Sid: string }) => s.Sid === 'DenyNetworkPathsOutOfEnclaves',
    );
    expect(network.Condition.StringEquals['aws:PrincipalAccount']).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
      '555555555555',
    ]);
  });

  test('keeps every rendered policy within 5,120 characters of minified JSON', () => {
    for (const policy of Object.values(template.findResources('AWS::Organizations::Policy'))) {
      const rendered = JSON.stringify(renderWithPartition(policy.Properties.Content, 'aws'));
      expect(rendered).not.toMatch(/Fn::|"Ref"/);
      expect(rendered.length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    }
  });

  test('passes the gate: no finding in the guardrails stack, nor in any Data or Access stack with break-glass on', () => {
    const mine = gate.findings.filter((finding) =>
      /^(guardrails[/-]Guardrails|[a-z0-9-]+[/-](Data|Access))(\/|$)/.test(finding.path ?? finding.stack),
    );
    expect(
      mine.map(
        (finding) => `${finding.severity} ${finding.rule} ${finding.path}: ${finding.message.slice(0, 160)}`,
      ),
    ).toEqual([]);
  });

  test('deploys: cfn-lint (CloudFormation Validate) finds nothing in the guardrails, Data and Access stacks', () => {
    // Unit-test synths skip cfn-lint (test/setup-env.js) and the default app has no guardrails stage.
    const stacks: Stack[] = [stack, built.enclaveStages[0].data, built.enclaveStages[0].access!];
    const templates = stacks.map((checked) => ({
      stackConstructPath: checked.node.path,
      templatePath: assembly
        .getNestedAssembly(`assembly-${Stage.of(checked)!.stageName}`)
        .getStackArtifact(checked.artifactId).templateFullPath,
      accountId: checked.account,
      region: checked.region,
    }));
    const report = validateWithCfnLint(templates);
    const violations = report.violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.ruleName} ${resource.resourceLogicalId}: ${violation.description}`,
      ),
    );
    expect(violations).toEqual([]);
    expect(report.success).toBe(true);
  });
});
