import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildCloverApp, CloverApp } from '../../lib/app/clover-app';
import { GateResult, runGate } from '../../lib/app/gate';
import { proveRuntimeFlows } from '../../lib/audit/runtime/prove';
import { TemplateIndex } from '../../lib/audit/template';
import { FLOWS_METADATA_KEY } from '../../lib/config/flow-declaration';
import { DESIGN_DECISIONS } from '../../lib/stacks/design-decisions';
import { loadInputs } from '../../cli/audit/inputs';
import { run } from '../../cli/main';
import { captureOutput } from '../helpers/output';
import { TEST_CONTEXT } from '../helpers/app';
import { hasTool } from '../helpers/tools';
import { AuditJson, auditJson, clover, REPO } from '../cli/audit/cli';

jest.setTimeout(240_000);

/** Where the evidence-report screenshot for docs/audit.md is kept. */
const SCREENSHOT = path.join(REPO, 'docs', 'audit-report.png');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Findings as comparable text; stack-level findings (expired acknowledgments) compare without their stack. */
interface ComparableFinding {
  readonly rule: string;
  readonly severity: string;
  readonly stack: string;
  readonly resource: string;
  readonly path?: string | null;
  readonly message: string;
}

/** Template resources, read freely by the structural tests. */
type Resources = Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Egress rules of a security group: inline (without CDK's "no egress" placeholder) and separate. */
function egressOf(resources: Resources, group: string): unknown[] {
  const inline = (resources[group].Properties.SecurityGroupEgress ?? []).filter(
    (rule: { CidrIp?: string }) => rule.CidrIp !== '255.255.255.255/32',
  );
  const separate = Object.values(resources)
    .filter(
      (r) => r.Type === 'AWS::EC2::SecurityGroupEgress' && r.Properties.GroupId['Fn::GetAtt']?.[0] === group,
    )
    .map((r) => r.Properties);
  return [...inline, ...separate];
}

function comparable(findings: ReadonlyArray<ComparableFinding>): string[] {
  return findings
    .map((f) =>
      [
        f.rule.replace(/^CloverChecks-/, ''),
        f.severity,
        f.resource ? f.stack : '',
        f.resource,
        f.path ?? '',
        f.message,
      ].join(' | '),
    )
    .sort();
}

/**
 * The one synth of the whole default app with every validation plugin on, as
 * `npx cdk synth` runs it: CloverChecks, AwsSolutions and CloudFormation
 * Validate (cfn-lint). Other test files skip cfn-lint to stay fast
 * (test/setup-env.js). Its cdk.out is then audited by the `clover` CLI.
 */
let outdir: string;
let built: CloverApp;
let gate: GateResult;
let audit: { code: number; report?: AuditJson; stderr: string };

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-default-synth-'));
  // test/setup-env.js turns cfn-lint off for unit tests; this is the test that keeps it on.
  delete process.env.CDK_VALIDATION;
  built = buildCloverApp({ outdir, context: TEST_CONTEXT });
  gate = await runGate(built, built.app.synth());
  audit = await auditJson([outdir, '--today', TEST_CONTEXT.today]);
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('the policy gate on the default synth', () => {
  test('finds no error from any pack in any stack', () => {
    expect(
      gate.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} at ${f.path}: ${f.message}`),
    ).toEqual([]);
    expect(gate.errors).toBe(0);
  });

  test('warns of nothing: cfn-lint W3010 (real AZ names) is a design decision on the network constructs only', () => {
    expect(gate.findings.filter((f) => f.severity === 'warning')).toEqual([]);
    expect(gate.warnings).toBe(0);
    const w3010 = audit.report!.acknowledgments.items.filter((ack) => ack.rule === 'W3010');
    expect(w3010.map((ack) => ack.path).sort()).toEqual(
      ['dublin-1', 'dublin-2', 'hamar'].flatMap((enclave) => [
        `${enclave}/Network/Gateway`,
        `${enclave}/Network/Network`,
      ]),
    );
    expect(
      w3010.every(
        (ack) => ack.status === 'active' && ack.expires === null && ack.decision === 'REAL_AZ_NAMES',
      ),
    ).toBe(true);
  });
});

describe('clover audit on the default synth', () => {
  test('audits clean (exit 0), like the synth gate', () => {
    expect(audit.stderr).toBe('');
    expect(built.cloverChecks.findings).toEqual([]);
    expect(audit.report!.findings).toEqual([]);
    expect(audit.code).toBe(0);
    expect(audit.report!.summary.verdict).toBe('pass');
  });

  test('reports exactly the CloverChecks findings and acknowledgments (runtime flows included) that synth reported', () => {
    expect(comparable(audit.report!.findings)).toEqual(comparable(built.cloverChecks.findings));
    const waivedAtSynth = [...built.cloverChecks.acknowledged, ...gate.runtime!.acknowledged].map(
      ({ finding, acknowledgment }) =>
        `${finding.stack} ${finding.rule} ${finding.resource} ${acknowledgment.path}`,
    );
    const waivedByAudit = audit
      .report!.acknowledgments.items.filter((ack) => String(ack.rule).startsWith('CLV-'))
      .flatMap((ack) =>
        (ack.resources as string[]).map((resource) => `${ack.stack} ${ack.rule} ${resource} ${ack.path}`),
      )
      .sort();
    // The register lists each waived resource once; synth reports one per finding.
    expect([...new Set(waivedByAudit)].sort()).toEqual([...new Set(waivedAtSynth)].sort());
  });

  test('reads every stack of every Stage with its environment, and hashes every template and manifest', () => {
    const [input] = audit.report!.inputs;
    const stacks = built.app.node
      .findAll()
      .filter((construct) => 'templateFile' in construct && 'stackName' in construct) as unknown as Array<{
      stackName: string;
      account: string;
      region: string;
    }>;
    expect(input.stacks.map((stack) => stack.name).sort()).toEqual(
      stacks.map((stack) => stack.stackName).sort(),
    );
    for (const stack of input.stacks) {
      expect(stack.regionSource).toBe('manifest');
      expect(stack.region).toMatch(/^eu-/);
      expect(stack.account).toMatch(/^\d{12}$/);
    }
    const files = input.files.map((file) => path.relative(outdir, file.path));
    expect(files).toContain('manifest.json');
    expect(files).toContain(path.join('assembly-dublin-1', 'manifest.json'));
    expect(files.filter((file) => file.endsWith('.template.json'))).toHaveLength(input.stacks.length);
    expect(input.files.every((file) => /^[0-9a-f]{64}$/.test(file.sha256))).toBe(true);
  });

  test('the HTML report shows the verdict, the residency map and the route proof in headless Chromium', async () => {
    if (!hasTool('chromium')) return;
    const html = path.join(outdir, 'report.html');
    const written = await clover([
      'audit',
      outdir,
      '--today',
      TEST_CONTEXT.today,
      '--format',
      'html',
      '--out',
      html,
    ]);
    expect(written.code).toBe(0);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
      await page.goto(`file://${html}`);
      const verdict = page.locator('#verdict');
      expect(await verdict.isVisible()).toBe(true);
      expect(await verdict.innerText()).toMatch(
        /^PASS \(\d+ resources? not judged\): 0 errors, 0 warnings in \d+ stacks/,
      );
      const residency = page.locator('#residency');
      expect(await residency.isVisible()).toBe(true);
      expect(await residency.locator('td', { hasText: 'eu-west-1 (EU)' }).count()).toBeGreaterThan(0);
      expect(await residency.locator('td', { hasText: 'eu-north-1 (EU)' }).count()).toBeGreaterThan(0);
      const routes = page.locator('#routes');
      await routes.scrollIntoViewIfNeeded();
      expect(await routes.isVisible()).toBe(true);
      const workloadVerdicts = routes.locator('tr', { hasText: 'workload' }).locator('td.ok');
      expect(await workloadVerdicts.count()).toBeGreaterThan(0);
      expect(await workloadVerdicts.first().innerText()).toMatch(/GWLB endpoint .* same AZ/);
      expect(await page.locator('svg.flow').isVisible()).toBe(true);
      await page.locator('h1').scrollIntoViewIfNeeded();
      await page.screenshot({ path: SCREENSHOT });
    } finally {
      await browser.close();
    }
  });
});

