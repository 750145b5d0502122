import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { DataVault } from '../constructs/data-vault/data-vault';
import { IncomingReplication, OutgoingReplication, ReplicationPeer } from '../constructs/data-vault/replication';
import { CloverStack, CloverStackProps } from './clover-stack';

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
