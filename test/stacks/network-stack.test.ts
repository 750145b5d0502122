import * as path from 'path';
import { App, Stage } from 'aws-cdk-lib';
import type { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { Finding } from '../../lib/audit/engine';
import { collectGateFindings, GateResult } from '../../lib/app/gate';
import type { CloverApp } from '../../lib/app/clover-app';
import { DEFAULT_CONFIG } from '../../lib/config/defaults';
import { loadConfig } from '../../lib/config/load';
import type { CloverConfig, EnclaveConfig } from '../../lib/config/types';
import { validateConfig } from '../../lib/config/validate';
import { NetworkStack } from '../../lib/stacks/network-stack';
import { buildTestApp, TEST_CONTEXT } from '../helpers/app';
import { validateTemplate } from '../helpers/nag';

type Json = Record<string, unknown>;
interface Resource {
  readonly Type: string;
  readonly Properties?: Json;
}
type Template = { Resources: Record<string, Resource> };

/** The logical ID a `{ Ref }` points at. */
function ref(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null
    ? ((value as Json).Ref as string | undefined)
    : undefined;
}

/**
 * An independent walk of a template, by the classification contract and never
 * by tags: a VPC hosting a gateway load balancer is an inspection VPC; in
 * every other VPC a subnet hosting a GWLB endpoint is a gateway-endpoint
 * subnet, one hosting a NAT gateway an egress subnet, any other a workload subnet.
 */
class TemplateWalk {
  private readonly resources: Record<string, Resource>;

  constructor(template: Template) {
    this.resources = template.Resources;
  }

  public ofType(type: string): Array<[string, Resource]> {
    return Object.entries(this.resources).filter(([, resource]) => resource.Type === type);
  }

  public get(id: string): Resource {
    const resource = this.resources[id];
    if (!resource) throw new Error(`no resource ${id}`);
    return resource;
  }

  public gwlbEndpoints(): Array<[string, Resource]> {
    return this.ofType('AWS::EC2::VPCEndpoint').filter(
      ([, endpoint]) => endpoint.Properties!.VpcEndpointType === 'GatewayLoadBalancer',
    );
  }

  public azOfEndpoint(endpointId: string): string {
    const subnets = this.get(endpointId).Properties!.SubnetIds as unknown[];
    expect(subnets).toHaveLength(1);
    return this.get(ref(subnets[0])!).Properties!.AvailabilityZone as string;
  }

  public workloadSubnets(): Array<[string, Resource]> {
    const inspectionVpcs = new Set(
      this.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')
        .filter(([, lb]) => lb.Properties!.Type === 'gateway')
        .flatMap(([, lb]) => (lb.Properties!.Subnets as unknown[]).map((subnet) => this.get(ref(subnet)!)))
        .map((subnet) => ref(subnet.Properties!.VpcId)),
    );
    const hosting = new Set([
      ...this.gwlbEndpoints().flatMap(([, endpoint]) =>
        (endpoint.Properties!.SubnetIds as unknown[]).map(ref),
      ),
      ...this.ofType('AWS::EC2::NatGateway').map(([, nat]) => ref(nat.Properties!.SubnetId)),
    ]);
    return this.ofType('AWS::EC2::Subnet').filter(
      ([id, subnet]) => !inspectionVpcs.has(ref(subnet.Properties!.VpcId)) && !hosting.has(id),
    );
  }

  /** The routes of a subnet's explicitly associated route table. */
  public routesOf(subnetId: string): Json[] {
    const associations = this.ofType('AWS::EC2::SubnetRouteTableAssociation').filter(
      ([, association]) => ref(association.Properties!.SubnetId) === subnetId,
    );
    expect(associations).toHaveLength(1);
    const table = ref(associations[0][1].Properties!.RouteTableId)!;
    expect(this.get(table).Type).toBe('AWS::EC2::RouteTable');
    return this.ofType('AWS::EC2::Route')
      .filter(([, route]) => ref(route.Properties!.RouteTableId) === table)
      .map(([, route]) => route.Properties!);
  }

  /** Asserts that `destination` of the subnet routes to a GWLB endpoint in the subnet's own AZ; returns that endpoint. */
  public expectSameAzEndpointRoute(subnetId: string, destination: Json): string {
    const az = this.get(subnetId).Properties!.AvailabilityZone as string;
    const matching = this.routesOf(subnetId).filter((route) =>
      Object.entries(destination).every(([key, value]) => route[key] === value),
    );
    expect(matching).toHaveLength(1);
    const endpoint = ref(matching[0].VpcEndpointId);
    expect(endpoint).toBeDefined();
    expect(this.get(endpoint!).Type).toBe('AWS::EC2::VPCEndpoint');
    expect(this.get(endpoint!).Properties!.VpcEndpointType).toBe('GatewayLoadBalancer');
    expect(this.azOfEndpoint(endpoint!)).toBe(az);
    return endpoint!;
  }
}

describe('default app: every enclave network', () => {
  let built: CloverApp;
  let assembly: CloudAssembly;
  let gate: GateResult;
  const networks = new Map<string, { artifact: CloudFormationStackArtifact; enclave: EnclaveConfig }>();

  beforeAll(() => {
    // cfn-validate runs once for every stack in test/app/default-synth.test.ts.
    built = buildTestApp({});
    assembly = built.app.synth();
    gate = collectGateFindings(assembly.directory, built.cloverChecks);
    for (const stage of built.enclaveStages) {
      const artifact = assembly
        .getNestedAssembly(stage.artifactId)
        .getStackArtifact(stage.network!.artifactId) as CloudFormationStackArtifact;
      networks.set(stage.enclave.name, { artifact, enclave: stage.enclave });
    }
  });

  test('covers each configured enclave', () => {
    expect([...networks.keys()].sort()).toEqual(
      DEFAULT_CONFIG.enclaves.map((enclave) => enclave.name).sort(),
    );
  });

  test('sends the default route of every workload subnet to a GWLB endpoint in the same AZ', () => {
    for (const { artifact, enclave } of networks.values()) {
      const walk = new TemplateWalk(artifact.template as Template);
      const workloads = walk.workloadSubnets();
      expect(workloads).toHaveLength(enclave.azs.length);
      for (const [subnetId] of workloads) {
        walk.expectSameAzEndpointRoute(subnetId, { DestinationCidrBlock: '0.0.0.0/0' });
        // No other way out: every route of a workload table targets a same-AZ GWLB endpoint.
        for (const route of walk.routesOf(subnetId)) {
          expect(Object.keys(route).filter((key) => key.endsWith('Id') && key !== 'RouteTableId')).toEqual([
            'VpcEndpointId',
          ]);
        }
      }
    }
  });

  test('has exactly one GWLB endpoint per configured AZ', () => {
    for (const { artifact, enclave } of networks.values()) {
      const walk = new TemplateWalk(artifact.template as Template);
      const azs = walk.gwlbEndpoints().map(([id]) => walk.azOfEndpoint(id));
      expect(azs.sort()).toEqual([...enclave.azs].sort());
    }
  });

  test('returns NAT traffic to each workload subnet through its same-AZ endpoint', () => {
    for (const { artifact } of networks.values()) {
      const walk = new TemplateWalk(artifact.template as Template);
      for (const [natId, nat] of walk.ofType('AWS::EC2::NatGateway')) {
        const egressSubnet = ref(nat.Properties!.SubnetId)!;
        const az = walk.get(egressSubnet).Properties!.AvailabilityZone;
        const sameAz = walk
          .workloadSubnets()
          .filter(([, subnet]) => subnet.Properties!.AvailabilityZone === az);
        expect(sameAz).toHaveLength(1);
        walk.expectSameAzEndpointRoute(egressSubnet, {
          DestinationCidrBlock: sameAz[0][1].Properties!.CidrBlock,
        });
        expect(natId).toBeDefined();
      }
    }
  });

  test('passes the Clover policy gate: no finding on any network stack (CLV-NET, AwsSolutions)', () => {
    const onNetwork = (finding: Finding) =>
      /^\/?[^/]+\/Network(\/|$)/.test(finding.path ?? '') || /-Network$/.test(finding.stack);
    expect(gate.findings.filter(onNetwork)).toEqual([]);
    // The filter does select network-stack findings.
    expect(
      onNetwork({ rule: 'CLV-NET-1', severity: 'error', stack: 'hamar-Network', resource: 'R', message: '' }),
    ).toBe(true);
  });

  test('passes every Control Tower proactive control (its deploy-time handlers run in the VPC: CT.LAMBDA.PR.3 holds)', () => {
    // The enclaves' network stacks come from one construct with different CIDRs and AZs; cfn-guard
    // (~2 s a template) checks the first, to keep the suite fast.
    const templatePaths = [[...networks.values()][0].artifact.templateFullPath];
    const report = new CfnGuardValidator({ controlTowerRulesEnabled: true }).validate({
      templatePaths,
      appConstruct: built.app,
    });
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) =>
          `${/\[(CT\.[A-Z0-9.]+)\]/.exec(violation.description ?? '')?.[1] ?? violation.ruleName} ${resource.resourceLogicalId}`,
      ),
    );
    expect([...new Set(findings)].sort()).toEqual([]);
  });
});

