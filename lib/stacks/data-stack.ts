import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { DataVault } from '../constructs/data-vault/data-vault';
import {
  IncomingReplication,
  OutgoingReplication,
  ReplicationPeer,
} from '../constructs/data-vault/replication';
import { designDecision } from '../constructs/design-decision';
import { interimEnclaves, isMigrating } from '../config/migration';
import { InterimMigration } from '../constructs/migration/interim-migration';
import { declareInterimCannotRead } from '../constructs/migration/forbidden-reads';
import { decommission, makeReadOnly } from '../constructs/migration/lifecycle';
import { MigrationTarget } from '../constructs/migration/migration-target';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface DataStackProps extends CloverStackProps {
  readonly enclaveConfig: EnclaveConfig;
  readonly config: CloverConfig;
}

/**
 * Enclave data vault: keys, buckets, table, queues, replication; and the enclave's part in interim
 * migrations: as an interim enclave (one-way paths into its target, read-only in cutover, emptied when
 * decommissioned), or as the target (receiving, applying, verifying). A European vault declares that no
 * principal of an interim enclave can read it (CLV-RUN).
 */
export class DataStack extends CloverStack {
  public readonly vault: DataVault;
  /** Present in an interim enclave while `replicating` or in `cutover`. */
  public readonly interimMigration?: InterimMigration;
  /** Present in an enclave that interim enclaves migrate into (while they replicate or cut over). */
  public readonly migrationTarget?: MigrationTarget;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const enclave = props.enclaveConfig;
    const { config } = props;
    const { outgoing, incoming } = replicationsOf(config, enclave.name);
    this.vault = new DataVault(this, 'Vault', {
      enclave: enclave.name,
      dataClasses: enclave.dataClasses,
      outgoingReplication: outgoing,
      incomingReplication: incoming,
    });
    designDecision(this, 'REPLICATION_WILDCARDS');

    const phase = enclave.interim?.phase;
    if (phase && isMigrating(phase)) {
      this.interimMigration = new InterimMigration(this, 'Migration', {
        enclave: enclave.name,
        target: peerOf(config, enclave.interim!.migrateTo),
        vault: this.vault,
      });
    }
    if (phase === 'cutover') makeReadOnly(this.vault);
    if (phase === 'decommissioned') decommission(this.vault);

    const sources = interimEnclaves(config)
      .filter(
        ({ target, enclave: source }) => target.name === enclave.name && isMigrating(source.interim!.phase),
      )
      .map(({ enclave: source }) => ({
        ...peerOf(config, source.name),
        phase: source.interim!.phase as 'replicating' | 'cutover',
        dataClasses: source.dataClasses,
      }));
    if (sources.length > 0) {
      this.migrationTarget = new MigrationTarget(this, 'MigrationTarget', {
        enclave: enclave.name,
        sources,
        vault: this.vault,
        archive: { account: config.monitoring.account, region: config.monitoring.region },
      });
    }
    if (!enclave.interim)
      declareInterimCannotRead(
        this.vault,
        interimEnclaves(config).map((e) => e.enclave),
      );
  }
}

function peerOf(config: CloverConfig, name: string): ReplicationPeer {
  const found = config.enclaves.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`enclave "${name}" is not in the config`);
  return { enclave: found.name, account: found.account, region: found.region };
}

/**
 * The replication pairs that start or end in one enclave: the config's pairs, and the one-way migration of
 * every data class of an interim enclave into its target while it replicates or cuts over.
 */
export function replicationsOf(
  config: CloverConfig,
  enclave: string,
): { outgoing: OutgoingReplication[]; incoming: IncomingReplication[] } {
  const migrations = interimEnclaves(config)
    .filter(({ enclave: interim }) => isMigrating(interim.interim!.phase))
    .flatMap(({ enclave: interim, target }) =>
      interim.dataClasses.map((dataClass) => ({ from: interim.name, to: target.name, dataClass })),
    );
  const pairs = [...config.replication, ...migrations];
  const outgoing = pairs
    .filter((pair) => pair.from === enclave)
    .map((pair) => ({ dataClass: pair.dataClass, destination: peerOf(config, pair.to) }));
  const incoming = pairs
    .filter((pair) => pair.to === enclave)
    .map((pair) => ({ dataClass: pair.dataClass, source: peerOf(config, pair.from) }));
  return { outgoing, incoming };
}
