import * as clover from '../lib';

// lib/index.ts is the package's public surface (`clover-enclave`): a name added or removed here is a
// change of the supported API, to be made on purpose.
test('lib/index.ts exports the supported API and nothing else', () => {
  expect(Object.keys(clover).sort()).toEqual([
    'ALL_RULES',
    'AccessStack',
    'ApprovedEmployeeRole',
    'AuditorRole',
    'BreakGlassAccess',
    'CLOVER_APP_CONTEXT',
    'CloverChecks',
    'CloverStack',
    'ConfigError',
    'DataStack',
    'DataVault',
    'EnclaveNetwork',
    'EnclaveStage',
    'EvidenceArchive',
    'GuardrailsStage',
    'LogShipping',
    'LoggingStack',
    'MonitoringStack',
    'MonitoringStage',
    'NetworkStack',
    'SecurityEventBus',
    'SecurityGateway',
    'WorkloadError',
    'acknowledge',
    'buildCloverApp',
    'formatGateSummary',
    'loadConfig',
    'runCloverApp',
    'runGate',
  ]);
  expect(clover.ALL_RULES.length).toBeGreaterThan(0);
  expect(new clover.WorkloadError('x').name).toBe('WorkloadError');
});