/** A NetworkStack alone, from a config validated the way the app validates it. */
function networkStack(config: CloverConfig, context: Record<string, unknown> = {}): Template {
  const app = new App({ builtinCloudFormationValidation: false, context: { ...TEST_CONTEXT, ...context } });
  const enclave = config.enclaves[0];
  const env = { account: enclave.account, region: enclave.region };
  const stack = new NetworkStack(new Stage(app, enclave.name, { env }), 'Network', {
    env,
    enclave: { name: enclave.name, role: 'enclave' },
    dataClassification: enclave.dataClassification,
    enclaveConfig: enclave,
    config,
  });
  return app.synth().getNestedAssembly(`assembly-${enclave.name}`).getStackArtifact(stack.artifactId)
    .template as Template;
}

function configWith(enclave: Json): CloverConfig {
  const base = DEFAULT_CONFIG as unknown as Json;
  return validateConfig(
    { ...base, enclaves: [{ ...DEFAULT_CONFIG.enclaves[0], ...enclave }], replication: [] },
    { today: TEST_CONTEXT.today, source: 'test' },
  );
}

/** CloverChecks rule IDs of the CLV-NET findings on a template. */
function routeProofFindings(template: Template, region = 'eu-west-1'): string[] {
  const { findings } = validateTemplate(template as never, { region });
  return findings
    .filter((finding) => finding.rule.startsWith('CLV-NET'))
    .map((f) => `${f.rule} ${f.message}`);
}

