import { IConstruct } from 'constructs';

/**
 * IDs of Clover's design decisions that constructs and stacks mark where they apply. The register
 * (lib/stacks/design-decisions.ts) holds each one's rules, reason and AWS documentation;
 * docs/acknowledgments.md is generated from it.
 */
export const MARKED_DESIGN_DECISIONS = [
  'ACCESS_LOG_BUCKET',
  'EVIDENCE_ACCESS_LOG_BUCKET',
  'PIPELINE_ACCESS_LOG_BUCKET',
  'PIPELINE_ARTIFACT_BUCKET',
  'DATA_BUCKET_WITHOUT_OBJECT_LOCK',
  'TRAIL_BUCKET_WITHOUT_OBJECT_LOCK',
  'MIGRATION_REPORTS_WITHOUT_OBJECT_LOCK',
  'TERMINAL_QUEUE',
  'EVENT_RULE_DEAD_LETTER_QUEUE',
  'SHIPPER_SECRETS',
  'SHIPPER_WILDCARDS',
  'SHIPPER_IN_IMPORTED_VPC',
  'DECOMMISSIONED_SHIPPER_OUTSIDE_VPC',
  'MIGRATION_FUNCTION_OUTSIDE_VPC',
  'PHASE_NOTICE_HANDLER_OUTSIDE_VPC',
  'GATEWAY_LOAD_BALANCER_LOGS',
  'APPLIANCE_MIXED_INSTANCES',
  'ENDPOINT_ACCEPTANCE_WILDCARDS',
  'DEFAULT_GROUP_RESTRICTION_WILDCARDS',
  'REAL_AZ_NAMES',
  'ACCESS_ROLE_WILDCARDS',
  'REPLICATION_WILDCARDS',
  'BATCH_REPLICATION_WILDCARDS',
  'TABLE_EXPORT_WILDCARDS',
  'MIGRATION_TARGET_WILDCARDS',
  'MONITORING_AUDITOR_WILDCARDS',
  'PIPELINE_WILDCARDS',
  'PIPELINE_REPLICATION_BUCKET_WILDCARDS',
  'PIPELINE_ROLE_ANY_RESOURCE',
  'PIPELINE_SELF_MUTATION_ANY_RESOURCE',
  'PIPELINE_ASSETS_ANY_RESOURCE',
  'PIPELINE_ACTION_ROLE',
] as const;

export type MarkedDesignDecision = (typeof MARKED_DESIGN_DECISIONS)[number];

/** Shared across copies of this module, as CDK's own `Symbol.for` markers are. */
const MARKS = Symbol.for('clover.designDecisions');

interface Marked {
  [MARKS]?: Set<MarkedDesignDecision>;
}

/**
 * Marks `scope` (and everything below it) as a place where Clover's design decisions `ids` apply. The
 * mark carries no reason and no date: the register says what each decision answers and why, and the
 * stacks apply it. A construct never acknowledges a finding itself.
 */
export function designDecision(scope: IConstruct, ...ids: MarkedDesignDecision[]): void {
  const marked = scope as Marked;
  const marks = marked[MARKS] ?? new Set<MarkedDesignDecision>();
  for (const id of ids) marks.add(id);
  marked[MARKS] = marks;
}

/** The design decisions marked on `scope` itself (not its parents), in marking order. */
export function designDecisionsMarkedOn(scope: IConstruct): readonly MarkedDesignDecision[] {
  return [...((scope as Marked)[MARKS] ?? [])];
}
