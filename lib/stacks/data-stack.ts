import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { DataVault } from '../constructs/data-vault/data-vault';
import {
  IncomingReplication,
  OutgoingReplication,
  ReplicationPeer,
} from '../constructs/data-vault/replication';
import { justifyIamWildcards, WildcardJustification } from '../constructs/access/wildcard-justifications';
import { CloverStack, CloverStackProps } from './clover-stack';

/** Last day of the IAM wildcard justifications below: reviewed at least once a year. */
const REVIEWED_UNTIL = '2027-11-22';

/** Every IAM wildcard of the replication role and why it is acceptable (listed in docs/acknowledgments.md). */
export const REPLICATION_WILDCARDS: readonly WildcardJustification[] = [
  {
    finding: /^Resource::<VaultBuckets[A-Za-z0-9]+\.Arn>\/\*$/,
    reason:
      'S3 replication reads every object version of the replicated source bucket; the resource is that one bucket’s objects',
    expires: REVIEWED_UNTIL,
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:s3:::clover-[a-z0-9-]+\/\*$/,
    reason:
      'Replicas are written to every object key of the destination enclave’s data bucket (deterministic name from data-vault/naming.ts)',
    expires: REVIEWED_UNTIL,
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:kms:[a-z0-9-]+:\d{12}:key\/\*$/,
    reason:
      'The destination key’s ID is unknown in the source account; the resource is limited to the destination account and region and to use via S3 there, and the destination key policy admits only this role',
    expires: REVIEWED_UNTIL,
  },
];

export interface DataStackProps extends CloverStackProps {
  readonly enclaveConfig: EnclaveConfig;
  readonly config: CloverConfig;
}

/** Enclave data vault: keys, buckets, table, queues, replication. */
export class DataStack extends CloverStack {
  public readonly vault: DataVault;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const enclave = props.enclaveConfig;
    const { outgoing, incoming } = replicationsOf(props.config, enclave.name);
    this.vault = new DataVault(this, 'Vault', {
      enclave: enclave.name,
      dataClasses: enclave.dataClasses,
      outgoingReplication: outgoing,
      incomingReplication: incoming,
    });
    justifyIamWildcards(this, REPLICATION_WILDCARDS);
  }
}

/** The replication pairs of the config that start or end in one enclave. */
export function replicationsOf(
  config: CloverConfig,
  enclave: string,
): { outgoing: OutgoingReplication[]; incoming: IncomingReplication[] } {
  const peer = (name: string): ReplicationPeer => {
    const found = config.enclaves.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`replication names enclave "${name}", which is not in the config`);
    return { enclave: found.name, account: found.account, region: found.region };
  };
  const outgoing = config.replication
    .filter((pair) => pair.from === enclave)
    .map((pair) => ({ dataClass: pair.dataClass, destination: peer(pair.to) }));
  const incoming = config.replication
    .filter((pair) => pair.to === enclave)
    .map((pair) => ({ dataClass: pair.dataClass, source: peer(pair.from) }));
  return { outgoing, incoming };
}
