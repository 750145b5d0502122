import type { DataFlow } from '../inventory/dataflow';
import type { ResidencyRow } from '../inventory/residency';
import type { RuntimeFlowRow } from '../inventory/runtime';
import type { RuleDescription } from '../packs/types';
import {
  AuditResult,
  compareText,
  DEFAULTS_BRANCH_NOTE,
  FindingReport,
  Inventory,
  verdictText,
} from '../report';

/** How a cell reads at a glance: rendered as a colour in HTML and a marker in Markdown. */
export type Tone = 'ok' | 'bad' | 'warn' | 'muted';

export interface Cell {
  readonly text: string;
  readonly tone?: Tone;
}

/** A marker that carries the tone without colour (for Markdown, terminals and colour-blind readers). */
export const TONE_MARKER: Record<Tone, string> = { ok: '✓ ', bad: '✗ ', warn: '⚠ ', muted: '' };

/** The text of a cell or paragraph with its tone marker. */
export function markedText(item: { readonly text: string; readonly tone?: Tone }): string {
  return `${item.tone ? TONE_MARKER[item.tone] : ''}${item.text}`;
}

export type Block =
  | { readonly kind: 'paragraph'; readonly text: string; readonly tone?: Tone }
  | {
      readonly kind: 'table';
      readonly headers: readonly string[];
      readonly rows: readonly (readonly Cell[])[];
    }
  | { readonly kind: 'lines'; readonly lines: readonly string[] }
  | { readonly kind: 'diagram'; readonly flow: DataFlow }
  | {
      readonly kind: 'subsection';
      readonly id: string;
      readonly title: string;
      readonly blocks: readonly Block[];
    };

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

/**
 * The evidence report as a format-neutral document: the Markdown and HTML
 * renderers only lay it out, so both always carry the same evidence.
 */
export interface ReportDocument {
  readonly title: string;
  readonly verdict: {
    readonly passed: boolean;
    readonly headline: string;
    readonly details: readonly string[];
  };
  readonly sections: readonly Section[];
}

const paragraph = (text: string, tone?: Tone): Block => ({ kind: 'paragraph', text, tone });
const cell = (text: string, tone?: Tone): Cell => ({ text, tone });
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Says why a section is empty (no analyser in this build) or incomplete (the analyser failed on a stack). */
function inventoryNote<T>(inventory: Inventory<T>, what: string): Block[] {
  if (!inventory.available) {
    return [
      paragraph(
        `Not available in this build: ${what}. This section is left empty rather than guessed.`,
        'muted',
      ),
    ];
  }
  if (!inventory.note) return [];
  // A note that only says what the parameter defaults leave out (evaluate.ts) is information, not a failure.
  return inventory.note.startsWith(DEFAULTS_BRANCH_NOTE)
    ? [paragraph(`Note: this section ${inventory.note}.`, 'muted')]
    : [paragraph(`Incomplete: ${inventory.note}. Review those stacks by hand.`, 'bad')];
}

function verdictOf({ report }: AuditResult): ReportDocument['verdict'] {
  const { summary, options } = report;
  const passed = summary.verdict === 'pass';
  const headline = `${verdictText(summary).replace(/^(pass|fail)/, passed ? 'PASS' : 'FAIL')}: ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')} in ${plural(summary.stacks, 'stack')} (${plural(summary.resources, 'resource')})`;
  return {
    passed,
    headline,
    details: [
      `Fails on: ${options.failOn}${options.failOn === 'error' ? ' (warnings are reported but do not fail)' : options.failOn === 'incomplete' ? ' (errors, warnings, and parts of the templates not expanded)' : ''}`,
      ...report.inputErrors.map((problem) => `Not audited (could not be read): ${problem.message}`),
      `Allowed jurisdictions: ${options.jurisdictions.join(', ')}`,
      `Rule packs: CloverChecks${options.with.length ? `, ${options.with.join(', ')}` : ''}`,
      `Date for expiries and sunsets: ${options.today}`,
      `Generated: ${report.generatedAt} by ${report.tool} ${report.version}`,
    ],
  };
}

function ruleOrder(a: [string, FindingReport[]], b: [string, FindingReport[]]): number {
  const severity = (findings: FindingReport[]) => (findings.some((f) => f.severity === 'error') ? 0 : 1);
  return severity(a[1]) - severity(b[1]) || compareText(a[0], b[0]);
}

