// The shapes of a CloudFormation template and of the context it is judged in:
// types only, read by the template index and by the branch analysis below it.

/** A CloudFormation resource as it appears in a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  readonly AWSTemplateFormatVersion?: string;
  readonly Description?: string;
  readonly Transform?: unknown;
  readonly Resources: Record<string, CfnResourceJson>;
  readonly Parameters?: Record<
    string,
    { readonly Type?: string; readonly Default?: unknown; readonly AllowedValues?: readonly unknown[] }
  >;
  readonly Metadata?: Record<string, unknown>;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, unknown>;
  readonly Mappings?: Record<string, unknown>;
}

/** Where a stack deploys and under which residency policy it is judged. */
export interface StackContext {
  /** Stack name (or template file name for a bare template). */
  readonly stackName: string;
  readonly account?: string;
  /** Concrete region, or undefined for an environment-agnostic stack. */
  readonly region?: string;
  /** Jurisdictions whose regions are allowed (`EU`, `EEA`, `CH`, `UK`). */
  readonly allowJurisdictions: readonly string[];
  /** Date for sunset and expiry checks (`YYYY-MM-DD`). */
  readonly today: string;
  /**
   * Shortest retention, in days, of audit logs (flow logs, trails, gateway logs).
   * @default DEFAULT_AUDIT_LOG_RETENTION_DAYS (365)
   */
  readonly auditLogRetentionDays?: number;
  /**
   * Bytes of the template body as deployed (the file CDK wrote and uploads), when the template was read
   * from one; CLV-LIM-2 measures this instead of the template rendered as CDK renders it by default.
   * @default the template rendered as JSON indented by one space
   */
  readonly templateBytes?: number;
}
