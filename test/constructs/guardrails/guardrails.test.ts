import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OrganizationGuardrails } from '../../../lib/constructs/guardrails/organization-guardrails';
import {
  GLOBAL_SERVICE_ACTIONS,
  GuardrailInputs,
  guardrailPolicies,
  packStatements,
  protectionStatements,
  regionStatements,
  SCP_MAX_CHARACTERS,
  ScpDocument,
  scpSize,
} from '../../../lib/constructs/guardrails/scp';
import { renderWithPartition } from './render';

const EU_REGIONS = ['eu-west-1', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2'];
const INPUTS: GuardrailInputs = {
  partition: 'aws',
  allowedRegions: EU_REGIONS,
  enclaveAccounts: ['111111111111', '222222222222', '111111111111'],
  interim: [],
};
const INTERIM = { enclave: 'interim-us', account: '555555555555', region: 'us-east-1', sunset: '2030-12-31' };

/** `count` interim enclaves with distinct accounts, to push the region policy over the size limit. */
function manyInterim(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    enclave: `interim-${i}`,
    account: String(500000000000 + i),
    region: 'us-east-1',
    sunset: '2030-12-31',
  }));
}

describe('region deny', () => {
  test('denies every non-global action outside the allowed regions', () => {
    expect(regionStatements(INPUTS)).toEqual([
      {
        Sid: 'DenyOutsideAllowedRegions',
        Effect: 'Deny',
        NotAction: GLOBAL_SERVICE_ACTIONS,
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': EU_REGIONS } },
      },
    ]);
  });

  test('exempts the global services: IAM, Organizations, STS, CloudFront, Route 53, support, billing', () => {
    for (const action of [
      'iam:*',
      'organizations:*',
      'sts:*',
      'cloudfront:*',
      'route53:*',
      'support:*',
      'budgets:*',
    ]) {
      expect(GLOBAL_SERVICE_ACTIONS).toContain(action);
    }
    expect(GLOBAL_SERVICE_ACTIONS).not.toContain('kms:*');
    expect(GLOBAL_SERVICE_ACTIONS).not.toContain('s3:*');
  });

  test('exempts an interim account in its own region only, naming the sunset', () => {
    const [main, interim, afterSunset] = regionStatements({ ...INPUTS, interim: [INTERIM] });
    expect(main.Condition).toEqual({
      StringNotEquals: { 'aws:RequestedRegion': EU_REGIONS, 'aws:PrincipalAccount': ['555555555555'] },
    });
    expect(interim).toEqual({
      Sid: 'DenyOutsideRegionsInterimInterimUsUntil20301231',
      Effect: 'Deny',
      NotAction: GLOBAL_SERVICE_ACTIONS,
      Resource: '*',
      Condition: {
        StringNotEquals: { 'aws:RequestedRegion': [...EU_REGIONS, 'us-east-1'] },
        StringEquals: { 'aws:PrincipalAccount': '555555555555' },
      },
    });
    // The exemption ends by itself after the last day: a synth after the sunset fails, so no deploy
    // could withdraw it. Only the break-glass roles (to clean up) keep the region.
    expect(afterSunset).toEqual({
      Sid: 'DenyInterimRegionInterimUsAfter20301231',
      Effect: 'Deny',
      NotAction: GLOBAL_SERVICE_ACTIONS,
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:PrincipalAccount': '555555555555', 'aws:RequestedRegion': 'us-east-1' },
        DateGreaterThan: { 'aws:CurrentTime': '2030-12-31T23:59:59Z' },
        ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/clover-*-break-glass' },
      },
    });
  });
});

describe('protections', () => {
  const statements = protectionStatements(INPUTS);

  test('denies stopping, deleting or changing trails and deleting flow logs, except to break-glass', () => {
    expect(statements[0]).toEqual({
      Sid: 'DenyAuditTrailTampering',
      Effect: 'Deny',
      Action: [
        'cloudtrail:DeleteTrail',
        'cloudtrail:StopLogging',
        'cloudtrail:UpdateTrail',
        'ec2:DeleteFlowLogs',
      ],
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/clover-*-break-glass' } },
    });
  });

  test('denies deleting Clover log groups and disabling or deleting Clover-tagged keys', () => {
    expect(statements[1]).toMatchObject({
      Action: ['logs:DeleteLogGroup'],
      Resource: 'arn:aws:logs:*:*:log-group:/clover/*',
    });
    expect(statements[2]).toMatchObject({
      Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
      Condition: { Null: { 'aws:ResourceTag/clover:enclave': 'false' } },
    });
  });

  test('denies peering and transit gateway attachments in each enclave account, listed once', () => {
    expect(statements[3]).toEqual({
      Sid: 'DenyNetworkPathsOutOfEnclaves',
      Effect: 'Deny',
      Action: [
        'ec2:AcceptVpcPeeringConnection',
        'ec2:CreateTransitGatewayVpcAttachment',
        'ec2:CreateVpcPeeringConnection',
      ],
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': ['111111111111', '222222222222'] } },
    });
    expect(protectionStatements({ ...INPUTS, enclaveAccounts: [] })).toHaveLength(3);
  });
});