function findingsSection(result: AuditResult): Section {
  const { findings } = result.report;
  if (findings.length === 0) {
    return {
      id: 'findings',
      title: 'Findings',
      blocks: [paragraph('No findings: every rule that ran passed.', 'ok')],
    };
  }
  const byRule = new Map<string, FindingReport[]>();
  for (const finding of findings) byRule.set(finding.rule, [...(byRule.get(finding.rule) ?? []), finding]);
  const blocks: Block[] = [...byRule].sort(ruleOrder).map(([rule, list]): Block => {
    const description: RuleDescription | undefined = result.rules.get(rule);
    const severity = list.some((f) => f.severity === 'error') ? 'error' : 'warning';
    const intro: Block[] = [];
    if (description) intro.push(paragraph(`${description.pack}: ${description.title}`));
    if (description?.explanation) intro.push(paragraph(`Why: ${description.explanation}`));
    intro.push(paragraph(`Fix: ${description?.fix ?? 'see the rule’s documentation in its pack'}`));
    return {
      kind: 'subsection',
      id: `rule-${rule.replace(/[^A-Za-z0-9-]/g, '-')}`,
      title: `${rule} (${severity}, ${plural(list.length, 'finding')})`,
      blocks: [
        ...intro,
        {
          kind: 'table',
          headers: ['Stack', 'File', 'Resource', 'Construct path', 'Finding'],
          rows: list.map((f) => [
            cell(f.stack),
            cell(f.file ?? '—', f.file ? undefined : 'muted'),
            cell(f.resource || '(stack)'),
            cell(f.path ?? '—', f.path ? undefined : 'muted'),
            cell(f.message, f.severity === 'error' ? 'bad' : 'warn'),
          ]),
        },
      ],
    };
  });
  return { id: 'findings', title: 'Findings by rule', blocks };
}

function regionCell(row: { region: string | null; jurisdiction: string; allowed: boolean }): Cell {
  return cell(
    row.region === null ? 'no region (environment-agnostic)' : `${row.region} (${row.jurisdiction})`,
    row.allowed ? 'ok' : 'bad',
  );
}

function residencySection(result: AuditResult): Section {
  const rows = result.report.residency.items as readonly ResidencyRow[];
  const stacks = result.report.inputs.flatMap((input) => input.stacks);
  const blocks: Block[] = [
    ...inventoryNote(result.report.residency, 'the residency map'),
    paragraph(
      'Every stack and every resource with the region it deploys to and that region’s jurisdiction; “named regions” are other regions a resource’s properties name (ARNs, endpoints, replicas). Green is inside the allowed jurisdictions.',
    ),
    {
      kind: 'table',
      headers: ['Stack', 'Account', 'Region', 'Region from', 'Enclave', 'Resources'],
      rows: stacks.map((stack) => [
        cell(stack.name),
        cell(stack.account ?? 'unknown', stack.account ? undefined : 'muted'),
        regionCell({ region: stack.region, jurisdiction: stack.jurisdiction, allowed: stack.regionAllowed }),
        cell(stack.regionSource),
        cell(stack.enclave ?? '—'),
        cell(String(stack.resources)),
      ]),
    },
    {
      kind: 'subsection',
      id: 'residency-resources',
      title: 'Every resource',
      blocks: [
        {
          kind: 'table',
          headers: ['Stack', 'Resource', 'Type', 'Region (jurisdiction)', 'Named regions'],
          rows: rows.map((row) => [
            cell(row.stack),
            cell(row.resource),
            cell(row.type),
            regionCell(row),
            row.namedRegions.length === 0
              ? cell('—', 'muted')
              : cell(
                  row.namedRegions.map((named) => `${named.region} (${named.jurisdiction})`).join(', '),
                  row.namedRegions.every((named) => named.allowed) ? 'ok' : 'bad',
                ),
          ]),
        },
      ],
    },
  ];
  return { id: 'residency', title: 'Residency map', blocks };
}

const yesNo = (value: boolean | null, good = true): Cell =>
  value === null ? cell('unknown', 'muted') : cell(value ? 'yes' : 'no', value === good ? 'ok' : 'bad');

