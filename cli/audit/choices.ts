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

export const FAIL_ON = ['error', 'warning'] as const;
export type FailOn = (typeof FAIL_ON)[number];
