import * as fs from 'fs';
import { Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { validateWithCfnLint } from '../../cli/audit/packs/cfn-validate';
import { flowStacksOf } from '../../lib/app/assembly-stacks';
import { main, MainOptions } from '../../lib/app/main';
import { AssemblyCatalog } from '../../lib/audit/runtime/catalog';
import { FlowJudge } from '../../lib/audit/runtime/judge';
import { PolicyLayers } from '../../lib/audit/runtime/layers';
import { proveRuntimeFlows } from '../../lib/audit/runtime/prove';
import { AssemblyResolver } from '../../lib/audit/runtime/resolver';
import { loadSimulator } from '../../lib/audit/runtime/simulate';
import { findRegion, isAllowedRegion } from '../../lib/config/regions';
import { baselineTemplate } from '../../lib/constructs/guardrails/baseline';
import { buildTestApp, TEST_CONTEXT } from '../helpers/app';
import { captureOutput } from '../helpers/output';

const FIXTURE = 'test/fixtures/access/organization-guardrails.json';
const raw = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as {
  enclaves: Array<{ region: string; interim?: unknown }>;
};

describe('guardrails with an organisation', () => {
  const built = buildTestApp({ config: FIXTURE });
  const stack = built.guardrailsStage!.guardrails;
  const assembly = built.app.synth();
  const template = Template.fromStack(stack);
  afterAll(() => fs.rmSync(built.app.outdir, { recursive: true, force: true }));

  test('the archive refuses a role that forges its enclave tag and path, customer-provided keys, and shippers writing a verifier’s evidence', async () => {
    const stacks = flowStacksOf(assembly, { allowJurisdictions: ['EU', 'EEA'], today: '2026-11-23' });
    const catalog = new AssemblyCatalog(new AssemblyResolver(stacks));
    const layers = new PolicyLayers(catalog);
    const archive = catalog
      .ofType('AWS::S3::Bucket')
      .find((located) =>
        JSON.stringify(layers.resourcePolicyOf(located)?.document ?? {}).includes(
          'ShippersWriteTheirEnclavePrefix',
        ),
      )!;
    const judge = new FlowJudge(catalog, layers, loadSimulator(), '2026-11-23');
    const { organization } = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')).guardrails as {
      organization: { id: string; enclaveOus: string[] };
    };
    // Any role of an enclave account with any identity policy, as an IAM administrator there could make it.
    const write = async (role: string, tag: string, key: string, headers: Record<string, string> = {}) => {
      const account = /::(\d{12}):/.exec(role)![1];
      const result = await judge.judge({
        id: key,
        kind: 'forbidden',
        origin: 'probe',
        title: key,
        anchor: { stack: archive.stack, logicalId: archive.resource.logicalId },
        requests: [
          {
            principal: { kind: 'role', arn: role, account },
            action: 's3:PutObject',
            resource: `${archive.arn}/${key}`,
            resourceAccount: '444444444444',
            resourceRegion: 'eu-west-1',
            context: {
              'aws:PrincipalTag/clover:enclave': tag,
              'aws:PrincipalOrgID': organization.id,
              'aws:PrincipalOrgPaths': organization.enclaveOus.map(
                (ou) => `${organization.id}/r-clover/${ou}/`,
              ),
              's3:if-none-match': '*',
              ...headers,
            },
            identity: 'allow-all',
            resourceLayerOnly: true,
          },
        ],
      });
      return result.status;
    };
    // The shipper of dublin-1 writes its batches; a role with a path and a tag holding a `/` does not.
    expect(
      await write(
        'arn:aws:iam::111111111111:role/clover-dublin-1-log-shipper',
        'dublin-1',
        'archive/dublin-1/111111111111/2026/11/23/batch.ndjson.gz',
      ),
    ).toBe('allowed');
    expect(
      await write(
        'arn:aws:iam::222222222222:role/clover-dublin-1/migration-log-shipper',
        'dublin-1/migration',
        'archive/dublin-1/migration/evidence.json',
      ),
    ).toBe('denied');
    // Nor with a key of its own (SSE-C) instead of the archive's.
    expect(
      await write(
        'arn:aws:iam::111111111111:role/clover-dublin-1-log-shipper',
        'dublin-1',
        'archive/dublin-1/111111111111/2026/11/23/batch.ndjson.gz',
        { 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' },
      ),
    ).toBe('denied');
    // A role of another enclave account that takes the name and tag of dublin-1's shipper writes under its own
    // account's prefix at most, never beside the batches of dublin-1's account.
    expect(
      await write(
        'arn:aws:iam::222222222222:role/clover-dublin-1-log-shipper',
        'dublin-1',
        'archive/dublin-1/111111111111/2026/11/23/forged.ndjson.gz',
      ),
    ).toBe('denied');
    expect(
      await write(
        'arn:aws:iam::222222222222:role/clover-dublin-1-log-shipper',
        'dublin-1',
        'archive/dublin-1/222222222222/2026/11/23/batch.ndjson.gz',
      ),
    ).toBe('allowed');
    // The verifier's evidence lies under dublin-1's prefix: dublin-1's own shipper may not write there first.
    expect(
      await write(
        'arn:aws:iam::111111111111:role/clover-dublin-1-log-shipper',
        'dublin-1',
        'archive/dublin-1/migration/evidence.json',
      ),
    ).toBe('denied');
  });

  test('rolls the baseline out with a service-managed StackSet, auto-deployment on, to the enclave OUs', () => {
    template.resourceCountIs('AWS::CloudFormation::StackSet', 1);
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456'] },
          Regions: ['eu-west-1', 'eu-north-1'],
        },
        // Milan is opt-in: enabled only in the milan enclave's account, so only that account gets it.
        {
          DeploymentTargets: {
            OrganizationalUnitIds: ['ou-ab12-cdef3456'],
            Accounts: ['777777777777'],
            AccountFilterType: 'INTERSECTION',
          },
          Regions: ['eu-south-1'],
        },
      ],
    });
  });

  test('deploys to exactly the config’s European enclave regions of the organisation’s partition', () => {
    // From the fixture itself: each allowed enclave region of the aws partition, once; never us-east-1.
    const expected = [
      ...new Set(
        raw.enclaves
          .filter((e) => !e.interim && isAllowedRegion(e.region, ['EU', 'EEA']))
          .filter((e) => findRegion(e.region)?.partition === 'aws')
          .map((e) => e.region),
      ),
    ];
    const [stackSet] = Object.values(template.findResources('AWS::CloudFormation::StackSet'));
    const regions: string[] = stackSet.Properties.StackInstancesGroup.flatMap(
      (group: { Regions: string[] }) => group.Regions,
    );
    expect([...regions].sort()).toEqual([...expected].sort());
    expect(regions).toContain('eu-south-1');
    expect(regions).not.toContain('eu-south-2');
    expect(regions).not.toContain('us-east-1');
  });

  test('passes the monitoring plane’s names as parameters, so clover plan deploys it first', () => {
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      Parameters: [
        { ParameterKey: 'ConfigBucketName', ParameterValue: 'clover-config-444444444444-eu-west-1' },
        { ParameterKey: 'ConfigKeyAlias', ParameterValue: 'clover-monitoring-config' },
        { ParameterKey: 'MonitoringAccount', ParameterValue: '444444444444' },
        { ParameterKey: 'MonitoringRegion', ParameterValue: 'eu-west-1' },
        { ParameterKey: 'MonitoringAuditorRoleArn', ParameterValue: {} },
      ],
    });
  });

  test('attaches every guardrail SCP to the targets and the enclave OUs, and denies peering by OU path', () => {
    template.allResourcesProperties('AWS::Organizations::Policy', {
      TargetIds: ['r-ab12', 'ou-ab12-cdef3456'],
    });
    const protection = Object.values(
      template.findResources('AWS::Organizations::Policy', {
        Properties: { Name: 'clover-protection-guardrail' },
      }),
    )[0];
    const network = protection.Properties.Content.Statement.find(
      (s: { Sid: string }) => s.Sid === 'DenyNetworkPathsOutOfEnclaves',
    );
    expect(network.Condition).toEqual({
      'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/*/ou-ab12-cdef3456/*'] },
    });
  });

  test('deploys: cfn-lint finds nothing in the guardrails stack (StackSet, SCPs)', () => {
    const report = validateWithCfnLint([
      {
        stackConstructPath: stack.node.path,
        templatePath: assembly
          .getNestedAssembly(`assembly-${Stage.of(stack)!.stageName}`)
          .getStackArtifact(stack.artifactId).templateFullPath,
        accountId: stack.account,
        region: stack.region,
      },
    ]);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });

  test('the baseline template is the one rendered, within the 51,200-byte TemplateBody limit', () => {
    const [stackSet] = Object.values(template.findResources('AWS::CloudFormation::StackSet'));
    const body = stackSet.Properties.TemplateBody as string;
    expect(JSON.parse(body)).toEqual(
      baselineTemplate({ configRecorder: true, globalResourcesRegion: 'eu-west-1' }),
    );
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(51_200);
  });
});