function encryptionSection(result: AuditResult): Section {
  const inventory = result.report.encryption;
  const blocks: Block[] = [
    paragraph(
      'Every data store (bucket, table, queue, topic, log group, volume, database, stream …) with the KMS key that encrypts it, the key’s region, rotation and multi-region flag. Clover’s standard is a single-region customer-managed key of the store’s own region and account, with rotation on.',
    ),
    ...inventoryNote(inventory, 'the encryption analyser (lib/audit/encryption.ts)'),
  ];
  if (inventory.available && inventory.items.length === 0)
    blocks.push(paragraph('No data stores in the audited templates.', 'muted'));
  if (inventory.items.length > 0) {
    blocks.push({
      kind: 'table',
      headers: [
        'Stack',
        'Data store',
        'Type',
        'Data region',
        'Key',
        'Key kind',
        'Key region',
        'Rotation',
        'Multi-region',
        'Assessment',
      ],
      rows: inventory.items.map((row) => [
        cell(row.stack),
        cell(row.component ? `${row.resource} ${row.component}` : row.resource),
        cell(row.type),
        cell(row.region ?? 'unknown', row.region ? undefined : 'muted'),
        cell(row.key ?? '—', row.key ? undefined : 'muted'),
        cell(row.keyKind, row.keyKind === 'customer-managed' ? 'ok' : 'bad'),
        cell(row.keyRegion ?? 'unknown', row.keyRegion ? undefined : 'muted'),
        yesNo(row.rotation),
        yesNo(row.multiRegion, false),
        row.problem ? cell(row.problem, 'bad') : cell(`meets the standard: ${row.setting}`, 'ok'),
      ]),
    });
  }
  return { id: 'encryption', title: 'Encryption inventory', blocks };
}

function routesSection(result: AuditResult): Section {
  const inventory = result.report.routes;
  const blocks: Block[] = [
    paragraph(
      'Per VPC: each route table, the subnets (and AZs) it serves, its routes, and the verdict. A workload route table passes when every non-local route (0.0.0.0/0, ::/0) targets a Gateway Load Balancer endpoint in the same AZ as its subnets; anything else is the violation shown.',
    ),
    ...inventoryNote(inventory, 'the route analyser (lib/audit/routes.ts)'),
  ];
  if (inventory.available && inventory.items.length === 0)
    blocks.push(paragraph('No VPCs in the audited templates.', 'muted'));
  for (const vpc of inventory.items) {
    const vpcBlocks: Block[] = [
      paragraph(
        `${vpc.role} VPC (${vpc.reason}); CIDR ${vpc.cidrs.join(', ') || 'unknown'}; GWLB endpoints: ${vpc.gwlbEndpoints.join(', ') || 'none'}${vpc.interconnects.length ? `; interconnects: ${vpc.interconnects.join(', ')}` : ''}`,
      ),
      ...vpc.violations.map((message) => paragraph(message, 'bad')),
    ];
    if (vpc.routeTables.length > 0) {
      vpcBlocks.push({
        kind: 'table',
        headers: ['Route table', 'Role', 'Subnets (AZ)', 'Routes', 'Verdict'],
        rows: vpc.routeTables.map((table) => [
          cell(table.routeTable),
          cell(table.role),
          cell(table.subnets.length ? `${table.subnets.join(', ')} (${table.azs.join(', ')})` : '—'),
          cell(
            table.routes
              .map(
                (route) =>
                  `${route.destination} → ${route.target}${route.targetAz ? ` (${route.targetAz})` : ''}`,
              )
              .join('; ') || 'local only',
          ),
          table.verdict === 'violation'
            ? cell(table.violations.join('; '), 'bad')
            : table.verdict === 'ok'
              ? cell(
                  table.evidence.join('; ') || 'every default route goes through a same-AZ GWLB endpoint',
                  'ok',
                )
              : cell('not judged (not a workload route table)', 'muted'),
        ]),
      });
    }
    blocks.push({
      kind: 'subsection',
      id: `vpc-${vpc.stack}-${vpc.vpc}`.replace(/[^A-Za-z0-9-]/g, '-'),
      title: `${vpc.stack} / ${vpc.vpc}`,
      blocks: vpcBlocks,
    });
  }
  return { id: 'routes', title: 'Route proof', blocks };
}

