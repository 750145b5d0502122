import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface LoggingStackProps extends CloverStackProps {
  readonly enclaveConfig: EnclaveConfig;
  readonly config: CloverConfig;
}

/** Enclave log shipper, trail and subscriptions. */
export class LoggingStack extends CloverStack {
  constructor(scope: Construct, id: string, props: LoggingStackProps) {
    super(scope, id, props);
  }
}