describe('SCP size limit', () => {
  test('measures minified JSON, as Organizations counts it', () => {
    const document: ScpDocument = { Version: '2012-10-17', Statement: [] };
    expect(scpSize(document)).toBe('{"Version":"2012-10-17","Statement":[]}'.length);
  });

  test('keeps the default guardrails in one region policy and one protection policy, each under 5,120 characters', () => {
    const policies = guardrailPolicies({ ...INPUTS, interim: [INTERIM] });
    expect(policies.map((policy) => policy.name)).toEqual([
      'clover-region-guardrail',
      'clover-protection-guardrail',
    ]);
    for (const policy of policies) expect(scpSize(policy.document)).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
  });

  test('splits a region policy that would exceed the limit into numbered parts that each fit, in order', () => {
    const interim = manyInterim(12);
    const policies = guardrailPolicies({ ...INPUTS, interim }).filter(
      (policy) => policy.purpose === 'region',
    );
    expect(policies.length).toBeGreaterThan(1);
    expect(policies[0].name).toBe('clover-region-guardrail-1');
    expect(policies[0].description).toMatch(/ \(part 1 of \d\)$/);
    for (const policy of policies) expect(policy.description.length).toBeLessThanOrEqual(512);
    for (const policy of policies) expect(scpSize(policy.document)).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    const sids = policies.flatMap((policy) => policy.document.Statement.map((statement) => statement.Sid));
    expect(sids).toEqual(regionStatements({ ...INPUTS, interim }).map((statement) => statement.Sid));
  });

  test('packs greedily and never leaves a part empty', () => {
    const statements = regionStatements({ ...INPUTS, interim: manyInterim(3) });
    const largest = Math.max(
      ...statements.map((statement) => scpSize({ Version: '2012-10-17', Statement: [statement] })),
    );
    const positions = statements.map((_, position) => position);
    expect(packStatements(statements, largest)).toEqual(positions.map((position) => [position]));
    const parts = packStatements(statements);
    expect(parts.flat()).toEqual(positions);
    expect(parts.length).toBeLessThan(statements.length);
    for (const part of parts) expect(part.length).toBeGreaterThan(0);
  });

  test('rejects a single statement that can never fit, naming it', () => {
    const accounts = Array.from({ length: 400 }, (_, i) => String(100000000000 + i));
    expect(() => guardrailPolicies({ ...INPUTS, enclaveAccounts: accounts })).toThrow(
      /SCP statement DenyNetworkPathsOutOfEnclaves alone is \d+ characters, over the 5120-character limit of AWS Organizations/,
    );
  });
});

describe('OrganizationGuardrails', () => {
  const stack = new Stack(new App(), 'Guardrails', { env: { account: '999999999999', region: 'eu-west-1' } });
  new OrganizationGuardrails(stack, 'Guardrails', {
    allowedRegions: EU_REGIONS,
    enclaveAccounts: ['111111111111'],
    interim: [INTERIM],
    targetIds: ['ou-abcd-12345678'],
  });
  const template = Template.fromStack(stack);

  test('creates each guardrail as an attached service control policy, the sunset in a tag', () => {
    template.resourceCountIs('AWS::Organizations::Policy', 2);
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Name: 'clover-region-guardrail',
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['ou-abcd-12345678'],
      Tags: [{ Key: 'clover:interim-sunset:interim-us', Value: '2030-12-31' }],
    });
  });

  test('writes ARNs with the stack partition, never a literal one', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/arn:aws:/);
  });

  test('renders every policy under 5,120 characters in every partition', () => {
    for (const policy of Object.values(template.findResources('AWS::Organizations::Policy'))) {
      for (const partition of ['aws', 'aws-eusc', 'aws-us-gov']) {
        const rendered = JSON.stringify(renderWithPartition(policy.Properties.Content, partition));
        expect(rendered).not.toMatch(/Fn::|"Ref"/);
        expect(rendered.length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
      }
    }
  });
});
