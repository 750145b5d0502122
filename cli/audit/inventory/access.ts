import { roleAccessOf, TrustStatement } from '../../../lib/audit/access';
import { describeValue } from '../../../lib/audit/iam';
import type { TemplateIndex } from '../../../lib/audit/template';

/** One row of the access matrix: who may assume a role, and under which conditions. */
export interface AccessRow {
  readonly stack: string;
  readonly role: string;
  readonly roleName: string | null;
  /** An account, role, user, federated identity or `*` may assume it (not only AWS services). */
  readonly humanAssumable: boolean;
  /** One entry per `Allow` statement: its principals and its conditions. */
  readonly grants: ReadonlyArray<{
    readonly principals: readonly string[];
    readonly conditions: readonly string[];
  }>;
  /** `Deny` statements about assuming the role, described. */
  readonly denials: readonly string[];
  readonly mfaRequired: boolean;
  readonly externalIdRequired: boolean;
  readonly sessionTags: readonly string[];
  readonly permissionsBoundary: string | null;
}

function conditionsOf(statement: TrustStatement): string[] {
  return statement.conditions.map(
    (entry) =>
      `${entry.operator} ${entry.key} ${entry.values.map((value) => describeValue(value)).join(' | ')}`,
  );
}

function describeDenial(statement: TrustStatement): string {
  const who = statement.principals.map((principal) => principal.text).join(', ') || 'every principal';
  const when = conditionsOf(statement);
  return `${statement.sid ? `${statement.sid}: ` : ''}deny ${who}${when.length ? ` when ${when.join(' and ')}` : ''}`;
}

/** The access matrix of one stack, from the shared analyser the CLV-ACC rules use. */
export function accessRows(index: TemplateIndex): AccessRow[] {
  return [...roleAccessOf(index).values()].map((role) => ({
    stack: index.context.stackName,
    role: role.logicalId,
    roleName: role.roleName ?? null,
    humanAssumable: role.humanAssumable,
    grants: role.grants.map((grant) => ({
      principals: grant.principals.map((principal) => `${principal.kind}: ${principal.text}`),
      conditions: conditionsOf(grant),
    })),
    denials: role.denials.map(describeDenial),
    mfaRequired: role.mfaRequired,
    externalIdRequired: role.externalIdRequired,
    sessionTags: role.sessionTags,
    permissionsBoundary: role.permissionsBoundary ?? null,
  }));
}
