import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { archiveBucketName } from '../config/naming';
import { EnclaveNetwork } from '../constructs/enclave-network';
import { shipperPrefix } from '../constructs/monitoring/evidence-archive';
import { SecurityGateway } from '../constructs/security-gateway';
import { designDecision } from '../constructs/design-decision';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface NetworkStackProps extends CloverStackProps {
  readonly enclaveConfig: EnclaveConfig;
  readonly config: CloverConfig;
}

/**
 * Enclave network and its security gateway: the segregated VPC, the GWLB
 * fleet in its inspection VPC, and the routes that force every workload
 * packet through the same-AZ gateway endpoint. The GWLB and its endpoints
 * live in the enclave's own account, so no cross-account wiring is needed.
 */
export class NetworkStack extends CloverStack {
  public readonly network: EnclaveNetwork;
  public readonly gateway: SecurityGateway;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const enclave = props.enclaveConfig;
    this.network = new EnclaveNetwork(this, 'Network', {
      enclaveName: enclave.name,
      cidr: enclave.cidr,
      availabilityZones: enclave.azs,
      egress: enclave.egress,
      ipv6: enclave.ipv6,
    });
    this.gateway = new SecurityGateway(this, 'Gateway', {
      enclaveName: enclave.name,
      network: this.network,
      inspectionCidr: enclave.gateway.inspectionCidr,
      applianceInstanceType: enclave.gateway.applianceInstanceType,
      applianceAmi: enclave.gateway.applianceAmi,
      minInstances: enclave.gateway.minInstances,
      maxInstances: enclave.gateway.maxInstances,
      providerAccounts: props.config.monitoring.providerAccounts,
    });
    const { account: monitoringAccount, region: monitoringRegion } = props.config.monitoring;
    if (monitoringRegion === enclave.region) {
      // The shipper's archive client then resolves to the S3 endpoint (private DNS).
      this.network.serviceEndpoints.allowS3Writes('ShipperArchiveWrites', [
        `arn:${this.partition}:s3:::${archiveBucketName(monitoringAccount, monitoringRegion)}/${shipperPrefix(enclave.name, enclave.account)}*`,
      ]);
    }
    designDecision(this.network, 'REAL_AZ_NAMES');
    designDecision(this.gateway, 'REAL_AZ_NAMES');
  }
}