test('the runtime proof decides every request the same, with the same reason, whether shapes are shared or not', async () => {
  const built = buildTestApp({ config: FIXTURE });
  const assembly = built.app.synth();
  try {
    const stacks = flowStacksOf(assembly, { allowJurisdictions: ['EU', 'EEA'], today: '2026-11-23' });
    const verdicts = async (shareShapes: boolean) =>
      (await proveRuntimeFlows(stacks, { today: '2026-11-23', shareShapes })).results.flatMap((result) =>
        result.verdicts.map((verdict) => `${result.flow.id} ${verdict.status} ${verdict.reason}`),
      );
    const shared = await verdicts(true);
    expect(shared.length).toBeGreaterThan(1000);
    expect(shared).toEqual(await verdicts(false));
  } finally {
    fs.rmSync(built.app.outdir, { recursive: true, force: true });
  }
});

describe('the policy gate on an organisation config', () => {
  const run = (customise?: MainOptions['customise']) =>
    captureOutput(() => main({ appProps: { context: { ...TEST_CONTEXT, config: FIXTURE } }, customise }));

  test('passes, runtime flow proof included: the grants by organisation admit every required flow', async () => {
    const { result, stderr } = await run();
    expect(stderr).not.toMatch(/ERROR/);
    expect(result).toBe(0);
  });

  test('fails when a non-European region is planted in the StackSet, naming it (CLV-RES-6)', async () => {
    const { result, stderr } = await run((app) => {
      const stackSet = app
        .guardrailsStage!.guardrails.node.findAll()
        .find((c): c is cloudformation.CfnStackSet => c instanceof cloudformation.CfnStackSet)!;
      stackSet.addPropertyOverride('StackInstancesGroup.0.Regions.2', 'us-east-1');
    });
    expect(result).toBe(1);
    expect(stderr).toMatch(
      /ERROR CLV-RES-6 at guardrails\/Guardrails\/Baseline\/StackSet.*Regions\[2\] is us-east-1 \(outside Europe/,
    );
  });
});
