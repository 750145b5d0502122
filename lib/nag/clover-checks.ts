import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DEFAULT_ALLOWED_JURISDICTIONS } from '../config/regions';
import { todayUtc } from '../config/dates';
import { AcknowledgedFinding, evaluateStack, expiredAcknowledgmentFindings, Finding } from '../audit/engine';
import { CloverRule } from '../audit/rule';
import { ALL_RULES } from './rules';
import { linkStacks } from '../audit/links';
import { collectAcknowledgments, IndexedStack, indexStack } from './stack-index';
import type { RecordedAcknowledgment } from '../audit/acknowledgments';

/** The cdk-nag pack name; cdk-nag reports rule `CLV-RES-1` as `CloverChecks-CLV-RES-1`. */
export const CLOVER_PACK_NAME = 'CloverChecks';

export interface CloverChecksProps extends NagPackProps {
  /**
   * Jurisdictions whose regions stacks may use.
   * @default ['EU', 'EEA']
   */
  readonly allowJurisdictions?: readonly string[];
  /**
   * Date (`YYYY-MM-DD`) for sunsets and acknowledgment expiries.
   * @default today (UTC)
   */
  readonly today?: string;
  /**
   * Rules to run.
   * @default every CloverChecks rule
   */
  readonly rules?: readonly CloverRule[];
  /**
   * Shortest retention, in days, of audit logs (flow logs, trails, gateway logs).
   * @default 365
   */
  readonly auditLogRetentionDays?: number;
}

/**
 * CloverChecks: residency, encryption, network, access and logging rules for
 * European enclaves. The rules are pure functions over a stack's template
 * index (lib/audit), so `clover audit` runs exactly the same code on any
 * template.
 */
export class CloverChecks extends NagPack {
  public readonly name = CLOVER_PACK_NAME;
  /** Findings of the last validation, with per-resource messages; includes expired acknowledgments. */
  public findings: Finding[] = [];
  /** Findings waived by a valid Clover acknowledgment in the last validation. */
  public acknowledged: AcknowledgedFinding[] = [];
  private readonly allowJurisdictions: readonly string[];
  private readonly today: string;
  private readonly rules: readonly CloverRule[];
  private readonly auditLogRetentionDays?: number;
  private byStack = new Map<Stack, Map<string, Finding[]>>();
  private indexed?: Map<Stack, IndexedStack>;
  private root?: IConstruct;
  /** The app's acknowledgments, collected once per validation (a walk of the whole tree). */
  private acknowledgments?: RecordedAcknowledgment[];

  constructor(scope?: IConstruct, props: CloverChecksProps = {}) {
    super(scope, props);
    this.packName = CLOVER_PACK_NAME;
    this.allowJurisdictions = props.allowJurisdictions ?? DEFAULT_ALLOWED_JURISDICTIONS;
    this.today = props.today ?? todayUtc();
    this.rules = props.rules ?? ALL_RULES;
    this.auditLogRetentionDays = props.auditLogRetentionDays;
  }

  public validateScope(scope: IConstruct) {
    this.findings = [];
    this.acknowledged = [];
    this.byStack = new Map();
    this.indexed = undefined;
    this.root = scope.node.root;
    this.acknowledgments = collectAcknowledgments(this.root);
    const report = super.validateScope(scope);
    const acknowledgments = scope === this.root ? this.acknowledgments : collectAcknowledgments(scope);
    this.findings.push(...expiredAcknowledgmentFindings(acknowledgments, scope.node.path, this.today));
    const violations = [...report.violations];
    for (const finding of this.findings.filter((f) => f.resource === '')) {
      violations.push({
        ruleName: `${CLOVER_PACK_NAME}-${finding.rule}`,
        description: finding.message,
        severity: 'error',
        violatingResources: [{ constructPath: finding.path ?? '', locations: ['Metadata'] }],
      });
    }
    return { success: violations.every((v) => v.severity !== 'error'), violations };
  }

  protected checkResource(node: CfnResource): void {
    const stack = Stack.of(node);
    const findings = this.findingsOf(stack).get(stack.resolve(node.logicalId) as string) ?? [];
    for (const rule of this.rules) {
      const mine = findings.filter((finding) => finding.rule === rule.id);
      if (mine.length === 0) continue;
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: `${rule.info} ${mine.map((finding) => finding.message).join('; ')}`,
        explanation: `${rule.explanation} Fix: ${rule.fix}`,
        level: rule.severity === 'error' ? NagMessageLevel.ERROR : NagMessageLevel.WARN,
        node,
        rule: () => NagRuleCompliance.NON_COMPLIANT,
      });
    }
  }

  private findingsOf(stack: Stack): Map<string, Finding[]> {
    let grouped = this.byStack.get(stack);
    if (grouped) return grouped;
    const { index, pathOf } = this.indexOf(stack);
    this.acknowledgments ??= collectAcknowledgments(this.root ?? stack.node.root);
    const acknowledgments = this.acknowledgments;
    const evaluation = evaluateStack(index, this.rules, { pathOf, acknowledgments });
    this.findings.push(...evaluation.findings);
    this.acknowledged.push(...evaluation.acknowledged);
    grouped = new Map();
    for (const finding of evaluation.findings) {
      const list = grouped.get(finding.resource) ?? [];
      list.push(finding);
      grouped.set(finding.resource, list);
    }
    this.byStack.set(stack, grouped);
    return grouped;
  }

  /** The stack's index, linked with every other stack of the app (imports and ARNs between them resolve). */
  private indexOf(stack: Stack): IndexedStack {
    if (!this.indexed) {
      const stacks = (this.root ?? stack.node.root).node
        .findAll()
        .filter((c): c is Stack => Stack.isStack(c));
      this.indexed = new Map(
        stacks.map((s) => [
          s,
          indexStack(s, this.allowJurisdictions, this.today, this.auditLogRetentionDays),
        ]),
      );
      linkStacks([...this.indexed.values()].map((entry) => entry.index));
    }
    return (
      this.indexed.get(stack) ??
      indexStack(stack, this.allowJurisdictions, this.today, this.auditLogRetentionDays)
    );
  }
}
