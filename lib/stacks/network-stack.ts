import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { EnclaveNetwork } from '../constructs/enclave-network';
import { SecurityGateway } from '../constructs/security-gateway';
import { ACKNOWLEDGMENT_EXPIRY } from '../constructs/security-gateway/security-gateway';
import { acknowledge } from '../nag/acknowledge';
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
    this.acknowledgeDesignFindings();
  }

  /** Findings of the other engines that this design accepts; each is listed in docs/acknowledgments.md. */
  private acknowledgeDesignFindings(): void {
    const realAzNames = {
      rule: 'W3010',
      reason:
        'real AZ names from the config are the design: every stack has its AZs without a lookup, and the route proof compares AZs; Fn::GetAZs would bring the lookup back',
      expires: ACKNOWLEDGMENT_EXPIRY,
    };
    acknowledge(this.network, realAzNames);
    acknowledge(this.gateway, realAzNames);
    // The stack's AwsCustomResource provider runs the default security group's rule revocations.
    const providerId = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
    const provider = this.node.tryFindChild(providerId);
    if (provider === undefined) {
      throw new Error(
        `${this.node.path}: the AwsCustomResource provider function ${providerId} was not found`,
      );
    }
    acknowledge(provider, {
      rule: 'CT.LAMBDA.PR.3',
      reason:
        'a deploy-time custom resource handler (revokes the default security group rules) that calls EC2 control-plane APIs only and never sees data; in a VPC it would need EC2 and logs endpoints in the enclave',
      expires: ACKNOWLEDGMENT_EXPIRY,
    });
  }
}
