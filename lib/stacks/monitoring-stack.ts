import { Construct } from 'constructs';
import type { CloverConfig } from '../config/types';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface MonitoringStackProps extends CloverStackProps {
  readonly config: CloverConfig;
}

/** The monitoring plane: evidence archive (Object Lock), security event bus and rules, alerts. */
export class MonitoringStack extends CloverStack {
  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
  }
}
