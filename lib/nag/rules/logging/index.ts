// Rules of this family are listed here, one export per rule file.
export * from './VpcFlowLogs';
export * from './UnshippedLogGroup';
export * from './ShipperFailureDestination';
export * from './TrailLogFileValidation';
export * from './LogGroupRetention';
export * from './TrailCoverage';
export * from './FlowLogTraffic';
export * from './BucketAccessLogging';
export * from './AuditLogRetention';
export * from './UnverifiableShipper';
export * from './UnverifiableEventBus';