describe('enclave without egress', () => {
  // The config refuses egress: false for an enclave (its shipper needs the way out); the stack still builds it.
  const validated = configWith({});
  const template = networkStack({
    ...validated,
    enclaves: [{ ...validated.enclaves[0], egress: false }],
  });
  const walk = new TemplateWalk(template);

  test('gives workload subnets no default route, and no route at all', () => {
    const workloads = walk.workloadSubnets();
    expect(workloads).toHaveLength(3);
    for (const [subnetId] of workloads) expect(walk.routesOf(subnetId)).toEqual([]);
    expect(walk.ofType('AWS::EC2::NatGateway')).toEqual([]);
    expect(walk.ofType('AWS::EC2::InternetGateway')).toEqual([]);
  });

  test('satisfies the route proof', () => {
    expect(routeProofFindings(template)).toEqual([]);
  });

  test('still has one GWLB endpoint per AZ', () => {
    expect(
      walk
        .gwlbEndpoints()
        .map(([id]) => walk.azOfEndpoint(id))
        .sort(),
    ).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });
});

describe('dual-stack enclave', () => {
  const template = networkStack(configWith({ ipv6: true, azCount: 2 }));
  const walk = new TemplateWalk(template);

  test('satisfies the route proof, IPv6 edge return routes included', () => {
    expect(routeProofFindings(template)).toEqual([]);
  });

  test('sends ::/0 as well as 0.0.0.0/0 of every workload subnet to the same-AZ endpoint', () => {
    const workloads = walk.workloadSubnets();
    expect(workloads).toHaveLength(2);
    for (const [subnetId] of workloads) {
      const v4 = walk.expectSameAzEndpointRoute(subnetId, { DestinationCidrBlock: '0.0.0.0/0' });
      const v6 = walk.expectSameAzEndpointRoute(subnetId, { DestinationIpv6CidrBlock: '::/0' });
      expect(v6).toBe(v4);
    }
  });
});

describe('enclave in the European Sovereign Cloud', () => {
  const { config } = loadConfig({
    configPath: path.join(__dirname, '../../examples/sovereign-cloud.json'),
    today: TEST_CONTEXT.today,
  });
  // Partition literals on, as in cdk.json: a hard-coded `aws` partition would show as `arn:aws:`.
  const template = networkStack(config, { '@aws-cdk/core:enablePartitionLiterals': true });
  const text = JSON.stringify(template);

  test('satisfies the route proof', () => {
    expect(routeProofFindings(template, 'eusc-de-east-1')).toEqual([]);
  });

  test('names no aws-partition ARN and no amazonaws.com host', () => {
    expect(text).toContain('arn:aws-eusc:');
    expect(text).not.toContain('arn:aws:');
    expect(text).not.toContain('amazonaws.com');
  });

  test('connects the endpoints to the sovereign partition endpoint service name', () => {
    expect(text).toContain('eu.amazonaws.vpce.eusc-de-east-1');
  });
});
