import type { AuditResult, FindingReport } from '../report';
import { compareText, verdictText } from '../report';

/** A compact report for terminals: verdict, findings grouped by rule with fix hints, and what was audited. */
export function renderText(result: AuditResult): string {
  const { report } = result;
  const { summary } = report;
  const lines: string[] = [];
  const stacks = report.inputs.flatMap((input) => input.stacks);
  lines.push(
    `clover audit: ${verdictText(summary)}: ${summary.errors} error(s), ${summary.warnings} warning(s) in ${summary.stacks} stack(s), ${summary.resources} resource(s)`,
  );
  for (const input of report.inputs) {
    lines.push(
      `  ${input.path} (${input.kind === 'cloud-assembly' ? 'cdk.out' : 'template'}): ${input.stacks.length} stack(s)`,
    );
  }
  for (const stack of stacks) {
    if (stack.regionSource !== 'manifest') {
      lines.push(
        `  ${stack.name}: region ${stack.region ?? 'unknown'} (${stack.regionSource === 'option' ? 'from --region' : stack.regionSource === 'inferred' ? 'inferred from availability zones' : 'environment-agnostic'})`,
      );
    }
  }
  const files = new Set(report.findings.map((finding) => finding.file));
  const byRule = new Map<string, FindingReport[]>();
  for (const finding of report.findings)
    byRule.set(finding.rule, [...(byRule.get(finding.rule) ?? []), finding]);
  for (const rule of [...byRule.keys()].sort(compareText)) {
    const findings = byRule.get(rule)!;
    const description = result.rules.get(rule);
    lines.push('');
    lines.push(
      `${findings[0].severity === 'error' ? 'ERROR  ' : 'warning'} ${rule} ×${findings.length}${description ? `: ${description.title}` : ''}`,
    );
    for (const finding of findings) {
      // With findings from several files, each says which one unless its stack is already named by it.
      const file =
        files.size > 1 && finding.file && finding.file !== finding.stack ? ` in ${finding.file}` : '';
      const where = `${finding.stack}/${finding.resource || '(stack)'}${finding.path ? ` [${finding.path}]` : ''}${file}`;
      lines.push(`  ${where}: ${finding.message}`);
    }
    if (description?.fix) lines.push(`  fix: ${description.fix}`);
  }
  for (const interim of report.interimEnclaves.items) {
    const evidence = interim.evidence.length
      ? `${interim.evidence.length} evidence file(s), ${interim.evidence.filter((e) => e.verdict === 'complete').length} complete`
      : 'no migration evidence';
    lines.push('');
    lines.push(
      `interim enclave ${interim.enclave} in ${interim.region ?? 'unknown'}: phase ${interim.phase}, sunset ${interim.sunset} (${interim.daysToSunset} days), migrates into ${interim.migrateTo}; ${evidence}`,
    );
  }
  const flows = report.runtimeFlows.items;
  if (flows.length > 0) {
    const judged = flows.filter((flow) => flow.holds !== null);
    lines.push('');
    lines.push(
      `runtime flows: ${flows.filter((flow) => flow.kind === 'required').length} required, ${flows.filter((flow) => flow.kind === 'forbidden').length} forbidden; ${judged.filter((flow) => flow.holds).length} hold, ${judged.filter((flow) => !flow.holds).length} broken, ${flows.length - judged.length} not judged`,
    );
  }
  if (report.runtimeFlows.note) lines.push(report.runtimeFlows.note);
  const acks = report.acknowledgments.items;
  if (acks.length > 0) {
    lines.push('');
    lines.push(
      `${acks.length} acknowledgment(s): ${acks.filter((a) => a.status === 'active').length} active, ${acks.filter((a) => a.status !== 'active').length} expired or refused`,
    );
  }
  if (summary.notJudged > 0) {
    const byType = new Map<string, number>();
    for (const row of report.notJudged.items) byType.set(row.type, (byType.get(row.type) ?? 0) + 1);
    lines.push('');
    lines.push(
      `not judged (no rule looks at these types; only the residency scan of every property): ${[...byType]
        .sort(([a], [b]) => compareText(a, b))
        .map(([type, count]) => `${type} ×${count}`)
        .join(', ')}`,
    );
  }
  if (report.incomplete.items.length > 0) {
    lines.push('');
    lines.push('not expanded, so not judged (--fail-on incomplete fails on these):');
    for (const row of report.incomplete.items) lines.push(`  ${row.file}: ${row.reason}`);
  }
  if (report.inputErrors.length > 0) {
    lines.push('');
    lines.push('not audited, because they could not be read:');
    for (const problem of report.inputErrors) lines.push(`  ${problem.message}`);
  }
  lines.push('');
  lines.push('Evidence report: add --format md or --format html --out report.html');
  return `${lines.join('\n')}\n`;
}
