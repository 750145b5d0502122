import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface AccessStackProps extends CloverStackProps {
  readonly enclaveConfig: EnclaveConfig;
  readonly config: CloverConfig;
}

/** Enclave approved-employee, auditor and break-glass roles. */
export class AccessStack extends CloverStack {
  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id, props);
  }
}