/** The JSON report of an in-process `clover audit <dir>` (the CLI's own code, without a child process). */
async function auditInProcess(dir: string): Promise<{ code: number; report: AuditJson }> {
  const { result: code, stdout } = await captureOutput(() =>
    run(['node', 'clover', 'audit', dir, '--format', 'json', '--today', TEST_CONTEXT.today]),
  );
  return { code, report: JSON.parse(stdout) as AuditJson };
}

interface RuntimeRow {
  readonly title: string;
  readonly kind: string;
  readonly origin: string;
  readonly status: string;
  readonly rule: string | null;
}

describe('the packs Clover offers, on its own output (issue 17)', () => {
  /** One audit with every extra pack: the three docs/audit.md suggests and cdk-nag's compliance packs. */
  let packs: { code: number; report?: AuditJson; stderr: string };
  beforeAll(async () => {
    packs = await auditJson([
      outdir,
      '--today',
      TEST_CONTEXT.today,
      '--with',
      'aws-solutions,control-tower,cfn-validate,nist-800-53-r5,hipaa-security,pci-dss-321',
    ]);
  });

  test('every waiver of the default synth is a design decision of the register: none expires', () => {
    const registered = new Set(DESIGN_DECISIONS.map((decision) => decision.id));
    const items = packs.report!.acknowledgments.items as unknown as Array<{
      rule: string;
      path: string;
      expires: string | null;
      decision: string | null;
    }>;
    expect(items.length).toBeGreaterThan(0);
    const dated = items.filter((ack) => ack.expires !== null || ack.decision === null);
    expect(dated.map((ack) => `${ack.rule} at ${ack.path} expires ${ack.expires}`)).toEqual([]);
    const unregistered = items.filter((ack) => !registered.has(ack.decision!));
    expect(unregistered.map((ack) => `${ack.rule} at ${ack.path}: ${ack.decision}`)).toEqual([]);
  });

  test('AwsSolutions, Control Tower and cfn-validate leave no unrecorded finding', () => {
    const unrecorded = packs.report!.findings.filter((f) => !/^(NIST|HIPAA|PCI)\./.test(f.rule));
    expect(unrecorded.map((f) => `${f.rule} ${f.stack}/${f.resource}`)).toEqual([]);
    // Control Tower ran on every stack and its design decisions were applied, not skipped.
    const controlTower = packs.report!.acknowledgments.items.filter((ack) =>
      String(ack.rule).startsWith('CT.'),
    );
    expect(controlTower.length).toBeGreaterThan(0);
  });

  test('docs/compliance.md gives the NIST 800-53 R5, HIPAA and PCI DSS counts as measured', () => {
    const doc = fs.readFileSync(path.join(REPO, 'docs', 'compliance.md'), 'utf8');
    const items = packs.report!.acknowledgments.items as unknown as Array<{
      rule: string;
      resources: string[];
    }>;
    for (const [pack, prefix] of [
      ['nist-800-53-r5', 'NIST.800.53.R5-'],
      ['hipaa-security', 'HIPAA.Security-'],
      ['pci-dss-321', 'PCI.DSS.321-'],
    ]) {
      const unrecorded = packs.report!.findings.filter((f) => f.rule.startsWith(prefix)).length;
      const recorded = items
        .filter((ack) => ack.rule.startsWith(prefix))
        .reduce((sum, ack) => sum + ack.resources.length, 0);
      const row = new RegExp(`^\\| [^|]+ \\| \`${pack}\` +\\| (\\d+) +\\| (\\d+) +\\| (\\d+) +\\|`, 'm').exec(
        doc,
      );
      expect({ pack, row: row?.slice(1).map(Number) }).toEqual({
        pack,
        row: [recorded + unrecorded, recorded, unrecorded],
      });
    }
  });
});

