import type { InterimEnclaveRow } from './inventory/interim';
import type { AcknowledgedFinding, Finding } from '../../lib/audit/engine';
import type { RecordedAcknowledgment } from '../../lib/audit/acknowledgments';
import { isExpired } from '../../lib/audit/acknowledgments';
import { residencyOf } from '../../lib/audit/residency';
import { isWaivable } from '../../lib/audit/rule';
import type { TemplateIndex } from '../../lib/audit/template';
import { findRegion } from '../../lib/config/regions';
import type { AuditedStack, AuditInput, InputProblem, RegionSource } from './inputs';
import type { DataFlow } from './inventory/dataflow';
import type { AccessRow } from './inventory/access';
import type { EncryptionRow } from './inventory/encryption';
import type { LogCoverageRow } from './inventory/logging';
import type { NotJudgedRow } from './inventory/not-judged';
import type { ResidencyRow } from './inventory/residency';
import type { RuntimeFlowRow } from './inventory/runtime';
import type { VpcRouteProof } from './inventory/routes';
import type { AuditOptions, ExtraPack, FailOn } from './options';
import type { RuleDescription } from './packs/types';
import type { HashedFile } from './template-file';

/** The `tool` field of every report. */
export const TOOL_NAME = 'clover audit';

/**
 * One inventory of the evidence report. `available` is false when this build
 * has no analyser for the section; its items are then empty and `note` says so.
 */
export interface Inventory<T> {
  readonly available: boolean;
  readonly note: string | null;
  readonly items: readonly T[];
}

export interface StackReport {
  readonly name: string;
  readonly displayName: string;
  readonly template: string;
  readonly account: string | null;
  readonly region: string | null;
  /** `manifest`, `option` (--region), `inferred` (availability zones) or `unknown`. */
  readonly regionSource: RegionSource;
  readonly jurisdiction: string;
  /** The region is inside the allowed jurisdictions (or a live interim enclave's own region). */
  readonly regionAllowed: boolean;
  /** Enclave name from the template's Clover::Enclave metadata. */
  readonly enclave: string | null;
  readonly resources: number;
  /** The transforms the template declares, in order (expanded before judging where Clover can). */
  readonly transforms: readonly string[];
}

export interface InputReport {
  readonly path: string;
  readonly kind: 'cloud-assembly' | 'template';
  readonly files: readonly HashedFile[];
  readonly stacks: readonly StackReport[];
}

export interface FindingReport {
  /** Bare rule ID: `CLV-NET-3`, `AwsSolutions-S1`. */
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly stack: string;
  /** The template file the finding comes from, as the auditor named it (or found it in a directory). */
  readonly file: string | null;
  /** CloudFormation logical ID; empty for stack-level findings. */
  readonly resource: string;
  /** Construct path, or null when unknown (bare templates). */
  readonly path: string | null;
  readonly message: string;
}

export interface SummaryReport {
  readonly errors: number;
  readonly warnings: number;
  readonly resources: number;
  readonly stacks: number;
  /** `fail` when a finding is at or above --fail-on. */
  readonly verdict: 'pass' | 'fail';
  /** Resources of a type no CloverChecks rule judges (listed in `notJudged`). */
  readonly notJudged: number;
  /** Parts of the templates the audit could not expand, so did not judge (listed in `incomplete`). */
  readonly incomplete: number;
}

/** A part of a template the audit could not expand (an unknown transform or macro …), so did not judge. */
export interface IncompleteRow {
  readonly stack: string;
  readonly file: string;
  /** Logical ID or section it concerns; null for the whole template. */
  readonly resource: string | null;
  /** The transform or macro responsible, when there is one. */
  readonly transform: string | null;
  readonly reason: string;
}

export type AcknowledgmentStatus = 'active' | 'expired' | 'refused';

