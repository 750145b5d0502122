import type { RecordedAcknowledgment } from '../acknowledgments';
import type { TemplateIndex } from '../template';

/** The policy layers IAM evaluates a request against. */
export type LayerKind = 'identity' | 'boundary' | 'resource' | 'endpoint' | 'scp';

/** One policy document of one layer, resolved to literals. */
export interface PolicyLayer {
  readonly kind: LayerKind;
  /** How messages name it: `bucket policy ArchiveBucketPolicy (monitoring-Monitoring)`. */
  readonly label: string;
  readonly document: Record<string, unknown>;
}

/** One stack of the audited set, as the proof sees it. */
export interface FlowStack {
  readonly index: TemplateIndex;
  /** Construct path of a logical ID, when known (cdk.out). */
  readonly pathOf: (logicalId: string) => string | undefined;
  /** Clover acknowledgments recorded in this stack. */
  readonly acknowledgments: readonly RecordedAcknowledgment[];
  /** Input file the template came from, for findings over several inputs. */
  readonly file?: string;
}

/** Condition keys and their values, as IAM evaluates them. */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

/** Who signs a request. */
export type FlowPrincipal =
  /** An IAM role; its identity policies, boundary and the account's SCPs apply. */
  | { readonly kind: 'role'; readonly arn: string; readonly account: string }
  /** An AWS service acting for an account (`sourceAccount`), e.g. CloudWatch publishing an alarm. */
  | { readonly kind: 'service'; readonly service: string; readonly sourceAccount?: string }
  /** An unsigned request. */
  | { readonly kind: 'anonymous' };

/** Which identity-side policies a request is judged with. */
export type IdentityMode =
  /** The principal's own policies from the templates (roles), none for services. */
  | 'templates'
  /** A principal outside the templates that holds an allow-all identity policy (probes). */
  | 'allow-all'
  /** No identity policy at all: only the resource policy can grant (same-account probes). */
  | 'none';

/** One request a flow makes. */
export interface FlowRequest {
  readonly principal: FlowPrincipal;
  readonly action: string;
  /** The ARN the request names. */
  readonly resource: string;
  /** Account that owns the resource. */
  readonly resourceAccount: string;
  /** Keys beyond the ones derived from the principal (source, encryption context, headers, tags). */
  readonly context: RequestContext;
  /** Region of the endpoint the request goes to; checked against the resource's region. */
  readonly endpointRegion?: string;
  /** Region the resource lives in, when known. */
  readonly resourceRegion?: string;
  /** VPC endpoint the request passes through (its policy is a layer). */
  readonly vpcEndpoint?: {
    readonly id: string;
    readonly vpc?: string;
    readonly policy?: unknown;
    readonly name: string;
  };
  readonly identity: IdentityMode;
  /** Only the resource-based layer decides (forbidden-flow probes, one layer at a time). */
  readonly resourceLayerOnly?: boolean;
  /** The policy a probe judges, when it is not the target's own (an account's log-group policy, an endpoint policy). */
  readonly policy?: PolicyLayer;
  /** Why this request is part of the flow, for reports (`S3 asks KMS for a data key`). */
  readonly note?: string;
}

export type FlowKind = 'required' | 'forbidden';

/** Where a flow comes from: template wiring, a declaration in the cloud assembly, or a probe of a resource policy. */
export type FlowOrigin = 'wiring' | 'declared' | 'probe';

/** The resource a flow's findings are reported on. */
export interface FlowAnchor {
  readonly stack: FlowStack;
  readonly logicalId: string;
}

export interface Flow {
  /** Stable and unique within one proof. */
  readonly id: string;
  readonly kind: FlowKind;
  readonly origin: FlowOrigin;
  /** `VPC flow logs of EnclaveVpc → log group /clover/dublin-1/vpc-flow-logs`. */
  readonly title: string;
  readonly anchor: FlowAnchor;
  /** A required flow works when every request is allowed; a forbidden flow is refused when every one is. */
  readonly requests: readonly FlowRequest[];
  /** Why the flow cannot be judged, when its wiring names something the inputs cannot resolve. */
  readonly unresolved?: string;
  /** For probes: the CLV-RUN rule a breach falls under. */
  readonly rule?: string;
}

export type FlowStatus = 'allowed' | 'denied' | 'not-judged';

/** The decision on one request and, when denied (or allowed for a forbidden flow), what decided it. */
export interface RequestVerdict {
  readonly request: FlowRequest;
  readonly status: FlowStatus;
  /** `bucket policy ArchiveBucketPolicy statement WritesUseTheArchiveKey denies: …`. */
  readonly reason?: string;
}

export interface FlowResult {
  readonly flow: Flow;
  /** Required: allowed when every request is; forbidden: allowed when any request is. */
  readonly status: FlowStatus;
  readonly verdicts: readonly RequestVerdict[];
  /** The verdict that decides the status (first denied request of a required flow, first allowed of a forbidden one). */
  readonly deciding?: RequestVerdict;
}
