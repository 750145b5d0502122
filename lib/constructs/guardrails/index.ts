export * from './scp';
export * from './organization-guardrails';
