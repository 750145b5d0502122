import type { Finding } from '../../../lib/audit/engine';
import { proveRuntimeFlows, RuntimeProof } from '../../../lib/audit/runtime/prove';
import type { FlowResult, FlowStack } from '../../../lib/audit/runtime/types';
import { CfnTemplate, TemplateIndex } from '../../../lib/audit/template';

export const TODAY = '2026-12-03';

/** A bare template as one stack of the proof (no construct paths, no acknowledgments). */
export function stackOf(
  template: Record<string, unknown>,
  where: { name?: string; account?: string; region?: string } = {},
): FlowStack {
  return {
    index: new TemplateIndex(template as unknown as CfnTemplate, {
      stackName: where.name ?? 'Workload',
      account: where.account ?? '111111111111',
      region: where.region ?? 'eu-west-1',
      allowJurisdictions: ['EU', 'EEA'],
      today: TODAY,
    }),
    pathOf: () => undefined,
    acknowledgments: [],
  };
}

export function prove(...stacks: FlowStack[]): Promise<RuntimeProof> {
  return proveRuntimeFlows(stacks, { today: TODAY });
}

/** `RULE resource: message` of every finding, for readable expectations. */
export function findingLines(findings: readonly Finding[]): string[] {
  return findings.map((finding) => `${finding.rule} ${finding.resource}: ${finding.message}`);
}

/** The results of the flows whose title matches. */
export function flowsTitled(proof: RuntimeProof, title: RegExp): FlowResult[] {
  return proof.results.filter((result) => title.test(result.flow.title));
}

/** A policy document. */
export const doc = (...statements: Record<string, unknown>[]) => ({
  Version: '2012-10-17',
  Statement: statements,
});