function accessSection(result: AuditResult): Section {
  const inventory = result.report.access;
  const blocks: Block[] = [
    paragraph(
      'Each IAM role: who may assume it (principals of each Allow statement of its trust policy) and under which conditions; MFA, external ID and session tags required of people; Deny statements; the permissions boundary.',
    ),
    ...inventoryNote(inventory, 'the access analyser (lib/audit/access.ts)'),
  ];
  if (inventory.available && inventory.items.length === 0)
    blocks.push(paragraph('No IAM roles in the audited templates.', 'muted'));
  if (inventory.items.length > 0) {
    blocks.push({
      kind: 'table',
      headers: [
        'Stack',
        'Role',
        'Who may assume it',
        'Under which conditions',
        'MFA',
        'Session tags',
        'Denials',
        'Boundary',
      ],
      rows: inventory.items.map((row) => [
        cell(row.stack),
        cell(row.roleName ? `${row.role} (${row.roleName})` : row.role),
        cell(row.grants.map((grant) => grant.principals.join(', ')).join(' / ') || 'nobody'),
        cell(row.grants.map((grant) => grant.conditions.join(' AND ') || 'no condition').join(' / ') || '—'),
        row.humanAssumable ? yesNo(row.mfaRequired) : cell('services only', 'muted'),
        cell(row.sessionTags.join(', ') || '—', row.sessionTags.length ? undefined : 'muted'),
        cell(row.denials.join('; ') || '—', row.denials.length ? undefined : 'muted'),
        cell(row.permissionsBoundary ?? '—', row.permissionsBoundary ? undefined : 'muted'),
      ]),
    });
  }
  return { id: 'access', title: 'Access matrix', blocks };
}

function logCoverageSection(result: AuditResult): Section {
  const inventory = result.report.logCoverage;
  const blocks: Block[] = [
    paragraph(
      'Every log group: whether a subscription ships it to the independent monitor, by which shipper function, and what the shipper does with events it cannot deliver (OnFailure destination, dead-letter queue). Enclave log groups (flow logs, gateway appliance, trail) must be shipped.',
    ),
    ...inventoryNote(inventory, 'the logging analyser (lib/audit/logging.ts)'),
  ];
  if (inventory.available && inventory.items.length === 0)
    blocks.push(paragraph('No log groups in the audited templates.', 'muted'));
  if (inventory.items.length > 0) {
    blocks.push({
      kind: 'table',
      headers: [
        'Stack',
        'Log group',
        'Enclave log',
        'Retention (days)',
        'KMS key',
        'Shipped',
        'Shipper',
        'On failure',
        'Dead-letter queue',
      ],
      rows: inventory.items.map((row) => {
        const enclave = row.enclaveReasons.length > 0;
        const shipped = row.status !== 'not shipped';
        return [
          cell(row.stack),
          cell(
            row.resource && row.resource !== row.logGroup
              ? `${row.logGroup} (${row.resource})`
              : row.logGroup,
          ),
          cell(enclave ? row.enclaveReasons.join(', ') : 'no', enclave ? undefined : 'muted'),
          cell(row.retentionDays ?? 'forever', row.retentionDays ? undefined : 'warn'),
          cell(row.kmsKey ?? 'none', row.kmsKey ? 'ok' : 'bad'),
          cell(row.status, shipped ? 'ok' : enclave ? 'bad' : 'muted'),
          cell(row.shippers.map((s) => s.function).join(', ') || '—'),
          cell(row.shippers.map((s) => s.onFailure ?? '—').join(', ') || '—'),
          cell(
            row.shippers.map((s) => s.deadLetterQueue ?? '—').join(', ') || '—',
            row.shippers.length > 0 && row.shippers.every((s) => s.deadLetterQueue || s.onFailure)
              ? 'ok'
              : undefined,
          ),
        ];
      }),
    });
  }
  return { id: 'log-coverage', title: 'Log coverage', blocks };
}

const FLOW_STATUS: Record<RuntimeFlowRow['status'], string> = {
  allowed: 'allowed',
  denied: 'denied',
  'not-judged': 'not judged',
};