describe('the runtime flow proof (CLV-RUN) on the default synth', () => {
  test('is judged at synth and finds nothing: no CLV-RUN finding, and no acknowledgment standing for one', () => {
    expect(gate.runtime!.judged).toBe(true);
    expect(gate.runtime!.findings).toEqual([]);
    expect(gate.runtime!.acknowledged).toEqual([]);
    const runtimeAcks = audit.report!.acknowledgments.items.filter((ack) =>
      String(ack.rule).startsWith('CLV-RUN'),
    );
    expect(runtimeAcks).toEqual([]);
  });

  test('the defects the independent review found stay fixed: each of those flows now holds', () => {
    const rows = (audit.report as unknown as { runtimeFlows: { items: RuntimeRow[] } }).runtimeFlows.items;
    const outcome = (title: RegExp) => [
      ...new Set(rows.filter((row) => title.test(row.title)).map((row) => row.status)),
    ];
    const fixed: Array<[RegExp, string]> = [
      // 1, 2: the shipper's archive write (SSE by the bucket default; the client in the archive's region, Hamar too).
      [/^the log shipper of (dublin-1|dublin-2|hamar) writes a batch to the evidence archive$/, 'allowed'],
      // 3: CloudWatch publishes to the Logging stack's alarm topic.
      [
        /^alarm clover-(dublin-1|dublin-2|hamar)-(log-shipper|s3-data|security-events)[\w-]+ → topic clover-[\w-]+-logging-alarms$/,
        'allowed',
      ],
      // 4: CloudTrail writes its bucket and describes its key.
      [/^trail clover-(dublin-1|dublin-2|hamar) → bucket .* and its key$/, 'allowed'],
      // 7: the auditor reads evidence, not raw events; only the monitoring auditor role may assume it.
      [/^the independent auditor of [\w-]+ reads raw events of /, 'denied'],
      [
        /^an unnamed principal of account 444444444444 → trust policy of role clover-[\w-]+-independent-auditor$/,
        'denied',
      ],
      [/^the monitoring auditor assumes the independent auditor role of [\w-]+$/, 'allowed'],
      // 8: EventBridge and CloudWatch act for this account only.
      [
        /^events \(events.amazonaws.com\) acting for another account \(999999999999\) → topic policy SecurityEventsAlertsPolicy\w+ \(monitoring-Monitoring\)$/,
        'denied',
      ],
      [
        /^an unnamed principal of account (111111111111|222222222222|333333333333) → event bus policy SecurityEventsBus\w+ \(monitoring-Monitoring\)$/,
        'denied',
      ],
      // 10: Clover's functions reach AWS through the enclave's interface endpoints (their policies allow it).
      [
        /^the deploy-time handler (revokes the default security group’s rules|accepts the GWLB endpoint connections) through the EC2 endpoint$/,
        'allowed',
      ],
      // 9: the logs interface endpoint carries this account's requests only.
      [
        /^a principal of an account outside the audited set \(999999999999\) → endpoint policy of GatewayLogsEndpoint\w+ \([\w-]+-Network\)$/,
        'denied',
      ],
    ];
    for (const [title, status] of fixed)
      expect({ title: title.source, outcome: outcome(title) }).toEqual({
        title: title.source,
        outcome: [status],
      });
  });

  test('the evidence report lists every runtime path the system needs and every one it must refuse', () => {
    const rows = (audit.report as unknown as { runtimeFlows: { items: RuntimeRow[] } }).runtimeFlows.items;
    const status = (title: RegExp) => rows.filter((row) => title.test(row.title)).map((row) => row.status);
    const listed: Array<[RegExp, string?]> = [
      [/^VPC flow log NetworkFlowLog\w+ → log group \/clover\/dublin-1\/vpc-flow-logs$/, 'allowed'],
      [/^log group \/clover\/dublin-1\/vpc-flow-logs → its key$/, 'allowed'],
      [
        /^CloudWatch Logs subscription of \/clover\/dublin-1\/vpc-flow-logs → clover-dublin-1-log-shipper$/,
        'allowed',
      ],
      [/^the log shipper of dublin-1 reads its monitor token$/, 'allowed'],
      [/^the log shipper of dublin-1 writes a batch to the evidence archive$/, 'allowed'],
      [/^the log shipper of dublin-1 dead-letters events it could not deliver$/, 'allowed'],
      [/^OnFailure destination of clover-dublin-1-log-shipper → /, 'allowed'],
      [/^trail clover-dublin-1 → bucket .* and its key$/, 'allowed'],
      [
        /^replication of clover-dublin-1-personal-111111111111-eu-west-1 → clover-dublin-2-personal-222222222222-eu-west-1$/,
        'allowed',
      ],
      [
        /^alarm clover-dublin-1-gateway-unhealthy-appliances → topic clover-dublin-1-gateway-alarms$/,
        'allowed',
      ],
      [/^event rule dublin-1-Logging-SecurityEvents[\w-]+ → clover-security-events$/, 'allowed'],
      [
        /^event rule clover-security-events\/monitoring-Monitoring-SecurityEvents[\w-]+ → clover-security-alerts$/,
        'allowed',
      ],
      [
        /^a gateway appliance of dublin-1 writes its flow log through the CloudWatch Logs interface endpoint$/,
        'allowed',
      ],
      [/^an approved employee of dublin-1 .* reads an object of clover-dublin-1-personal-/, 'allowed'],
      [
        /^the independent auditor of dublin-1 reads raw events of \/clover\/dublin-1\/vpc-flow-logs$/,
        'denied',
      ],
      [/^the independent auditor of dublin-1 reads user data in clover-dublin-1-personal-/, 'denied'],
      [
        /^a principal of an account outside the audited set \(999999999999\) → bucket policy VaultBucketspersonalPolicy\w+ \(dublin-1-Data\)$/,
        'denied',
      ],
      [
        /^a principal of an account outside the audited set \(999999999999\) → key policy of VaultKeyspersonalKey\w+ \(dublin-1-Data\)$/,
        'denied',
      ],
      [
        /^a principal of an account outside the audited set \(999999999999\) → AWS::DynamoDB::Table VaultRecords\w+ \(no resource policy\)$/,
        'denied',
      ],
      [
        /^a principal of an account outside the audited set \(999999999999\) → topic policy SecurityEventsAlertsPolicy\w+ \(monitoring-Monitoring\)$/,
        'denied',
      ],
      [
        /^a principal of an account outside the audited set \(999999999999\) → event bus policy SecurityEventsBus\w+ \(monitoring-Monitoring\)$/,
        'denied',
      ],
    ];
    for (const [title, expected] of listed) {
      const statuses = status(title);
      expect({ title: title.source, listed: statuses.length > 0 }).toEqual({
        title: title.source,
        listed: true,
      });
      if (expected)
        expect({ title: title.source, statuses: [...new Set(statuses)] }).toEqual({
          title: title.source,
          statuses: [expected],
        });
    }
  });

  test('Clover’s own functions run in the enclave VPC; deploy-time handlers reach AWS only through endpoints created before them (defect 10)', () => {
    const stacks = loadInputs([outdir], {}).flatMap((input) => input.stacks);
    const resourcesOf = (name: string) =>
      stacks.find((stack) => stack.name === name)!.template.Resources as unknown as Resources;
    for (const enclave of ['dublin-1', 'dublin-2', 'hamar']) {
      const network = resourcesOf(`${enclave}-Network`);
      const logging = resourcesOf(`${enclave}-Logging`);
      const workloadSubnets = Object.keys(network).filter(
        (id) => network[id].Type === 'AWS::EC2::Subnet' && /Workload/.test(id),
      );
      const interfaceEndpoints = Object.keys(network).filter(
        (id) =>
          network[id].Type === 'AWS::EC2::VPCEndpoint' &&
          network[id].Properties.VpcEndpointType === 'Interface' &&
          /ServiceEndpoints/.test(id),
      );
      expect(
        interfaceEndpoints.map((id) => /^NetworkServiceEndpoints(\w+?)Endpoint[0-9A-F]{8}$/.exec(id)?.[1]),
      ).toEqual(['Ec2', 'S3', 'Secretsmanager', 'Sqs']);
      const endpointGroup = network[interfaceEndpoints[0]].Properties.SecurityGroupIds[0]['Fn::GetAtt'][0];
      // Deploy-time handlers: in the workload subnets, HTTPS to the endpoints only, created after them.
      const handlers = Object.keys(network).filter((id) => network[id].Type === 'AWS::Lambda::Function');
      expect(handlers).toHaveLength(2);
      for (const id of handlers) {
        const { SubnetIds, SecurityGroupIds } = network[id].Properties.VpcConfig;
        expect(SubnetIds.map((subnet: { Ref: string }) => subnet.Ref).sort()).toEqual(
          [...workloadSubnets].sort(),
        );
        expect(egressOf(network, SecurityGroupIds[0]['Fn::GetAtt'][0])).toEqual([
          expect.objectContaining({
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            DestinationSecurityGroupId: { 'Fn::GetAtt': [endpointGroup, 'GroupId'] },
          }),
        ]);
        expect(network[id].DependsOn).toEqual(expect.arrayContaining(interfaceEndpoints));
      }
      // The shipper: in the same workload subnets, HTTPS out only (the monitor through the gateway).
      const shipper = Object.values(logging).find((r) => r.Type === 'AWS::Lambda::Function')!;
      const imported = shipper.Properties.VpcConfig.SubnetIds.map(
        (subnet: { 'Fn::ImportValue': string }) => subnet['Fn::ImportValue'],
      );
      expect(imported).toHaveLength(workloadSubnets.length);
      for (const subnet of workloadSubnets) expect(imported.join()).toContain(subnet);
      expect(egressOf(logging, shipper.Properties.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0])).toEqual([
        expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }),
      ]);
    }
  });

  test('the archive still refuses a write under SSE-S3 or another key (defect 1 was fixed without opening it)', async () => {
    const stacks = loadInputs([outdir], {})
      .flatMap((input) => input.stacks)
      .filter((stack) => /^(monitoring-Monitoring|dublin-1-Logging)$/.test(stack.name))
      .map((stack) => ({
        index: new TemplateIndex(stack.template, {
          stackName: stack.name,
          account: stack.account,
          region: stack.region,
          allowJurisdictions: ['EU', 'EEA'],
          today: TEST_CONTEXT.today,
        }),
        pathOf: () => undefined,
        acknowledgments: [],
      }));
    const write = (id: string, context: Record<string, string>) => ({
      id,
      kind: 'required',
      description: `the shipper writes with ${id}`,
      principal: 'arn:aws:iam::111111111111:role/clover-dublin-1-log-shipper',
      action: 's3:PutObject',
      resource:
        'arn:aws:s3:::clover-archive-444444444444-eu-west-1/archive/dublin-1/111111111111/2026/12/03/batch.ndjson.gz',
      context: { 's3:if-none-match': '*', ...context },
    });
    const writer = {
      index: new TemplateIndex(
        {
          Resources: {
            Probe: {
              Type: 'AWS::CloudFormation::WaitConditionHandle',
              Metadata: {
                [FLOWS_METADATA_KEY]: [
                  write('sse-s3', { 's3:x-amz-server-side-encryption': 'AES256' }),
                  write('another-key', {
                    's3:x-amz-server-side-encryption': 'aws:kms',
                    's3:x-amz-server-side-encryption-aws-kms-key-id':
                      'arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-4000-8000-000000000000',
                  }),
                ],
              },
            },
          },
        },
        {
          stackName: 'Writer',
          account: '111111111111',
          region: 'eu-west-1',
          allowJurisdictions: ['EU'],
          today: TEST_CONTEXT.today,
        },
      ),
      pathOf: () => undefined,
      acknowledgments: [],
    };
    const proof = await proveRuntimeFlows([...stacks, writer], { today: TEST_CONTEXT.today });
    expect(proof.findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(
        /"the shipper writes with sse-s3" is refused: .* statement WritesUseSseKms denies: s3:x-amz-server-side-encryption is "AES256"/,
      ),
      expect.stringMatching(
        /"the shipper writes with another-key" is refused: .* statement WritesUseTheArchiveKey denies: s3:x-amz-server-side-encryption-aws-kms-key-id is "arn:aws:kms:eu-west-1:111111111111:key\/0{8}/,
      ),
    ]);
  });

  describe('on a changed copy of the default cdk.out, clover audit fails with a CLV-RUN error for that flow', () => {
    let copy: string;
    beforeEach(() => {
      copy = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-mutated-'));
      fs.cpSync(outdir, copy, { recursive: true });
    });
    afterEach(() => fs.rmSync(copy, { recursive: true, force: true }));

    /** Edits the one template of the copy whose file name starts with `prefix`. */
    function editTemplate(
      assembly: string,
      prefix: string,
      edit: (resources: Record<string, { Type: string; Properties: Record<string, unknown> }>) => void,
    ) {
      const dir = path.join(copy, assembly);
      const [file] = fs
        .readdirSync(dir)
        .filter((name) => name.startsWith(prefix) && name.endsWith('.template.json'));
      const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      edit(template.Resources);
      fs.writeFileSync(path.join(dir, file), JSON.stringify(template));
    }

    async function newFindings(): Promise<string[]> {
      const { code, report } = await auditInProcess(copy);
      const findings = report.findings.map((f) => `${f.rule} ${f.stack}/${f.resource}: ${f.message}`);
      expect({ code, findings: findings.length > 0 }).toEqual({ code: 1, findings: true });
      return findings;
    }

    test('deleting the function permission a subscription depends on', async () => {
      editTemplate('assembly-dublin-1', 'dublin1Logging', (resources) => {
        const [id] = Object.keys(resources).filter((key) => key.startsWith('ShipperFlowLogsInvoke'));
        delete resources[id];
      });
      expect(await newFindings()).toEqual([
        expect.stringMatching(
          /^CLV-RUN-1 dublin-1-Logging\/ShipperFlowLogs\w+: required flow "CloudWatch Logs subscription of \/clover\/dublin-1\/vpc-flow-logs → clover-dublin-1-log-shipper" is refused/,
        ),
      ]);
    });

    test('adding a deny that refuses what replication sends', async () => {
      editTemplate('assembly-dublin-2', 'dublin2Data', (resources) => {
        const policy = Object.values(resources).find(
          (resource) =>
            resource.Type === 'AWS::S3::BucketPolicy' &&
            JSON.stringify(resource.Properties).includes('ReplicationFromDublin1'),
        )!;
        const document = policy.Properties.PolicyDocument as { Statement: unknown[] };
        document.Statement.push({
          Sid: 'NoReplicaTags',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:ReplicateTags',
          Resource: '*',
        });
      });
      expect(await newFindings()).toEqual([
        expect.stringMatching(
          /^CLV-RUN-1 dublin-1-Data\/VaultBucketspersonal\w+: required flow "replication of .*" is refused: role clover-dublin-1-s3-replication s3:ReplicateTags .* statement NoReplicaTags denies/,
        ),
      ]);
    });

    test('widening the archive key to every principal of the enclave accounts', async () => {
      editTemplate('assembly-monitoring', 'monitoringMonitoring', (resources) => {
        const key = Object.values(resources).find(
          (resource) =>
            resource.Type === 'AWS::KMS::Key' &&
            JSON.stringify(resource.Properties).includes('ShippersEncryptViaS3'),
        )!;
        const statement = (
          key.Properties.KeyPolicy as {
            Statement: Array<{ Sid?: string; Condition?: Record<string, unknown> }>;
          }
        ).Statement.find((s) => s.Sid === 'ShippersEncryptViaS3')!;
        delete statement.Condition!.ArnEquals;
      });
      const findings = await newFindings();
      expect(findings.length).toBeGreaterThanOrEqual(3);
      for (const account of ['111111111111', '222222222222', '333333333333']) {
        expect(findings).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^CLV-RUN-3 monitoring-Monitoring/ArchiveKey\\w+: forbidden flow "an unnamed principal of account ${account} → key policy of ArchiveKey\\w+ \\(monitoring-Monitoring\\)" is allowed: .*statement ShippersEncryptViaS3 allows$`,
            ),
          ),
        );
      }
    });

    test('dropping the archive from the S3 endpoint’s policy where the archive is in the enclave’s Region', async () => {
      editTemplate('assembly-dublin-1', 'dublin1Network', (resources) => {
        const endpoint = Object.entries(resources).find(([id]) =>
          /^NetworkServiceEndpointsS3Endpoint/.test(id),
        )![1];
        const document = endpoint.Properties.PolicyDocument as { Statement: Array<{ Sid?: string }> };
        document.Statement = document.Statement.filter(
          (statement) => statement.Sid !== 'ShipperArchiveWrites',
        );
      });
      expect(await newFindings()).toEqual([
        expect.stringMatching(
          /^CLV-RUN-2 dublin-1-Logging\/ShipperFunction\w+: required flow "the log shipper of dublin-1 writes a batch to the evidence archive" is refused: .* endpoint policy of NetworkServiceEndpointsS3Endpoint\w+ \(dublin-1-Network\) (has no statement that allows|does not allow it: statement ThisAccountOnItsBuckets requires aws:ResourceAccount)/,
        ),
      ]);
    });

    test('removing the gateway appliances’ permission to write their flow log', async () => {
      editTemplate('assembly-hamar', 'hamarNetwork', (resources) => {
        const policy = Object.values(resources).find(
          (resource) =>
            resource.Type === 'AWS::IAM::Policy' &&
            JSON.stringify(resource.Properties).includes('"WriteApplianceFlowLog"'),
        )!;
        const document = policy.Properties.PolicyDocument as { Statement: Array<{ Sid?: string }> };
        document.Statement = document.Statement.filter(
          (statement) => statement.Sid !== 'WriteApplianceFlowLog',
        );
      });
      expect(await newFindings()).toEqual([
        expect.stringMatching(
          /^CLV-RUN-2 hamar-Network\/GatewayAppliancesInstanceRole\w+: required flow "a gateway appliance of hamar writes its flow log through the CloudWatch Logs interface endpoint" is refused: role .* logs:PutLogEvents .* — policy GatewayAppliancesInstanceRoleDefaultPolicy\w+ \(hamar-Network\) has no statement that allows logs:PutLogEvents on /,
        ),
      ]);
    });
  });
});
