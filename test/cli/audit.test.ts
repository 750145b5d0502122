import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateTemplate } from '../../bench/audit/generate-template';
import { auditJson, clover, FIXTURES, REPO, ruleIds } from './audit/cli';

/** Writes `template` as `<name>.json` in a fresh directory, runs `use` on that file, then removes the directory. */
async function withTemplate<T>(
  name: string,
  template: unknown,
  use: (file: string) => Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-audit-test-'));
  try {
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(template));
    return await use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

jest.setTimeout(120_000);

const fixture = (name: string) => `${FIXTURES}/${name}`;

describe('clover audit on templates', () => {
  test.concurrent(
    'passes the compliant enclave template with exit 0 and the documented JSON shape',
    async () => {
      const { code, report, stderr } = await auditJson([fixture('compliant.json')]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(Object.keys(report!)).toEqual([
        'tool',
        'version',
        'generatedAt',
        'options',
        'inputs',
        'inputErrors',
        'findings',
        'summary',
        'residency',
        'interimEnclaves',
        'encryption',
        'routes',
        'access',
        'logCoverage',
        'runtimeFlows',
        'acknowledgments',
        'notJudged',
        'incomplete',
      ]);
      expect(report!.summary).toEqual({
        errors: 0,
        warnings: 0,
        resources: 71,
        stacks: 1,
        verdict: 'pass',
        notJudged: 1,
        incomplete: 0,
      });
      // What no rule judges is listed, not silently passed.
      expect(report!.notJudged.items.map((row) => row.type).sort()).toEqual(['Custom::AcceptEndpoints']);
      expect(report!.generatedAt).toBe('2026-11-23T00:00:00.000Z');
      const [input] = report!.inputs;
      expect(input.kind).toBe('template');
      expect(input.stacks[0]).toMatchObject({
        name: 'compliant',
        region: 'eu-west-1',
        regionSource: 'inferred',
      });
      const content = fs.readFileSync(path.join(REPO, fixture('compliant.json')));
      expect(input.files).toEqual([
        { path: fixture('compliant.json'), sha256: createHash('sha256').update(content).digest('hex') },
      ]);
      expect(report!.residency.items).toHaveLength(71);
      expect(report!.residency.items.every((row) => row.jurisdiction === 'EU' && row.allowed === true)).toBe(
        true,
      );
      const runtime = (
        report as unknown as {
          runtimeFlows: { note: string | null; items: Array<{ kind: string; holds: boolean | null }> };
        }
      ).runtimeFlows;
      expect(runtime.note).toBeNull();
      expect(runtime.items.filter((row) => row.kind === 'required').length).toBeGreaterThan(0);
      expect(runtime.items.every((row) => row.holds === true)).toBe(true);
      for (const inventory of [report!.encryption, report!.routes, report!.access, report!.logCoverage]) {
        expect(inventory.available).toBe(true);
        expect(inventory.items.length).toBeGreaterThan(0);
      }
    },
  );

  test.concurrent(
    'reads YAML short-form tags and keeps an unquoted Version: 2012-10-17 a string',
    async () => {
      const yaml = await auditJson([fixture('compliant.yaml')]);
      expect(yaml.stderr).toBe('');
      expect(yaml.code).toBe(0);
      expect(yaml.report!.summary).toMatchObject({ errors: 0, resources: 71, verdict: 'pass' });
      // The access matrix reads the trust policy, whose !Join principal and unquoted date came from YAML.
      const employee = yaml.report!.access.items.find((row) => row.role === 'EmployeeRole');
      expect(employee).toMatchObject({ humanAssumable: true, mfaRequired: true });
    },
  );

  test.concurrent.each([
    ['violation-residency.json', 'CLV-RES-2', 'Bucket', []],
    ['violation-encryption.json', 'CLV-ENC-1', 'Bucket', []],
    ['violation-routing.json', 'CLV-NET-1', 'WorkloadDefaultRouteA', []],
    // A trust of "*" is also a runtime breach: the proof lets a principal of another account assume the role.
    ['violation-access.json', 'CLV-ACC-2', 'EmployeeRole', ['CLV-RUN-3']],
    ['violation-logging.json', 'CLV-LOG-2', '', []],
  ])('fails %s with exit 1 and rule %s', async (file, rule, resource, alsoRules) => {
    const { code, report } = await auditJson([fixture(file), '--region', 'eu-west-1']);
    expect(code).toBe(1);
    expect(report!.summary.verdict).toBe('fail');
    expect(ruleIds(report)).toEqual([rule, ...alsoRules]);
    const finding = report!.findings.find((f) => f.rule === rule)!;
    expect(finding).toMatchObject({ severity: 'error', stack: file.replace('.json', ''), path: null });
    if (resource) expect(finding.resource).toBe(resource);
  });

  test.concurrent('audits a 600-resource template in one piece (no CfnInclude resource cap)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-audit-test-'));
    try {
      const file = path.join(dir, 'large.json');
      fs.writeFileSync(file, JSON.stringify(generateTemplate(600)));
      const { code, report } = await auditJson([file]);
      // Judged whole: the one finding is CloudFormation's own quota of 500 resources per stack.
      expect(code).toBe(1);
      expect(report!.summary).toMatchObject({ resources: 600, errors: 1 });
      expect(report!.findings).toEqual([
        expect.objectContaining({
          rule: 'CLV-LIM-2',
          message: expect.stringMatching(/600 resources, over the limit of 500/),
        }),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.concurrent('shows template text in Markdown as written, never as HTML', async () => {
    const key = 'arn:aws:kms:us-east-1:111111111111:key/<img src=x onerror=alert(1)>';
    const template = {
      Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: key } } },
    };
    const { code, stdout } = await withTemplate('markup', template, (file) =>
      clover(['audit', file, '--region', 'eu-west-1', '--format', 'md']),
    );
    expect(code).toBe(1);
    expect(stdout).toContain('key/&lt;img src=x onerror=alert(1)&gt;');
    expect(stdout).not.toMatch(/<img/);
  });

  test.concurrent(
    'lists a nested stack as not expanded, whatever its condition, and --fail-on incomplete fails',
    async () => {
      const child = (condition?: string) => ({
        Type: 'AWS::CloudFormation::Stack',
        ...(condition ? { Condition: condition } : {}),
        Properties: { TemplateURL: 'https://example-bucket.s3.eu-west-1.amazonaws.com/child.yaml' },
      });
      const template = {
        Parameters: { Create: { Type: 'String', Default: 'No' } },
        Conditions: { Creating: { 'Fn::Equals': [{ Ref: 'Create' }, 'Yes'] } },
        Resources: { Child: child(), MaybeChild: child('Creating') },
      };
      await withTemplate('parent', template, async (file) => {
        const { code, report } = await auditJson([file, '--region', 'eu-west-1']);
        expect(code).toBe(0);
        expect(report!.incomplete.items.map((row) => row.resource)).toEqual(['Child', 'MaybeChild']);
        const failing = await clover(['audit', file, '--region', 'eu-west-1', '--fail-on', 'incomplete']);
        expect(failing.code).toBe(1);
        expect(failing.stderr).toMatch(
          /Child is an AWS::CloudFormation::Stack, a nested stack from https:\/\/example-bucket/,
        );
      });
    },
  );

  test.concurrent(
    'names the resources the parameter defaults do not deploy: in counts, notes and incomplete',
    async () => {
      const choice = { Type: 'String', Default: 'No', AllowedValues: ['Yes', 'No'] };
      const isYes = (parameter: string) => ({ 'Fn::Equals': [{ Ref: parameter }, 'Yes'] });
      const template = {
        Parameters: { Alarm: choice, Extra: choice, More: choice },
        Conditions: {
          WithAlarm: isYes('Alarm'),
          WithBoth: { 'Fn::And': [isYes('Extra'), isYes('More')] },
        },
        Resources: {
          Queue: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'alias/aws/sqs' } },
          // Deployed when one parameter changes: judged in that branch, named in the notes.
          Alarm: {
            Type: 'AWS::CloudWatch::Alarm',
            Condition: 'WithAlarm',
            Properties: { ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, Threshold: 1 },
          },
          // Deployed only when two change at once: no branch judges it, so it is incomplete.
          Both: { Type: 'AWS::SQS::Queue', Condition: 'WithBoth' },
        },
      };
      const { report } = await withTemplate('conditional', template, (file) =>
        auditJson([file, '--region', 'eu-west-1']),
      );
      expect(report!.inputs[0].stacks[0].resources).toBe(3);
      expect(report!.notJudged.items.map((row) => row.resource)).toContain('Alarm');
      expect(report!.encryption.note).toMatch(
        /1 resource\(s\) only another parameter value deploys \(conditional\/Alarm\)/,
      );
      expect(report!.incomplete.items.map((row) => row.resource)).toEqual(['Both']);
    },
  );

  test.concurrent(
    'refuses only what is certainly wrong: a macro may add the resources and conditions',
    async () => {
      // Empty Resources and an undefined Condition are the macro's to fill: audited, the macro noted.
      const macro = {
        Transform: 'Acme::Generate',
        Resources: { Queue: { Type: 'AWS::SQS::Queue', Condition: 'FromMacro' } },
      };
      const { code, report } = await withTemplate('macro', macro, (file) =>
        auditJson([file, '--region', 'eu-west-1']),
      );
      expect(code).not.toBe(2);
      expect(report!.incomplete.items.map((row) => row.transform)).toEqual(['Acme::Generate']);
      // A condition only the region decides is simply false here: not "several parameters", not incomplete.
      const regional = {
        Conditions: { InUsEast1: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } },
        Resources: {
          Queue: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'alias/aws/sqs' } },
          GlobalOnly: { Type: 'AWS::SQS::Queue', Condition: 'InUsEast1' },
        },
      };
      const gated = await withTemplate('regional', regional, (file) =>
        auditJson([file, '--region', 'eu-west-1']),
      );
      expect(gated.report!.incomplete.items).toEqual([]);
    },
  );

  test.concurrent('prints the same report twice for the same inputs and SOURCE_DATE_EPOCH', async () => {
    const args = ['audit', fixture('violation-routing.json'), fixture('compliant.yaml'), '--format', 'md'];
    const [first, second] = await Promise.all([clover(args), clover(args)]);
    expect(first.code).toBe(1);
    expect(first.stdout).toBe(second.stdout);
    expect(first.stdout).toContain('Generated: 2026-11-23T00:00:00.000Z');
    expect(first.stdout).toMatch(/## Findings by rule[\s\S]*### CLV-NET-1 \(error, 1 finding\)[\s\S]*Fix: /);
  });

  test.concurrent(
    'resolves an import between templates given together; alone, the key is a warning that names it (exit 0)',
    async () => {
      const together = await auditJson([
        fixture('linked/keys.json'),
        fixture('linked/secret.yaml'),
        '--region',
        'eu-west-1',
      ]);
      expect(together.code).toBe(0);
      expect(together.report!.findings).toEqual([]);
      const row = together.report!.encryption.items.find((item) => item.resource === 'Credentials');
      expect(row).toMatchObject({ keyKind: 'customer-managed', key: 'RecordsKey', rotation: true });
      const alone = await auditJson([fixture('linked/secret.yaml'), '--region', 'eu-west-1']);
      expect(alone.code).toBe(0);
      expect(alone.report!.findings.map((f) => [f.rule, f.severity, f.resource])).toEqual([
        ['CLV-ENC-10', 'warning', 'Credentials'],
      ]);
      expect(alone.report!.findings[0].message).toContain('records-key-arn');
      const strict = await auditJson([
        fixture('linked/secret.yaml'),
        '--region',
        'eu-west-1',
        '--fail-on',
        'warning',
      ]);
      expect(strict.code).toBe(1);
    },
  );

  test.concurrent(
    'the text verdict counts what no rule judged, and the evidence report lists it',
    async () => {
      const text = await clover(['audit', fixture('compliant.json')]);
      expect(text.code).toBe(0);
      expect(text.stdout.split('\n')[0]).toBe(
        'clover audit: pass (1 resource not judged): 0 error(s), 0 warning(s) in 1 stack(s), 71 resource(s)',
      );
      // IAM policies are judged by the service-limit rules (CLV-LIM); the custom resource by nothing.
      expect(text.stdout).toContain('Custom::AcceptEndpoints ×1');
      expect(text.stdout).not.toContain('AWS::IAM::Policy ×');
      const md = await clover(['audit', fixture('compliant.json'), '--format', 'md']);
      expect(md.stdout).toContain('## Verdict: ✓ PASS (1 resource not judged): 0 errors');
      expect(md.stdout).toMatch(
        /## Not judged \(1 resource\)[\s\S]*\| compliant \| AcceptEndpoints \| ⚠ Custom::AcceptEndpoints \|/,
      );
    },
  );

  test.concurrent(
    'rejects a bad --audit-log-retention with exit 2; a longer minimum fails the audit logs',
    async () => {
      const bad = await clover(['audit', fixture('compliant.json'), '--audit-log-retention', 'a year']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--audit-log-retention "a year" is not a whole number of days/);
      const strict = await auditJson([fixture('compliant.json'), '--audit-log-retention', '3650']);
      expect(strict.code).toBe(1);
      expect(ruleIds(strict.report)).toEqual(['CLV-LOG-9']);
    },
  );

  test.concurrent('writes the report to --out and names the verdict on stderr', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-audit-test-'));
    try {
      const out = path.join(dir, 'report.html');
      const { code, stdout, stderr } = await clover([
        'audit',
        fixture('compliant.json'),
        '--format',
        'html',
        '--out',
        out,
      ]);
      expect(code).toBe(0);
      expect(stdout).toBe('');
      expect(stderr).toContain('pass');
      const html = fs.readFileSync(out, 'utf8');
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain('<svg');
      // Self-contained: no scripts, no external stylesheets, images or fonts.
      expect(html).not.toMatch(/<script|<link|src=|url\(http/i);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('clover audit on a cdk.out', () => {
  test.concurrent(
    'reads nested Stage assemblies, construct paths and acknowledgments; an agnostic stack needs --region',
    async () => {
      const { code, report } = await auditJson([fixture('assembly')]);
      expect(code).toBe(1);
      const stacks = report!.inputs[0].stacks;
      expect(stacks.map((stack) => [stack.name, stack.account, stack.region, stack.regionSource])).toEqual([
        ['eu-Data', '111111111111', 'eu-west-1', 'manifest'],
        ['agnostic', null, null, 'unknown'],
      ]);
      expect(report!.findings.find((f) => f.stack === 'agnostic')).toMatchObject({
        rule: 'CLV-RES-1',
        resource: 'Key',
        path: 'Agnostic/Key/Resource',
      });
      expect(report!.inputs[0].files.map((file) => file.path)).toEqual([
        `${fixture('assembly')}/Agnostic.template.json`,
        `${fixture('assembly')}/assembly-eu/euData.metadata.json`,
        `${fixture('assembly')}/assembly-eu/euData.template.json`,
        `${fixture('assembly')}/assembly-eu/manifest.json`,
        `${fixture('assembly')}/manifest.json`,
      ]);
    },
  );

  test.concurrent(
    'honours and lists acknowledgments: active ones waive, expired and residency ones are findings',
    async () => {
      const { code, report } = await auditJson([fixture('assembly'), '--region', 'eu-west-1']);
      expect(code).toBe(1);
      const findings = report!.findings.map((f) => [f.rule, f.resource, f.path]);
      expect(findings).toEqual([
        ['CLV-ENC-1', '', 'eu/Data/OpenBucket'],
        ['CLV-RES-2', '', 'eu/Data'],
        ['CLV-ENC-1', 'OpenBucket', 'eu/Data/OpenBucket/Resource'],
        // The fixture's buckets have no server access logs; the AwsSolutions-S1 acknowledgment does not waive Clover's rule.
        ['CLV-LOG-8', 'OpenBucket', 'eu/Data/OpenBucket/Resource'],
      ]);
      expect(report!.acknowledgments.items.map((a) => [a.rule, a.path, a.status, a.resources])).toEqual([
        ['CLV-RES-2', 'eu/Data', 'refused', []],
        ['CLV-ENC-1', 'eu/Data/OpenBucket', 'expired', []],
        // Recorded for AwsSolutions: it waives nothing unless --with aws-solutions runs.
        ['AwsSolutions-S1', 'eu/Data/WaivedBucket', 'active', []],
        ['CLV-ENC-1', 'eu/Data/WaivedBucket', 'active', ['WaivedBucket']],
        // A design decision: no expiry, the register's ID.
        ['CLV-LOG-8', 'eu/Data/WaivedBucket', 'active', ['WaivedBucket']],
      ]);
      expect(
        report!.acknowledgments.items.map((a) => [a.rule, a.path, a.expires, a.decision]).slice(-2),
      ).toEqual([
        ['CLV-ENC-1', 'eu/Data/WaivedBucket', '2099-12-31', null],
        ['CLV-LOG-8', 'eu/Data/WaivedBucket', null, 'FIXTURE_PUBLIC_ASSETS'],
      ]);
    },
  );

  test.concurrent('an acknowledgment expires after its last day: --today decides', async () => {
    const { report } = await auditJson([
      fixture('assembly'),
      '--region',
      'eu-west-1',
      '--today',
      '2100-01-01',
    ]);
    const waived = report!.acknowledgments.items.find((a) => a.path === 'eu/Data/WaivedBucket');
    expect(waived).toMatchObject({ status: 'expired', resources: [] });
    expect(report!.findings.some((f) => f.resource === 'WaivedBucket' && f.rule === 'CLV-ENC-1')).toBe(true);
  });

  test.concurrent('a design decision never expires, whatever --today says', async () => {
    const { report } = await auditJson([
      fixture('assembly'),
      '--region',
      'eu-west-1',
      '--today',
      '2999-12-31',
    ]);
    const decision = report!.acknowledgments.items.find((a) => a.decision === 'FIXTURE_PUBLIC_ASSETS');
    expect(decision).toMatchObject({ status: 'active', expires: null, resources: ['WaivedBucket'] });
    expect(report!.findings.some((f) => f.resource === 'WaivedBucket' && f.rule === 'CLV-LOG-8')).toBe(false);
  });
});

describe('clover audit rejects bad input with exit 2 and one clear line', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'a missing path',
      [fixture('missing.json')],
      /missing\.json does not exist; give a cdk\.out directory or a template file/,
    ],
    ['an empty file', [fixture('bad/empty.json')], /empty\.json is empty/],
    [
      'invalid JSON',
      [fixture('bad/invalid.json')],
      /invalid\.json is not valid JSON; fix the JSON syntax at line 3, column 44$/m,
    ],
    ['invalid YAML', [fixture('bad/invalid.yaml')], /invalid\.yaml is not valid YAML: .* at line \d+/],
    ['an unknown YAML tag', [fixture('bad/unknown-tag.yaml')], /unknown tag: !Reference at line 5/],
    [
      'a YAML file of several documents',
      [fixture('bad/multi-document.yaml'), '--region', 'eu-west-1'],
      /multi-document\.yaml holds more than one YAML document \(a second one starts with --- at line 5\); CloudFormation reads one template per file/,
    ],
    [
      'a YAML alias bomb (aliases of aliases, expanding without bound)',
      [fixture('bad/alias-bomb.yaml'), '--region', 'eu-west-1'],
      /alias-bomb\.yaml: its YAML aliases \(\*name\) expand to more than 10,000 copies of anchored values.*; fix: write the repeated values out/,
    ],
    [
      'a YAML alias without its anchor (not an alias bomb)',
      [fixture('bad/unresolved-alias.yaml'), '--region', 'eu-west-1'],
      /unresolved-alias\.yaml: a YAML alias cannot be resolved \(.*nope\); fix: define the anchor/,
    ],
    [
      'a YAML alias inside its own anchor (a template that contains itself)',
      [fixture('bad/self-alias.yaml'), '--region', 'eu-west-1'],
      /self-alias\.yaml: a YAML alias \(\*name\) refers to the anchor \(&name\) that contains it.*; fix:/,
    ],
    [
      'values nested 600 levels deep',
      [fixture('bad/deep.json'), '--region', 'eu-west-1'],
      /deep\.json nests values more than 512 levels deep.*; fix: flatten the nesting/,
    ],
    [
      'a cdk.out whose nested assembly is the assembly itself',
      [fixture('bad/looping-assembly')],
      /looping-assembly: a nested assembly \(cdk:cloud-assembly artifact\) is the directory .*looping-assembly that holds it.*; fix:/,
    ],
    [
      'a template whose Resources section is empty',
      [fixture('bad/empty-resources.yaml'), '--region', 'eu-west-1'],
      /empty-resources\.yaml: its Resources section is empty, and CloudFormation rejects a template without a resource/,
    ],
    [
      'a resource whose Type is not a name',
      [fixture('bad/type-number.yaml'), '--region', 'eu-west-1'],
      /type-number\.yaml: Resources\.Queue has Type 42, which is not a resource type name; write a Type such as AWS::S3::Bucket/,
    ],
    [
      'a resource whose Condition the template does not define',
      [fixture('bad/undefined-condition.yaml'), '--region', 'eu-west-1'],
      /undefined-condition\.yaml: Resources\.Bucket has Condition "Nope", which the template's Conditions section does not define/,
    ],
    [
      'a SAM resource without the SAM transform',
      [fixture('bad/sam-without-transform.yaml'), '--region', 'eu-west-1'],
      /sam-without-transform\.yaml: Resources\.Function is an AWS::Serverless::Function, but the template declares no Transform: AWS::Serverless-2016-10-31.*; fix: add Transform: AWS::Serverless-2016-10-31/,
    ],
    [
      'a file that is not a template',
      [fixture('bad/not-a-template.json')],
      /not a CloudFormation template: it has no Resources section/,
    ],
    [
      'an unknown region',
      [fixture('compliant.json'), '--region', 'eu-west-9'],
      /--region "eu-west-9" is not a known AWS region/,
    ],
    [
      'a directory without manifest.json whose only template names no region',
      [fixture('bad/no-manifest')],
      /cannot tell which region .*no-manifest\/Stack\.template\.json deploys to .*; pass --region/,
    ],
    [
      'an unknown --with pack',
      [fixture('compliant.json'), '--with', 'cfn-nag'],
      /--with "cfn-nag" is not one of: aws-solutions, control-tower, cfn-validate/,
    ],
    [
      'an unknown jurisdiction',
      [fixture('compliant.json'), '--jurisdictions', 'EU,US'],
      /--jurisdictions "US" is not one of: EU, EEA, CH, UK/,
    ],
    [
      'a bad --today',
      [fixture('compliant.json'), '--today', '2026-02-30'],
      /--today "2026-02-30" is not a date/,
    ],
  ];

  test.concurrent.each(cases)('%s', async (_name, args, message) => {
    const { code, stdout, stderr } = await clover(['audit', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test.concurrent('an unknown option (commander may add a suggestion line)', async () => {
    const { code, stdout, stderr } = await clover([
      'audit',
      fixture('compliant.json'),
      '--regoin',
      'eu-west-1',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/unknown option '--regoin'/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test.concurrent(
    'a directory audits its readable templates and lists one it cannot read safely',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-audit-test-'));
      try {
        fs.copyFileSync(fixture('compliant.json'), path.join(dir, 'compliant.json'));
        fs.copyFileSync(fixture('bad/alias-bomb.yaml'), path.join(dir, 'alias-bomb.yaml'));
        const { code, stdout, stderr } = await clover(['audit', dir, '--format', 'json']);
        expect(code).toBe(2);
        const report = JSON.parse(stdout) as {
          inputErrors: Array<{ message: string }>;
          summary: { stacks: number };
        };
        expect(report.summary.stacks).toBe(1);
        expect(report.inputErrors.map((problem) => problem.message)).toEqual([
          expect.stringMatching(/alias-bomb\.yaml: its YAML aliases/),
        ]);
        expect(stderr).not.toMatch(/internal error|\n\s+at /);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  // A full device: the report cannot be written, which is neither a pass nor findings.
  (fs.existsSync('/dev/full') ? test.concurrent : test.concurrent.skip)(
    'a report standard output cannot take is one line and exit 2, not a stack trace',
    async () => {
      const { spawn } = await import('child_process');
      const full = fs.openSync('/dev/full', 'w');
      try {
        const child = spawn(
          process.execPath,
          ['cli/clover.js', 'audit', fixture('compliant.json'), '--format', 'md'],
          { cwd: REPO, stdio: ['ignore', full, 'pipe'] },
        );
        let stderr = '';
        child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        expect(code).toBe(2);
        expect(stderr).toMatch(/^clover: cannot write to standard output \(ENOSPC\); fix: .*--out <file>\n$/);
      } finally {
        fs.closeSync(full);
      }
    },
  );

  test.concurrent('a bare template that names no availability zone needs --region', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-audit-test-'));
    try {
      const file = path.join(dir, 'bucket.json');
      fs.writeFileSync(file, JSON.stringify({ Resources: { Data: { Type: 'AWS::SQS::Queue' } } }));
      const { code, stderr } = await clover(['audit', file]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/cannot tell which region .*bucket\.json deploys to .*; pass --region/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
