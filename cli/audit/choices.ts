/** The choices of `clover audit`'s options; dependency-free, so registering the command stays cheap. */

export const FORMATS = ['text', 'json', 'md', 'html'] as const;
export type ReportFormat = (typeof FORMATS)[number];

/** Extra rule packs `--with` can add to CloverChecks. */
export const EXTRA_PACKS = [
  'aws-solutions',
  'control-tower',
  'cfn-validate',
  'nist-800-53-r5',
  'hipaa-security',
  'pci-dss-321',
] as const;
export type ExtraPack = (typeof EXTRA_PACKS)[number];

/**
 * The lowest level that fails the audit, each including the ones before it:
 * `error`, `warning`, `incomplete` (also anything the audit could not expand,
 * so did not judge: an unknown transform or macro, a remote nested stack …).
 */
export const FAIL_ON = ['error', 'warning', 'incomplete'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * Where the runtime flow proof runs (cli/audit/runtime-worker.ts): `auto`, in a worker thread for
 * large inputs; `always` / `never` force it (tests, benchmarks: the environment variable
 * CLOVER_AUDIT_WORKER sets it). The report is the same.
 */
export const RUNTIME_WORKER_MODES = ['auto', 'always', 'never'] as const;
export type RuntimeWorkerMode = (typeof RUNTIME_WORKER_MODES)[number];