function flowStatusCell(row: RuntimeFlowRow): Cell {
  return cell(FLOW_STATUS[row.status], row.holds === null ? 'warn' : row.holds ? 'ok' : 'bad');
}

function flowTable(rows: readonly RuntimeFlowRow[]): Block {
  return {
    kind: 'table',
    headers: ['Flow', 'From', 'Reported on', 'Result', 'Decided by'],
    rows: rows.map((row) => [
      cell(row.title),
      cell(row.origin === 'wiring' ? 'template wiring' : 'declared in the assembly'),
      cell(`${row.stack}/${row.resource}`),
      flowStatusCell(row),
      cell(
        row.holds === true && row.kind === 'required' ? '—' : (row.decidedBy ?? '—'),
        row.holds === true ? 'muted' : undefined,
      ),
    ]),
  };
}

function runtimeFlowsSection(result: AuditResult): Section {
  const inventory = result.report.runtimeFlows;
  const rows = inventory.items;
  const blocks: Block[] = [
    paragraph(
      'Every path the running system needs, and every path it must refuse, judged before deploy by @cloud-copilot/iam-simulate against every policy layer the inputs hold: identity policies and permissions boundaries, service control policies, resource and key policies, VPC endpoint policies. Required flows come from the templates’ wiring (who calls whom) and from calls the constructs declare in the cloud assembly, with the request context the caller really sends (source ARN and account, encryption context, headers, tags, region). Forbidden flows are probed one resource policy at a time: a policy that by itself lets a forbidden principal in is a finding even if another layer would refuse.',
    ),
  ];
  if (inventory.note) blocks.push(paragraph(inventory.note, 'warn'));
  const required = rows.filter((row) => row.kind === 'required');
  const declaredForbidden = rows.filter((row) => row.kind === 'forbidden' && row.origin !== 'probe');
  const probes = rows.filter((row) => row.origin === 'probe');
  const count = (list: readonly RuntimeFlowRow[], status: RuntimeFlowRow['status']) =>
    list.filter((row) => row.status === status).length;
  blocks.push(
    paragraph(
      `${plural(required.length, 'required flow')}: ${count(required, 'allowed')} allowed, ${count(required, 'denied')} denied, ${count(required, 'not-judged')} not judged. ${plural(declaredForbidden.length + probes.length, 'forbidden flow')}: ${count([...declaredForbidden, ...probes], 'denied')} refused, ${count([...declaredForbidden, ...probes], 'allowed')} allowed, ${count([...declaredForbidden, ...probes], 'not-judged')} not judged.`,
      required.some((row) => row.holds === false) ||
        [...declaredForbidden, ...probes].some((row) => row.holds === false)
        ? 'bad'
        : 'ok',
    ),
  );
  blocks.push({
    kind: 'subsection',
    id: 'runtime-required',
    title: 'Required flows',
    blocks: required.length ? [flowTable(required)] : [paragraph('None found in the inputs.', 'muted')],
  });
  if (declaredForbidden.length > 0) {
    blocks.push({
      kind: 'subsection',
      id: 'runtime-forbidden',
      title: 'Forbidden flows (declared)',
      blocks: [flowTable(declaredForbidden)],
    });
  }
  const byPolicy = new Map<string, RuntimeFlowRow[]>();
  for (const row of probes) {
    const policy = row.title.slice(row.title.indexOf(' → ') + 3);
    byPolicy.set(policy, [...(byPolicy.get(policy) ?? []), row]);
  }
  blocks.push({
    kind: 'subsection',
    id: 'runtime-probes',
    title: 'Resource policies probed (one layer at a time)',
    blocks: [
      paragraph(
        'Each resource-based policy against an anonymous caller, a principal of an account outside the audited set, unnamed principals of the other accounts it names, principals of its own account without the approved-employee tags or from a blocked jurisdiction, and every AWS service it names acting for another account. Outside principals hold an allow-all identity policy and send every condition value a caller chooses.',
      ),
      byPolicy.size === 0
        ? paragraph('No resource policy with an Allow statement in the inputs.', 'muted')
        : {
            kind: 'table',
            headers: ['Policy', 'Probes', 'Result', 'Let in'],
            rows: [...byPolicy].map(([policy, list]) => {
              const breaches = list.filter((row) => row.holds === false);
              const unknown = list.filter((row) => row.holds === null);
              return [
                cell(policy),
                cell(String(list.length)),
                breaches.length
                  ? cell(`${breaches.length} let in`, 'bad')
                  : unknown.length
                    ? cell(`${unknown.length} not judged`, 'warn')
                    : cell('all refused', 'ok'),
                cell(
                  breaches.map((row) => row.title.slice(0, row.title.indexOf(' → '))).join('; ') || '—',
                  breaches.length ? undefined : 'muted',
                ),
              ];
            }),
          },
    ],
  });
  return { id: 'runtime-flows', title: 'Runtime flows', blocks };
}

