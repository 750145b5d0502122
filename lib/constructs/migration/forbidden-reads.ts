import { CfnResource, Stack } from 'aws-cdk-lib';
import type { DeclaredFlow } from '../../config/flow-declaration';
import { approvedEmployeeRoleName } from '../../config/naming';
import type { EnclaveConfig } from '../../config/types';
import type { DataVault } from '../data-vault/data-vault';
import { viaService } from '../data-vault/enclave-key';
import { dataTableName, replicationRoleName } from '../data-vault/naming';
import { declareFlows } from '../flows';

/**
 * Declares, on each store of a European vault, that no principal of an interim enclave can read it
 * (CLV-RUN-5): the interim enclave's replication role (the one principal European policies name, for
 * writes) and its approved employees, each holding any identity policy at all, are refused every read
 * of the buckets, the table and the keys, so only this side's resource policies decide. A declaration
 * may not refer to the resource that carries it (a circular dependency): bucket flows sit on the bucket
 * policy, key flows on the alias, and the table's name its ARN.
 */
export function declareInterimCannotRead(vault: DataVault, interims: readonly EnclaveConfig[]): void {
  const stack = Stack.of(vault);
  const principals = (interim: EnclaveConfig) =>
    [replicationRoleName(interim.name), approvedEmployeeRoleName(interim.name)].map(
      (role) => `arn:${stack.partition}:iam::${interim.account}:role/${role}`,
    );
  const forbidden = (
    interim: EnclaveConfig,
    id: string,
    what: string,
    action: string,
    resource: string,
    context?: Record<string, string>,
  ): DeclaredFlow[] =>
    principals(interim).map((principal, index) => ({
      id: `interim-${interim.name}-${index === 0 ? 'replication' : 'employee'}-${id}`,
      kind: 'forbidden',
      description: `a principal of interim enclave ${interim.name} (${index === 0 ? 'its replication role' : 'an approved employee'}, with any identity policy) ${what}`,
      principal,
      action,
      resource,
      identity: 'allow-all',
      ...(context ? { context } : {}),
    }));
  const table = stack.formatArn({
    service: 'dynamodb',
    resource: 'table',
    resourceName: dataTableName(vault.enclave),
  });
  for (const interim of interims) {
    for (const [dataClass, bucket] of Object.entries(vault.buckets)) {
      declareFlows(bucket.policy!.node.defaultChild as CfnResource, [
        ...forbidden(
          interim,
          'get-object',
          `reads an object of ${vault.bucketNames[dataClass]}`,
          's3:GetObject',
          bucket.arnForObjects('user-data'),
        ),
        ...forbidden(
          interim,
          'list-bucket',
          `lists ${vault.bucketNames[dataClass]}`,
          's3:ListBucket',
          bucket.bucketArn,
        ),
      ]);
      declareFlows(vault.aliases[dataClass].node.defaultChild as CfnResource, [
        ...forbidden(
          interim,
          'decrypt',
          `decrypts with the ${dataClass} key`,
          'kms:Decrypt',
          vault.keys[dataClass].keyArn,
          {
            'kms:ViaService': viaService(stack, 's3'),
          },
        ),
      ]);
    }
    declareFlows(vault.table.node.defaultChild as CfnResource, [
      ...forbidden(interim, 'get-item', 'reads an item of the records table', 'dynamodb:GetItem', table),
      ...forbidden(
        interim,
        'export',
        'exports the records table',
        'dynamodb:ExportTableToPointInTime',
        table,
      ),
    ]);
  }
}
