/**
 * Service control policy documents of Clover's organisation guardrails, as plain
 * JSON (pure functions: the construct renders them, tests measure them).
 */

/** AWS Organizations limit of an SCP document, in characters of its minified JSON. */
export const SCP_MAX_CHARACTERS = 5120;

/** The longest partition name; sizes are measured with it so that every partition fits. */
export const LONGEST_PARTITION = 'aws-us-gov';

/**
 * Actions of global services (single endpoint, mostly in us-east-1) and account-level reads that a
 * region deny must not block, or IAM, Organizations, STS, billing and support stop working.
 */
export const GLOBAL_SERVICE_ACTIONS = [
  'account:*',
  'acm:*',
  'aws-marketplace:*',
  'aws-portal:*',
  'billing:*',
  'budgets:*',
  'ce:*',
  'cloudfront:*',
  'cloudtrail:LookupEvents',
  'cur:*',
  'globalaccelerator:*',
  'health:*',
  'iam:*',
  'networkmanager:*',
  'organizations:*',
  'pricing:*',
  'route53:*',
  'route53domains:*',
  's3:GetAccountPublicAccessBlock',
  's3:ListAllMyBuckets',
  'shield:*',
  'sts:*',
  'support:*',
  'trustedadvisor:*',
  'waf:*',
  'wafv2:*',
];

/** Principals exempt from the tamper denies: only the enclaves' break-glass roles. */
export function breakGlassRolePattern(partition: string): string {
  return `arn:${partition}:iam::*:role/clover-*-break-glass`;
}

export interface ScpStatement {
  readonly Sid: string;
  readonly Effect: 'Deny';
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface ScpDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly ScpStatement[];
}

/** An interim enclave's account, exempt from the region deny in its own region until its sunset. */
export interface InterimExemption {
  readonly enclave: string;
  readonly account: string;
  readonly region: string;
  /**
   * Last day of the exemption (`YYYY-MM-DD`). Synth fails after it; and the SCP ends the exemption itself
   * (`aws:CurrentTime`), because a synth that fails cannot deploy the SCP that would withdraw it.
   */
  readonly sunset: string;
}

export interface GuardrailInputs {
  /** Partition name or token (`${AWS::Partition}`) for ARNs. */
  readonly partition: string;
  /** Regions where requests are allowed (the allowed jurisdictions' regions). */
  readonly allowedRegions: readonly string[];
  /** Accounts that hold enclaves: no VPC peering, no transit gateway attachments there. */
  readonly enclaveAccounts: readonly string[];
  /**
   * `aws:PrincipalOrgPaths` patterns of the enclave OUs: when given, the network deny names the OUs
   * instead of listing every enclave account (one statement of constant size however many enclaves).
   * @default none (the accounts are listed)
   */
  readonly enclaveOrgPaths?: readonly string[];
  readonly interim: readonly InterimExemption[];
}

/** A named SCP, ready to render. */
export interface GuardrailPolicy {
  /** `region` or `protection`. */
  readonly purpose: string;
  readonly name: string;
  readonly description: string;
  readonly document: ScpDocument;
}

/** Minified JSON length, as Organizations counts it. */
export function scpSize(document: ScpDocument): number {
  return JSON.stringify(document).length;
}