function acknowledgmentSection(result: AuditResult): Section {
  const { items } = result.report.acknowledgments;
  const tone = { active: 'ok', expired: 'bad', refused: 'bad' } as const;
  const blocks: Block[] = [
    paragraph(
      'Every Clover acknowledgment recorded in the inputs (construct metadata in cdk.out): which rule it waives, where, why and until when. Clover’s own design decisions (docs/acknowledgments.md) never expire and name their decision; users’ acknowledgments expire, and expired ones waive nothing and are findings. Residency rules can never be acknowledged. A bare template carries none.',
    ),
  ];
  if (items.length === 0) blocks.push(paragraph('No acknowledgments recorded.', 'muted'));
  else
    blocks.push({
      kind: 'table',
      headers: ['Stack', 'Rule', 'Construct path', 'Waived resources', 'Reason', 'Expires', 'Status'],
      rows: items.map((ack) => [
        cell(ack.stack),
        cell(ack.rule),
        cell(ack.path),
        cell(ack.resources.join(', ') || '—', ack.resources.length ? undefined : 'muted'),
        cell(ack.reason),
        cell(ack.expires ?? `never: design decision ${ack.decision}`, ack.expires ? undefined : 'muted'),
        cell(ack.status, tone[ack.status]),
      ]),
    });
  return { id: 'acknowledgments', title: 'Acknowledgment register', blocks };
}

function notJudgedSection(result: AuditResult): Section {
  const inventory = result.report.notJudged;
  const blocks: Block[] = [
    paragraph(
      'Resources of a type no CloverChecks rule judges: only the residency scan of every property (regions named in ARNs, endpoints and region fields) looked at them. A pass says nothing about their encryption, access, network paths or logging; review them by hand. docs/coverage.md lists every type each rule judges.',
    ),
    ...inventoryNote(inventory, 'the list of resources no rule judges'),
  ];
  if (inventory.available && inventory.items.length === 0)
    blocks.push(paragraph('Every resource is of a type some rule judges.', 'ok'));
  if (inventory.items.length > 0) {
    blocks.push({
      kind: 'table',
      headers: ['Stack', 'Resource', 'Type'],
      rows: inventory.items.map((row) => [cell(row.stack), cell(row.resource), cell(row.type, 'warn')]),
    });
  }
  return { id: 'not-judged', title: `Not judged (${plural(inventory.items.length, 'resource')})`, blocks };
}

function incompleteSection(result: AuditResult): Section {
  const rows = result.report.incomplete.items;
  const blocks: Block[] = [
    paragraph(
      'Parts of the templates the audit could not expand into the resources they deploy, so no rule judged them: transforms and macros whose code runs only in CloudFormation (AWS::Include, your own macros), nested stacks from elsewhere (AWS::Serverless::Application), loops over values known only at deploy time, SAM types this build does not expand. AWS::LanguageExtensions and the AWS SAM transform are expanded before judging. `--fail-on incomplete` fails the audit on any of these.',
    ),
  ];
  if (rows.length === 0) blocks.push(paragraph('Every transform in the inputs was expanded.', 'ok'));
  else {
    blocks.push({
      kind: 'table',
      headers: ['File', 'Stack', 'Resource', 'Transform', 'Not judged because'],
      rows: rows.map((row) => [
        cell(row.file),
        cell(row.stack),
        cell(row.resource ?? '(template)'),
        cell(row.transform ?? '—', row.transform ? undefined : 'muted'),
        cell(row.reason, 'warn'),
      ]),
    });
  }
  return { id: 'not-expanded', title: `Not expanded (${plural(rows.length, 'part')})`, blocks };
}

