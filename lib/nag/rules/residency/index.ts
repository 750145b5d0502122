export * from './StackRegion';
export * from './LiteralRegion';
export * from './GlobalTableReplica';
export * from './ReplicationDestination';
export * from './MultiRegionKey';
export * from './CrossRegionReference';
export * from './CrossRegionFeature';
export * from './EdgeService';