export interface AcknowledgmentReport {
  readonly stack: string;
  readonly rule: string;
  /** Construct path the acknowledgment covers (and everything below it). */
  readonly path: string;
  readonly reason: string;
  /** Last day of a user's acknowledgment; null for a design decision, which never expires. */
  readonly expires: string | null;
  /** ID of the design decision (docs/acknowledgments.md) it records; null for a user's acknowledgment. */
  readonly decision: string | null;
  /** `refused`: residency rules can never be acknowledged. */
  readonly status: AcknowledgmentStatus;
  /** Logical IDs whose findings it waived in this audit. */
  readonly resources: readonly string[];
}

export interface AuditReport {
  readonly tool: string;
  readonly version: string;
  readonly generatedAt: string;
  readonly options: {
    readonly today: string;
    readonly region: string | null;
    readonly jurisdictions: readonly string[];
    readonly with: readonly ExtraPack[];
    readonly failOn: FailOn;
  };
  readonly inputs: readonly InputReport[];
  /** Inputs (or files of a directory) that could not be read; the audit exits 2 when there is one. */
  readonly inputErrors: readonly InputProblem[];
  readonly findings: readonly FindingReport[];
  readonly summary: SummaryReport;
  readonly residency: Inventory<ResidencyRow>;
  /** Interim enclaves: lifecycle, sunset, target and migration evidence. */
  readonly interimEnclaves: Inventory<InterimEnclaveRow>;
  readonly encryption: Inventory<EncryptionRow>;
  readonly routes: Inventory<VpcRouteProof>;
  readonly access: Inventory<AccessRow>;
  readonly logCoverage: Inventory<LogCoverageRow>;
  /** The runtime flow proof (CLV-RUN): every required and forbidden flow and how it was decided. */
  readonly runtimeFlows: Inventory<RuntimeFlowRow>;
  readonly acknowledgments: Inventory<AcknowledgmentReport>;
  /** Resources of a type no CloverChecks rule judges. */
  readonly notJudged: Inventory<NotJudgedRow>;
  /** What the audit could not expand, so did not judge. */
  readonly incomplete: Inventory<IncompleteRow>;
}

/** The report plus what only the human-readable formats show. */
export interface AuditResult {
  readonly report: AuditReport;
  /** Descriptions (title, explanation, fix) of every rule with a finding. */
  readonly rules: ReadonlyMap<string, RuleDescription>;
  readonly dataFlow: DataFlow;
}

/** Plain code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFindings(a: FindingReport, b: FindingReport): number {
  return (
    compareText(a.stack, b.stack) ||
    compareText(a.resource, b.resource) ||
    compareText(a.rule, b.rule) ||
    compareText(a.message, b.message) ||
    compareText(a.path ?? '', b.path ?? '')
  );
}

/** A finding with every key present, in schema order; `fileOf` names the template of its stack. */
export function findingReport(
  finding: Finding,
  fileOf: (stack: string) => string | undefined = () => undefined,
): FindingReport {
  return {
    rule: finding.rule.replace(/^CloverChecks-/, ''),
    severity: finding.severity,
    stack: finding.stack,
    file: fileOf(finding.stack) ?? null,
    resource: finding.resource,
    path: finding.path ?? null,
    message: finding.message,
  };
}

export function available<T>(items: readonly T[], note: string | null = null): Inventory<T> {
  return { available: true, note, items };
}

export const NOT_IN_THIS_BUILD = 'not available in this build';

/** How an inventory's note begins when it only names what the parameter defaults do not deploy. */
export const DEFAULTS_BRANCH_NOTE = 'shows what the parameter defaults deploy';

export function unavailable<T>(): Inventory<T> {
  return { available: false, note: NOT_IN_THIS_BUILD, items: [] };
}

function stackReport(stack: AuditedStack, index: TemplateIndex): StackReport {
  return {
    name: stack.name,
    displayName: stack.displayName,
    template: stack.templatePath,
    account: stack.account ?? null,
    region: stack.region ?? null,
    regionSource: stack.regionSource,
    jurisdiction: stack.region ? (findRegion(stack.region)?.jurisdiction ?? 'unknown') : 'unknown',
    regionAllowed: stack.region !== undefined && residencyOf(index).allows(stack.region),
    enclave: index.enclave?.name ?? null,
    // Every resource of the template, whatever its condition: one false at the defaults is still there.
    resources: index.size + index.onlyInOtherBranches().length + index.inNoBranch().length,
    transforms: stack.transforms,
  };
}

