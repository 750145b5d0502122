import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface NetworkStackProps extends CloverStackProps {
  readonly enclaveConfig: EnclaveConfig;
  readonly config: CloverConfig;
}

/** Enclave network, security gateway and route proof. */
export class NetworkStack extends CloverStack {
  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
  }
}
