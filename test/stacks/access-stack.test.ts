import { Template } from 'aws-cdk-lib/assertions';
import { ACKNOWLEDGMENT_METADATA_TYPE } from '../../lib/audit/acknowledgments';
import { approvedEmployeeRoleName, auditorRoleName, breakGlassRoleName } from '../../lib/config/naming';
import { withPartitionToken } from '../../lib/constructs/access/wildcard-justifications';
import { markedDecision } from '../../lib/stacks/design-decisions';
import { buildTestApp } from '../helpers/app';
import { CDK_JSON_CONTEXT } from './cdk-json-context';

const built = buildTestApp(CDK_JSON_CONTEXT);

function roleNamed(template: Template, name: string) {
  const found = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: name } }));
  return found.length === 1 ? found[0].Properties : undefined;
}

describe('Access stack on the default synth', () => {
  test('gives every enclave an approved-employee and an auditor role with the boundary, and no break-glass', () => {
    for (const stage of built.enclaveStages) {
      const template = Template.fromStack(stage.access!);
      const name = stage.enclave.name;
      for (const roleName of [approvedEmployeeRoleName(name), auditorRoleName(name)]) {
        expect(roleNamed(template, roleName)?.PermissionsBoundary).toEqual({
          Ref: expect.stringMatching(/^HumanBoundaryPolicy/),
        });
      }
      expect(roleNamed(template, breakGlassRoleName(name))).toBeUndefined();
      template.resourceCountIs('AWS::Events::Rule', 0);
    }
  });

  test('lets the monitoring account, the default provider, assume the auditor role', () => {
    const template = Template.fromStack(built.enclaveStages[0].access!);
    const trust = roleNamed(template, auditorRoleName('dublin-1'))!.AssumeRolePolicyDocument.Statement;
    expect(trust[0].Principal).toEqual({
      AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444444444444:root']] },
    });
  });

  test('grants the data keys by the Data stack’s exported ARNs and deploys after it', () => {
    const stage = built.enclaveStages[0];
    const policy = roleNamed(Template.fromStack(stage.access!), approvedEmployeeRoleName('dublin-1'))!
      .Policies[0].PolicyDocument;
    const keys = policy.Statement.find(
      (statement: { Sid: string }) => statement.Sid === 'DataKeysViaEnclaveServices',
    );
    expect(keys.Resource).toHaveLength(2);
    for (const resource of keys.Resource)
      expect(resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^dublin-1-Data:/) });
    expect(stage.access!.dependencies).toContain(stage.data);
  });

  test('records an acknowledgment only for AwsSolutions-IAM5 findings that a justification explains', () => {
    const stage = built.enclaveStages[0];
    Template.fromStack(stage.access!);
    const acks = stage
      .access!.node.findAll()
      .flatMap((construct) =>
        construct.node.metadata.filter((entry) => entry.type === ACKNOWLEDGMENT_METADATA_TYPE),
      )
      .map((entry) => entry.data as { rule: string; reason: string; decision?: string })
      // The compliance packs' design decisions are tested with docs/compliance.md (default-synth.test.ts).
      .filter((ack) => !/^(NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321)-/.test(ack.rule));
    expect(acks.length).toBeGreaterThan(0);
    const accessWildcards = markedDecision('ACCESS_ROLE_WILDCARDS').wildcards!;
    for (const ack of acks) {
      expect(ack.decision).toBe('ACCESS_ROLE_WILDCARDS');
      const finding = /^AwsSolutions-IAM5\[(.*)\]$/.exec(ack.rule)?.[1];
      expect(finding).toBeDefined();
      expect(
        accessWildcards.find((justification) => justification.finding.test(withPartitionToken(finding!)))
          ?.reason,
      ).toBe(ack.reason);
    }
  });
});

describe('Access stack with break-glass configured', () => {
  const withBreakGlass = buildTestApp({
    ...CDK_JSON_CONTEXT,
    config: 'test/fixtures/access/break-glass-guardrails.json',
  });

  test('creates the break-glass role and its alarm in every enclave, the interim one too', () => {
    expect(withBreakGlass.enclaveStages.map((stage) => stage.enclave.name)).toEqual([
      'dublin-1',
      'dublin-2',
      'hamar',
      'interim-us',
    ]);
    for (const stage of withBreakGlass.enclaveStages) {
      const template = Template.fromStack(stage.access!);
      const role = roleNamed(template, breakGlassRoleName(stage.enclave.name))!;
      expect(role.Tags).toEqual(
        expect.arrayContaining([{ Key: 'clover:break-glass-expires', Value: '2026-12-31' }]),
      );
      template.resourceCountIs('AWS::Events::Rule', 1);
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'https',
        Endpoint: 'https://alerts.monitor.example.eu/v1/alerts',
      });
    }
  });
});
