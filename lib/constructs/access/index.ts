export * from './naming';
export * from './trust';
export * from './permissions';
export * from './boundary';
export * from './approved-employee-role';
export * from './auditor-role';
export * from './break-glass';
