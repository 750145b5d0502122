import { z } from 'zod';

/**
 * Shape of a config file as a user writes it: types and known keys only.
 * Formats, cross-field rules and defaults live in validate.ts, where every
 * problem gets a message that names the fix.
 */

const interim = z.strictObject({
  sunset: z.string(),
  migrateTo: z.string(),
  phase: z.string().optional(),
  history: z.array(z.strictObject({ phase: z.string(), date: z.string() })).optional(),
});

const gateway = z.strictObject({
  inspectionCidr: z.string().optional(),
  applianceInstanceType: z.string().optional(),
  applianceAmi: z
    .strictObject({ image: z.string(), architecture: z.enum(['arm64', 'x86_64']).optional() })
    .optional(),
  minInstances: z.number().int().positive().optional(),
  maxInstances: z.number().int().positive().optional(),
});

const enclave = z.strictObject({
  name: z.string(),
  account: z.string(),
  region: z.string(),
  cidr: z.string(),
  azs: z.array(z.string()).optional(),
  azCount: z.number().int().positive().optional(),
  interim: interim.optional(),
  dataClassification: z.string().optional(),
  egress: z.boolean().optional(),
  ipv6: z.boolean().optional(),
  gateway: gateway.optional(),
  dataClasses: z.array(z.string()).optional(),
  applicationLogGroups: z.array(z.string()).optional(),
  production: z.boolean().optional(),
});

const pseudonymisationRule = z.strictObject({
  kind: z.enum(['field', 'pattern']),
  match: z.string(),
  keepPrivate: z.boolean().optional(),
});

const organization = z.strictObject({
  id: z.string(),
  enclaveOus: z.array(z.string()).optional(),
  configRecorder: z.boolean().optional(),
});

const pipeline = z.strictObject({
  account: z.string(),
  region: z.string(),
  source: z.strictObject({
    connection: z
      .strictObject({ arn: z.string(), repository: z.string(), branch: z.string().optional() })
      .optional(),
    s3: z.strictObject({ bucket: z.string(), objectKey: z.string() }).optional(),
  }),
});

export const rawConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  enclaves: z.array(enclave),
  monitoring: z.strictObject({
    account: z.string(),
    region: z.string(),
    ingestUrl: z.string(),
    alertUrl: z.string().optional(),
    archiveRetentionDays: z.number().int().positive().optional(),
    providerAccounts: z.array(z.string()).optional(),
    auditorPrincipals: z.array(z.string()).optional(),
    organizationTrailLogGroup: z.string().optional(),
  }),
  residency: z
    .strictObject({
      allowJurisdictions: z.array(z.string()).optional(),
      blockedJurisdictions: z.array(z.string()).optional(),
    })
    .optional(),
  dataClasses: z.array(z.string()).optional(),
  replication: z
    .array(z.strictObject({ from: z.string(), to: z.string(), dataClass: z.string() }))
    .optional(),
  access: z
    .strictObject({
      breakGlass: z.strictObject({ expires: z.string() }).optional(),
      identitySource: z.string().optional(),
      auditorRawLogs: z.boolean().optional(),
    })
    .optional(),
  guardrails: z
    .strictObject({
      managementAccount: z.string(),
      region: z.string().optional(),
      targetIds: z.array(z.string()).optional(),
      // The organisation's ID alone, or with the OUs that hold the enclave accounts.
      organization: z.union([z.string(), organization]).optional(),
    })
    .optional(),
  shipper: z
    .strictObject({
      memoryMb: z.number().int().optional(),
      timeoutSeconds: z.number().int().optional(),
      reservedConcurrency: z.number().int().optional(),
      maxRequestBytes: z.number().int().optional(),
      pseudonymisation: z.array(pseudonymisationRule).optional(),
    })
    .optional(),
  pipeline: pipeline.optional(),
  rules: z.array(z.string()).optional(),
});

export type RawConfig = z.infer<typeof rawConfigSchema>;
export type RawEnclave = z.infer<typeof enclave>;
export type RawPipeline = z.infer<typeof pipeline>;
