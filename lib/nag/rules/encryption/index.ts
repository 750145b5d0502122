// Rules of this family are listed here, one export per rule file.
export * from './BucketEncryption';
export * from './DatabaseEncryption';
export * from './MessagingEncryption';
export * from './VolumeEncryption';
export * from './LogGroupEncryption';
export * from './KeyRotation';
export * from './BucketTlsOnly';
export * from './StoreEncryption';
export * from './PlaintextInTransit';
export * from './UnverifiableKey';
