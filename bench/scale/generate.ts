/**
 * Generated Clover configs of a given number of enclaves, spread over the EU regions of the `aws`
 * partition (round-robin, so every size above 5 uses every one of them, the opt-in Milan and Aragon
 * included), each enclave in its own account with its own /16 of 10.0.0.0/8; the monitoring plane and
 * the organisation guardrails (a StackSet baseline) in accounts of their own.
 *
 *   node -r ./scripts/register-ts.js bench/scale/generate.ts <enclaves> [out.json]
 */
import * as fs from 'fs';

/** EU regions of the aws partition the generated enclaves use, in the order they are dealt out. */
export const SCALE_REGIONS = [
  'eu-west-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
] as const;

/** At most 256 enclaves: each takes one /16 of 10.0.0.0/8. */
export const MAX_SCALE_ENCLAVES = 256;

/** The config of `count` enclaves (1 … 256), as a user would write it. */
export function scaleConfig(count: number): Record<string, unknown> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SCALE_ENCLAVES) {
    throw new Error(`enclave count ${count} must be a whole number from 1 to ${MAX_SCALE_ENCLAVES}`);
  }
  const enclaves = Array.from({ length: count }, (_, i) => ({
    name: `enclave-${String(i + 1).padStart(3, '0')}`,
    account: String(100_000_000_000 + i + 1),
    region: SCALE_REGIONS[i % SCALE_REGIONS.length],
    cidr: `10.${i}.0.0/16`,
  }));
  return {
    description: `Clover scale benchmark: ${count} enclave(s) across the EU regions`,
    enclaves,
    monitoring: {
      account: '444444444444',
      region: 'eu-west-1',
      ingestUrl: 'https://ingest.monitor.example.eu/v1/events',
      alertUrl: 'https://alerts.monitor.example.eu/v1/alerts',
    },
    residency: { allowJurisdictions: ['EU', 'EEA'] },
    guardrails: {
      managementAccount: '555555555555',
      organization: { id: 'o-a1b2c3d4e5', enclaveOus: ['ou-ab12-cdef3456'] },
    },
  };
}

if (require.main === module) {
  const count = Number(process.argv[2]);
  const text = `${JSON.stringify(scaleConfig(count), null, 2)}\n`;
  if (process.argv[3]) fs.writeFileSync(process.argv[3], text);
  else process.stdout.write(text);
}
