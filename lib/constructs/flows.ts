import { CfnResource } from 'aws-cdk-lib';
import { DeclaredFlow, FLOWS_METADATA_KEY } from '../config/flow-declaration';

/**
 * Records calls that only code makes on the resource that makes them
 * (`clover:flows` metadata), for the runtime flow proof (CLV-RUN). Values may
 * be tokens; they reach the template as CloudFormation expressions.
 */
export function declareFlows(resource: CfnResource, flows: readonly DeclaredFlow[]): void {
  const existing = (resource.getMetadata(FLOWS_METADATA_KEY) as DeclaredFlow[] | undefined) ?? [];
  resource.addMetadata(FLOWS_METADATA_KEY, [...existing, ...flows]);
}
