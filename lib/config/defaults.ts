/**
 * The embedded default: the three European seed sites and the monitoring plane.
 * It never expires and holds no region outside Europe; the interim US enclave
 * lives in examples/interim-us.json.
 */
export const DEFAULT_CONFIG = {
  description:
    'Clover default: two Dublin sites in separate accounts, the Hamar (Norway) site, and the monitoring plane.',
  enclaves: [
    { name: 'dublin-1', account: '111111111111', region: 'eu-west-1', cidr: '10.10.0.0/16' },
    { name: 'dublin-2', account: '222222222222', region: 'eu-west-1', cidr: '10.20.0.0/16' },
    // AWS has no Norwegian region: the Hamar site maps to eu-north-1 (Stockholm).
    { name: 'hamar', account: '333333333333', region: 'eu-north-1', cidr: '10.30.0.0/16' },
  ],
  monitoring: {
    account: '444444444444',
    region: 'eu-west-1',
    ingestUrl: 'https://ingest.monitor.example.eu/v1/events',
    alertUrl: 'https://alerts.monitor.example.eu/v1/alerts',
  },
  residency: { allowJurisdictions: ['EU', 'EEA'] },
  replication: [{ from: 'dublin-1', to: 'dublin-2', dataClass: 'personal' }],
  // An example for `npx cdk synth -c pipeline=true` (docs/deploy.md): a tooling account of its own, in the EU,
  // reading this repository through a CodeConnections connection. Replace all three with your own.
  pipeline: {
    account: '666666666666',
    region: 'eu-west-1',
    source: {
      connection: {
        arn: 'arn:aws:codeconnections:eu-west-1:666666666666:connection/00000000-0000-4000-8000-000000000000',
        repository: 'example-org/clover',
        branch: 'main',
      },
    },
  },
} as const;
