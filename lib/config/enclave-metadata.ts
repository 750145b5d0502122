// What Clover's stacks write into their templates' `Metadata` and lib/audit reads back:
// a contract between synth and audit, so it lives in the leaf both import.

/** Template metadata key under which Clover records the enclave a stack belongs to. */
export const ENCLAVE_METADATA_KEY = 'Clover::Enclave';

/** What Clover records about an interim enclave: its lifecycle and the migration evidence the gate read. */
export interface InterimMetadata {
  readonly sunset: string;
  readonly migrateTo: string;
  /** Absent in templates written before phases existed: `hosting`. */
  readonly phase?: string;
  readonly history?: ReadonlyArray<{ readonly phase: string; readonly date: string }>;
  /** The evidence files matched to the enclave's stores at synth (`-c migrationEvidence`). */
  readonly evidence?: ReadonlyArray<{
    readonly file: string;
    readonly sha256: string;
    readonly generatedAt: string;
    readonly kind: string;
    readonly source: string;
    readonly destination: string;
    readonly verdict: string;
    readonly missing: number;
    readonly mismatched: number;
  }>;
}

/** What Clover records about a stack's enclave in the template's `Metadata`. */
export interface EnclaveMetadata {
  readonly name: string;
  /** `enclave`, `monitoring` or `guardrails`. */
  readonly role: string;
  readonly interim?: InterimMetadata;
  /** Recorded only when true: the enclave's config marks it `production`, so pipelines approve its deploys. */
  readonly production?: boolean;
  /**
   * Recorded only with `guardrails.organization`: the organisation and the OUs under which the stack's
   * account sits, so the runtime proof gives its principals `aws:PrincipalOrgID` and `aws:PrincipalOrgPaths`.
   */
  readonly organization?: { readonly id: string; readonly enclaveOus: readonly string[] };
}
