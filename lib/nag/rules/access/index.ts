// Rules of this family are listed here, one export per rule file.
export * from './PublicBucket';
export * from './WildcardPrincipal';
export * from './RoleBoundary';
export * from './PublicEndpoint';
export * from './UnauthenticatedAccess';
export * from './LongLivedAccessKey';
export * from './CrossAccountTrust';
