import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildCloverApp, CloverApp } from '../../lib/app/clover-app';
import { collectGateFindings, GateResult } from '../../lib/app/gate';
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
  gate = collectGateFindings(built.app.synth().directory, built.cloverChecks);
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

  test('warns of nothing: cfn-lint W3010 (real AZ names) is acknowledged, with an expiry, on the network constructs only', () => {
    expect(gate.findings.filter((f) => f.severity === 'warning')).toEqual([]);
    expect(gate.warnings).toBe(0);
    const w3010 = audit.report!.acknowledgments.items.filter((ack) => ack.rule === 'W3010');
    expect(w3010.map((ack) => ack.path).sort()).toEqual(
      ['dublin-1', 'dublin-2', 'hamar'].flatMap((enclave) => [
        `${enclave}/Network/Gateway`,
        `${enclave}/Network/Network`,
      ]),
    );
    expect(w3010.every((ack) => ack.status === 'active' && ack.expires === '2027-11-30')).toBe(true);
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

  test('reports exactly the CloverChecks findings and acknowledgments that synth reported', () => {
    expect(comparable(audit.report!.findings)).toEqual(comparable(built.cloverChecks.findings));
    const waivedAtSynth = built.cloverChecks.acknowledged
      .map(
        ({ finding, acknowledgment }) =>
          `${finding.stack} ${finding.rule} ${finding.resource} ${acknowledgment.path}`,
      )
      .sort();
    const waivedByAudit = audit
      .report!.acknowledgments.items.filter((ack) => String(ack.rule).startsWith('CLV-'))
      .flatMap((ack) =>
        (ack.resources as string[]).map((resource) => `${ack.stack} ${ack.rule} ${resource} ${ack.path}`),
      )
      .sort();
    expect(waivedByAudit).toEqual(waivedAtSynth);
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
      expect(await verdict.innerText()).toMatch(/^PASS: 0 errors, 0 warnings in \d+ stacks/);
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
