import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnclaveNetwork, EnclaveZone } from '../enclave-network/enclave-network';
import { SUBNET_ROLE_TAG } from '../enclave-network/vpc-parts';
import { EndpointAcceptance } from './endpoint-acceptance';

export interface InspectionRoutingProps {
  readonly network: EnclaveNetwork;
  /** ID of the gateway's VPC endpoint service. */
  readonly serviceId: string;
  /** Its service name (`com.amazonaws.vpce.<region>.vpce-svc-…` or the partition's form). */
  readonly serviceName: string;
  /** Log group of the acceptance handler. */
  readonly acceptanceLogGroup: logs.ILogGroup;
}

/**
 * The distributed inspection pattern in the enclave VPC: one GWLB endpoint per
 * AZ in its gateway-endpoint subnet, accepted by Clover, and routes that send
 * every packet leaving a workload subnet, and every reply coming back to it,
 * through the endpoint of the workload's own AZ:
 *
 * - workload: `0.0.0.0/0` (and `::/0`) → same-AZ endpoint (only with egress);
 * - egress (NAT): the same-AZ workload CIDR → same-AZ endpoint;
 * - internet gateway edge (IPv6 with egress): each workload /64 → same-AZ endpoint.
 *
 * Fail closed: there is no fallback route; when an AZ's gateway is down its
 * workloads lose their way out rather than bypass inspection.
 */
export class InspectionRouting extends Construct {
  /** The GWLB endpoints, in the network's AZ order. */
  public readonly endpoints: readonly ec2.CfnVPCEndpoint[];
  public readonly acceptance: EndpointAcceptance;
  /** Every route that targets a GWLB endpoint. */
  public readonly routes: readonly ec2.CfnRoute[];
  /** Route table associated with the internet gateway (IPv6 return path); present with IPv6 egress. */
  public readonly edgeRouteTable?: ec2.CfnRouteTable;

  constructor(scope: Construct, id: string, props: InspectionRoutingProps) {
    super(scope, id);
    const network = props.network;
    this.endpoints = network.zones.map(
      (zone) =>
        new ec2.CfnVPCEndpoint(this, `Endpoint-${zone.availabilityZone}`, {
          vpcId: network.cfnVpc.ref,
          vpcEndpointType: 'GatewayLoadBalancer',
          serviceName: props.serviceName,
          subnetIds: [zone.gatewayEndpoint.subnet.ref],
          ipAddressType: network.ipv6 ? 'dualstack' : 'ipv4',
        }),
    );
    this.acceptance = new EndpointAcceptance(this, 'Acceptance', {
      serviceId: props.serviceId,
      endpointIds: this.endpoints.map((endpoint) => endpoint.ref),
      logGroup: props.acceptanceLogGroup,
      endpoints: network.serviceEndpoints,
    });

    const routes: ec2.CfnRoute[] = [];
    const route = (zoneScope: Construct, routeId: string, routeProps: ec2.CfnRouteProps): void => {
      const created = new ec2.CfnRoute(zoneScope, routeId, routeProps);
      // A route to a pending endpoint fails; the acceptance waits until the endpoint is available.
      created.node.addDependency(this.acceptance);
      routes.push(created);
    };
    if (network.egress) {
      if (network.ipv6) {
        this.edgeRouteTable = new ec2.CfnRouteTable(this, 'InternetGatewayEdgeRouteTable', {
          vpcId: network.cfnVpc.ref,
        });
        Tags.of(this.edgeRouteTable).add(SUBNET_ROLE_TAG, 'edge');
        new ec2.CfnGatewayRouteTableAssociation(this, 'InternetGatewayEdgeAssociation', {
          gatewayId: network.internetGateway!.ref,
          routeTableId: this.edgeRouteTable.ref,
        });
      }
      network.zones.forEach((zone, index) => {
        const endpointId = this.endpoints[index].ref;
        const zoneScope = new Construct(this, `Routes-${zone.availabilityZone}`);
        this.addZoneRoutes(zoneScope, zone, endpointId, route);
      });
    }
    this.routes = routes;
  }

  private addZoneRoutes(
    zoneScope: Construct,
    zone: EnclaveZone,
    vpcEndpointId: string,
    route: (scope: Construct, id: string, props: ec2.CfnRouteProps) => void,
  ): void {
    const workload = zone.workload;
    route(zoneScope, 'WorkloadDefault', {
      routeTableId: workload.routeTable.ref,
      destinationCidrBlock: '0.0.0.0/0',
      vpcEndpointId,
    });
    route(zoneScope, 'EgressReturn', {
      routeTableId: zone.egress!.routeTable.ref,
      destinationCidrBlock: workload.cidr,
      vpcEndpointId,
    });
    if (workload.ipv6Cidr && this.edgeRouteTable) {
      route(zoneScope, 'WorkloadIpv6Default', {
        routeTableId: workload.routeTable.ref,
        destinationIpv6CidrBlock: '::/0',
        vpcEndpointId,
      });
      route(zoneScope, 'EdgeIpv6Return', {
        routeTableId: this.edgeRouteTable.ref,
        destinationIpv6CidrBlock: workload.ipv6Cidr,
        vpcEndpointId,
      });
    }
  }
}