/** `interim-us` → `InterimUs`, for statement IDs (letters and digits only). */
function sidPart(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** Deny every regional action outside the allowed regions; interim accounts get their own region until the sunset. */
export function regionStatements(inputs: GuardrailInputs): ScpStatement[] {
  const interimAccounts = [...new Set(inputs.interim.map((exemption) => exemption.account))];
  const main: ScpStatement = {
    Sid: 'DenyOutsideAllowedRegions',
    Effect: 'Deny',
    NotAction: GLOBAL_SERVICE_ACTIONS,
    Resource: '*',
    Condition: {
      StringNotEquals: {
        'aws:RequestedRegion': [...inputs.allowedRegions],
        ...(interimAccounts.length > 0 ? { 'aws:PrincipalAccount': interimAccounts } : {}),
      },
    },
  };
  const interim = inputs.interim.flatMap((exemption): ScpStatement[] => {
    const enclave = sidPart(exemption.enclave);
    const sunset = exemption.sunset.replace(/-/g, '');
    return [
      {
        Sid: `DenyOutsideRegionsInterim${enclave}Until${sunset}`,
        Effect: 'Deny',
        NotAction: GLOBAL_SERVICE_ACTIONS,
        Resource: '*',
        Condition: {
          StringNotEquals: { 'aws:RequestedRegion': [...inputs.allowedRegions, exemption.region] },
          StringEquals: { 'aws:PrincipalAccount': exemption.account },
        },
      },
      {
        // After the last day the exemption ends by itself (but for the break-glass roles, which clean up).
        Sid: `DenyInterimRegion${enclave}After${sunset}`,
        Effect: 'Deny',
        NotAction: GLOBAL_SERVICE_ACTIONS,
        Resource: '*',
        Condition: {
          StringEquals: {
            'aws:PrincipalAccount': exemption.account,
            'aws:RequestedRegion': exemption.region,
          },
          DateGreaterThan: { 'aws:CurrentTime': `${exemption.sunset}T23:59:59Z` },
          ArnNotLike: { 'aws:PrincipalArn': breakGlassRolePattern(inputs.partition) },
        },
      },
    ];
  });
  return [main, ...interim];
}

/** Deny switching off the audit trail, flow logs, Clover log groups and keys, and building network paths out of enclaves. */
export function protectionStatements(inputs: GuardrailInputs): ScpStatement[] {
  const exceptBreakGlass = { ArnNotLike: { 'aws:PrincipalArn': breakGlassRolePattern(inputs.partition) } };
  const statements: ScpStatement[] = [
    {
      Sid: 'DenyAuditTrailTampering',
      Effect: 'Deny',
      Action: [
        'cloudtrail:DeleteTrail',
        'cloudtrail:StopLogging',
        'cloudtrail:UpdateTrail',
        'ec2:DeleteFlowLogs',
      ],
      Resource: '*',
      Condition: exceptBreakGlass,
    },
    {
      Sid: 'DenyCloverLogGroupDeletion',
      Effect: 'Deny',
      Action: ['logs:DeleteLogGroup'],
      Resource: `arn:${inputs.partition}:logs:*:*:log-group:/clover/*`,
      Condition: exceptBreakGlass,
    },
    {
      Sid: 'DenyCloverKeyDestruction',
      Effect: 'Deny',
      Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
      Resource: '*',
      Condition: { ...exceptBreakGlass, Null: { 'aws:ResourceTag/clover:enclave': 'false' } },
    },
  ];
  const accounts = [...new Set(inputs.enclaveAccounts)];
  const paths = inputs.enclaveOrgPaths ?? [];
  if (accounts.length > 0 || paths.length > 0) {
    statements.push({
      Sid: 'DenyNetworkPathsOutOfEnclaves',
      Effect: 'Deny',
      Action: [
        'ec2:AcceptVpcPeeringConnection',
        'ec2:CreateTransitGatewayVpcAttachment',
        'ec2:CreateVpcPeeringConnection',
      ],
      Resource: '*',
      Condition:
        paths.length > 0
          ? { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [...paths] } }
          : { StringEquals: { 'aws:PrincipalAccount': accounts } },
    });
  }
  return statements;
}

/**
 * Groups statements (by index) into as few documents as fit the limit, keeping their order.
 * Throws when one statement alone is too large, naming it.
 */
export function packStatements(
  statements: readonly ScpStatement[],
  limit: number = SCP_MAX_CHARACTERS,
): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  const documentOf = (indexes: readonly number[]): ScpDocument => ({
    Version: '2012-10-17',
    Statement: indexes.map((index) => statements[index]),
  });
  statements.forEach((statement, index) => {
    if (scpSize(documentOf([index])) > limit) {
      throw new Error(
        `SCP statement ${statement.Sid} alone is ${scpSize(documentOf([index]))} characters, over the ${limit}-character limit of AWS Organizations; list fewer accounts or regions`,
      );
    }
    if (current.length > 0 && scpSize(documentOf([...current, index])) > limit) {
      groups.push(current);
      current = [];
    }
    current.push(index);
  });
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Every guardrail SCP: the region deny and the protections, each split into as many documents as
 * the size limit needs. Sizes are measured with the longest partition name, so a document that fits
 * here fits in every partition.
 */
export function guardrailPolicies(inputs: GuardrailInputs): GuardrailPolicy[] {
  const measured = { ...inputs, partition: LONGEST_PARTITION };
  const interimNote = inputs.interim.length
    ? `; interim enclaves exempt in their own region until their sunset: ${inputs.interim
        .map((exemption) => `${exemption.enclave} (${exemption.account}) until ${exemption.sunset}`)
        .join(', ')}`
    : '';
  const purposes = [
    {
      purpose: 'region',
      description: `Clover: deny requests outside the allowed regions (global services exempt)${interimNote}`,
      build: regionStatements,
    },
    {
      purpose: 'protection',
      description:
        'Clover: deny disabling CloudTrail, flow logs, Clover log groups and keys; no peering or TGW attachments in enclave accounts',
      build: protectionStatements,
    },
  ];
  return purposes.flatMap(({ purpose, description, build }) => {
    const statements = build(inputs);
    const groups = packStatements(build(measured));
    return groups.map((indexes, part) => ({
      purpose,
      name: `clover-${purpose}-guardrail${groups.length > 1 ? `-${part + 1}` : ''}`,
      description: withSuffix(
        description,
        groups.length > 1 ? ` (part ${part + 1} of ${groups.length})` : '',
      ),
      document: { Version: '2012-10-17' as const, Statement: indexes.map((index) => statements[index]) },
    }));
  });
}

/** AWS Organizations limit of a policy description. */
const MAX_DESCRIPTION = 512;

/** The description, cut with an ellipsis so that it and its suffix fit the limit. */
function withSuffix(description: string, suffix: string): string {
  const room = MAX_DESCRIPTION - suffix.length;
  return (description.length <= room ? description : `${description.slice(0, room - 1)}…`) + suffix;
}