function inputsSection(result: AuditResult): Section {
  return {
    id: 'inputs',
    title: 'Inputs (sha256)',
    blocks: [
      paragraph(
        'The exact files audited. Recompute with `sha256sum <file>` to prove this report belongs to them.',
      ),
      {
        kind: 'table',
        headers: ['Input', 'File', 'sha256'],
        rows: result.report.inputs.flatMap((input) =>
          input.files.map((file) => [cell(input.path), cell(file.path), cell(file.sha256)]),
        ),
      },
    ],
  };
}

function dataFlowSection(result: AuditResult): Section {
  return {
    id: 'data-flow',
    title: 'Data flow',
    blocks: [
      paragraph(
        'What the audited templates contain along Clover’s two paths: enclave traffic through the security gateway to egress, and enclave logs through the shipper to the independent monitor and the archive. Counts come from the templates; a dashed box means nothing of that kind was found.',
      ),
      { kind: 'diagram', flow: result.dataFlow },
    ],
  };
}

function interimSection(result: AuditResult): Section {
  const rows = result.report.interimEnclaves.items;
  const blocks: Block[] = [
    paragraph(
      'Each interim enclave: where its data sits, its phase in the lifecycle (hosting → replicating → cutover → decommissioned) and the phases it passed, the days left to its sunset, the European enclave it migrates into, and the evidence files of clover migration verify that the cut-over gate read at synth (sha256 of each file, verdict per store).',
    ),
  ];
  if (rows.length === 0) blocks.push(paragraph('No interim enclave in the audited templates.', 'muted'));
  if (rows.length > 0) {
    blocks.push({
      kind: 'table',
      headers: [
        'Enclave',
        'Region and jurisdiction',
        'Phase',
        'History',
        'Sunset',
        'Days to sunset',
        'Migrates into',
      ],
      rows: rows.map((row) => [
        cell(row.account ? `${row.enclave} (${row.account})` : row.enclave),
        cell(row.region ? `${row.region}: ${row.jurisdiction}` : row.jurisdiction),
        cell(row.phase),
        cell(
          row.history.map((entry) => `${entry.phase} until ${entry.date}`).join('; ') || '—',
          row.history.length ? undefined : 'muted',
        ),
        cell(row.sunset),
        cell(String(row.daysToSunset), row.daysToSunset < 0 ? 'bad' : row.daysToSunset <= 30 ? 'warn' : 'ok'),
        cell(row.migrateTo),
      ]),
    });
  }
  for (const row of rows) {
    if (row.evidence.length === 0) {
      blocks.push(paragraph(`${row.enclave}: no migration evidence was given at synth.`, 'muted'));
      continue;
    }
    blocks.push({
      kind: 'subsection',
      id: `interim-${row.enclave}`,
      title: `${row.enclave}: migration evidence`,
      blocks: [
        {
          kind: 'table',
          headers: [
            'File',
            'sha256',
            'Source → destination',
            'Report',
            'Verdict',
            'Missing',
            'Mismatched',
            'Generated',
          ],
          rows: row.evidence.map((file) => [
            cell(file.file),
            cell(file.sha256),
            cell(`${file.source} → ${file.destination}`),
            cell(file.kind),
            cell(file.verdict, file.verdict === 'complete' ? 'ok' : 'bad'),
            cell(String(file.missing), file.missing === 0 ? undefined : 'bad'),
            cell(String(file.mismatched), file.mismatched === 0 ? undefined : 'bad'),
            cell(file.generatedAt),
          ]),
        },
      ],
    });
  }
  return { id: 'interim-enclaves', title: 'Interim enclaves', blocks };
}

/** Builds the evidence report document (sections in the order auditors read them). */
export function reportDocument(result: AuditResult): ReportDocument {
  return {
    title: 'Clover audit: evidence report',
    verdict: verdictOf(result),
    sections: [
      findingsSection(result),
      dataFlowSection(result),
      residencySection(result),
      interimSection(result),
      encryptionSection(result),
      routesSection(result),
      accessSection(result),
      logCoverageSection(result),
      runtimeFlowsSection(result),
      acknowledgmentSection(result),
      notJudgedSection(result),
      incompleteSection(result),
      inputsSection(result),
    ],
  };
}