export function inputReports(
  inputs: readonly AuditInput[],
  indexOf: (stack: AuditedStack) => TemplateIndex,
): InputReport[] {
  return inputs.map((input) => ({
    path: input.path,
    kind: input.kind,
    files: input.files,
    stacks: input.stacks.map((stack) => stackReport(stack, indexOf(stack))),
  }));
}

/** The acknowledgment register: every acknowledgment recorded in the inputs and what it waived. */
export function acknowledgmentReports(
  stacks: readonly AuditedStack[],
  acknowledged: readonly AcknowledgedFinding[],
  today: string,
): AcknowledgmentReport[] {
  const waived = new Map<RecordedAcknowledgment, Set<string>>();
  for (const { finding, acknowledgment } of acknowledged) {
    const resources = waived.get(acknowledgment) ?? new Set<string>();
    resources.add(finding.resource);
    waived.set(acknowledgment, resources);
  }
  const rows = stacks.flatMap((stack) =>
    stack.acknowledgments.map((ack): AcknowledgmentReport => ({
      stack: stack.name,
      rule: ack.rule,
      path: ack.path,
      reason: ack.reason,
      expires: ack.expires ?? null,
      decision: ack.decision ?? null,
      status: !isWaivable(ack.rule) ? 'refused' : isExpired(ack, today) ? 'expired' : 'active',
      resources: [...(waived.get(ack) ?? [])].sort(compareText),
    })),
  );
  return rows.sort(
    (a, b) => compareText(a.stack, b.stack) || compareText(a.path, b.path) || compareText(a.rule, b.rule),
  );
}

export function summarize(
  findings: readonly FindingReport[],
  stacks: readonly StackReport[],
  failOn: FailOn,
  notJudged = 0,
  incomplete = 0,
): SummaryReport {
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.length - errors;
  const failing =
    failOn === 'incomplete'
      ? errors + warnings + incomplete
      : failOn === 'warning'
        ? errors + warnings
        : errors;
  return {
    errors,
    warnings,
    resources: stacks.reduce((sum, stack) => sum + stack.resources, 0),
    stacks: stacks.length,
    verdict: failing > 0 ? 'fail' : 'pass',
    notJudged,
    incomplete,
  };
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** `pass`, `fail`, or with what was not looked at: `pass (3 resources not judged; 1 part not expanded)`. */
export function verdictText(summary: SummaryReport): string {
  const notes = [
    ...(summary.notJudged ? [`${plural(summary.notJudged, 'resource', 'resources')} not judged`] : []),
    ...(summary.incomplete ? [`${plural(summary.incomplete, 'part', 'parts')} not expanded`] : []),
  ];
  return notes.length ? `${summary.verdict} (${notes.join('; ')})` : summary.verdict;
}

/** The incomplete section: every note of every stack, with the file it comes from. */
/** Order of the "Not expanded" rows: by file, then by resource (a whole template's note first). */
export function compareIncomplete(a: IncompleteRow, b: IncompleteRow): number {
  return compareText(a.file, b.file) || compareText(a.resource ?? '', b.resource ?? '');
}

export function incompleteRows(stacks: readonly AuditedStack[]): IncompleteRow[] {
  return stacks
    .flatMap((stack) =>
      stack.incomplete.map((note) => ({
        stack: stack.name,
        file: stack.templatePath,
        resource: note.resource ?? null,
        transform: note.transform ?? null,
        reason: note.reason,
      })),
    )
    .sort(compareIncomplete);
}

export function optionsReport(options: AuditOptions): AuditReport['options'] {
  return {
    today: options.today,
    region: options.region ?? null,
    jurisdictions: options.jurisdictions,
    with: options.packs,
    failOn: options.failOn,
  };
}
