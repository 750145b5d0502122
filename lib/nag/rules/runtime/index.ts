// Rules of this family are listed here, one export per rule file. They are judged by
// proveRuntimeFlows (lib/audit/runtime) over a whole assembly, not by the NagPack.
export * from './RequiredWiredFlow';
export * from './RequiredDeclaredFlow';
export * from './ForbiddenPrincipal';
export * from './ConfusedDeputy';
export * from './ForbiddenDeclaredFlow';
