import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface DataStackProps extends CloverStackProps {
  readonly enclaveConfig: EnclaveConfig;
  readonly config: CloverConfig;
}

/** Enclave data vault: keys, buckets, table, queues, replication. */
export class DataStack extends CloverStack {
  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
  }
}
