import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IdentitySource } from '../../config/types';
import { APPROVED_TAG, JURISDICTION_TAG } from './naming';

export interface HumanTrustProps {
  /** Jurisdictions an employee may be in (values of the jurisdiction tag), e.g. `['EU', 'EEA']`. */
  readonly allowedJurisdictions: readonly string[];
  /** Jurisdictions whose sessions are always denied, e.g. `['CN', 'RU', 'KP', 'IR']`. */
  readonly blockedJurisdictions: readonly string[];
  /**
   * The only region whose STS endpoint may be used. Pinning the regional endpoint keeps the
   * `AssumeRole` CloudTrail event (and any alarm on it) in the enclave's region.
   */
  readonly region: string;
  /**
   * Last day (`YYYY-MM-DD`, inclusive) on which the role may be assumed; enforced by IAM at run time.
   * @default no expiry
   */
  readonly expires?: string;
  /**
   * Where employees sign in. `iam`: their IAM identities carry the tags and sign in with MFA.
   * `identity-center`: IAM Identity Center permission-set roles, whose sessions carry the tags as
   * attributes for access control; MFA is enforced at sign-in and `aws:MultiFactorAuthPresent` is
   * absent from those sessions, so the trust requires the permission-set role path instead.
   * @default 'iam'
   */
  readonly identitySource?: IdentitySource;
}

/** Roles that IAM Identity Center creates for permission sets in an account (`AWSReservedSSO_<set>_<id>`). */
export function identityCenterRolePattern(): string {
  return `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-reserved/sso.${Aws.URL_SUFFIX}/*/AWSReservedSSO_*`;
}

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'];

/**
 * Trust of a human-assumable role: principals of the enclave account that signed in with MFA and
 * whose identity carries `clover:approved = true` and an allowed `clover:employee-jurisdiction`
 * (tags set by the identity provider or by IAM administrators, so not self-asserted). Session tags
 * may only repeat the identity's own values. Explicit denies for blocked or missing jurisdictions and
 * for sessions without MFA win over any other grant.
 */
export function humanTrustStatements(props: HumanTrustProps): iam.PolicyStatement[] {
  const root = new iam.AccountRootPrincipal();
  const identityCenter = props.identitySource === 'identity-center';
  const signIn: Record<string, Record<string, unknown>> = identityCenter
    ? { ArnLike: { 'aws:PrincipalArn': identityCenterRolePattern() } }
    : { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  const required: Record<string, Record<string, unknown>> = {
    ...signIn,
    StringEquals: {
      [`aws:PrincipalTag/${APPROVED_TAG}`]: 'true',
      [`aws:PrincipalTag/${JURISDICTION_TAG}`]: [...props.allowedJurisdictions],
      'aws:RequestedRegion': props.region,
    },
  };
  if (props.expires !== undefined) {
    required.DateLessThan = { 'aws:CurrentTime': `${nextDay(props.expires)}T00:00:00Z` };
  }
  return [
    new iam.PolicyStatement({
      sid: identityCenter ? 'ApprovedEmployeesFromIdentityCenter' : 'ApprovedEmployeesWithMfa',
      principals: [root],
      actions: ['sts:AssumeRole'],
      conditions: required,
    }),
    new iam.PolicyStatement({
      sid: 'SessionTagsRepeatTheIdentity',
      principals: [root],
      actions: ['sts:TagSession'],
      conditions: {
        ...required,
        StringEquals: {
          ...required.StringEquals,
          [`aws:RequestTag/${APPROVED_TAG}`]: `\${aws:PrincipalTag/${APPROVED_TAG}}`,
          [`aws:RequestTag/${JURISDICTION_TAG}`]: `\${aws:PrincipalTag/${JURISDICTION_TAG}}`,
        },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [APPROVED_TAG, JURISDICTION_TAG] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'DenyBlockedJurisdictions',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ASSUME_ACTIONS,
      conditions: {
        StringEquals: { [`aws:PrincipalTag/${JURISDICTION_TAG}`]: [...props.blockedJurisdictions] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'DenyBlockedJurisdictionSessionTags',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ASSUME_ACTIONS,
      conditions: {
        StringEquals: { [`aws:RequestTag/${JURISDICTION_TAG}`]: [...props.blockedJurisdictions] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'DenyMissingJurisdiction',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ASSUME_ACTIONS,
      conditions: { Null: { [`aws:PrincipalTag/${JURISDICTION_TAG}`]: 'true' } },
    }),
    identityCenter
      ? new iam.PolicyStatement({
          sid: 'DenyOutsideIdentityCenter',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ASSUME_ACTIONS,
          conditions: { ArnNotLike: { 'aws:PrincipalArn': identityCenterRolePattern() } },
        })
      : new iam.PolicyStatement({
          sid: 'DenyWithoutMfa',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ASSUME_ACTIONS,
          conditions: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        }),
  ];
}

/**
 * Replaces a role's trust policy with exactly these statements. CDK's `Role` builds its trust from
 * one `assumedBy` principal; human roles need several statements, explicit denies among them.
 */
export function setTrust(role: iam.Role, statements: readonly iam.PolicyStatement[]): void {
  (role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = new iam.PolicyDocument({
    statements: [...statements],
  });
}

/** The day after a `YYYY-MM-DD` date. */
export function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) throw new Error(`"${date}" is not a date; write it as YYYY-MM-DD`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}
