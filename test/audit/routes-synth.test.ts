import { App, Stage } from 'aws-cdk-lib';
import { analyseRoutes, NetworkViolationKind, RouteProof } from '../../lib/audit/routes';
import type { CfnTemplate } from '../../lib/audit/template';
import { DEFAULT_CONFIG } from '../../lib/config/defaults';
import { validateConfig } from '../../lib/config/validate';
import { NetworkStack } from '../../lib/stacks/network-stack';
import { TEST_CONTEXT } from '../helpers/app';
import { indexOf, validateTemplate } from '../helpers/nag';

/** The synthesized NetworkStack of a dual-stack enclave over two AZs, with egress. */
function dualStackNetworkTemplate(): CfnTemplate {
  const config = validateConfig(
    {
      ...DEFAULT_CONFIG,
      enclaves: [{ ...DEFAULT_CONFIG.enclaves[0], ipv6: true, azCount: 2 }],
      replication: [],
    },
    { today: TEST_CONTEXT.today, source: 'test' },
  );
  const enclave = config.enclaves[0];
  const env = { account: enclave.account, region: enclave.region };
  const app = new App({ builtinCloudFormationValidation: false, context: TEST_CONTEXT });
  const stack = new NetworkStack(new Stage(app, enclave.name, { env }), 'Network', {
    env,
    enclave: { name: enclave.name, role: 'enclave' },
    dataClassification: enclave.dataClassification,
    enclaveConfig: enclave,
    config,
  });
  return app.synth().getNestedAssembly(`assembly-${enclave.name}`).getStackArtifact(stack.artifactId)
    .template as CfnTemplate;
}

const synthesized = dualStackNetworkTemplate();
const proof: RouteProof = analyseRoutes(indexOf(synthesized));

type Json = { Resources: Record<string, { Properties: Record<string, unknown> }> };
function mutated(change: (template: Json) => void): CfnTemplate {
  const copy = structuredClone(synthesized) as unknown as Json;
  change(copy);
  return copy as unknown as CfnTemplate;
}

/** Violations of one kind in the proof of a template (the cdk-nag path is covered by the fixture tests). */
function violationsOf(template: CfnTemplate, kind: NetworkViolationKind): string[] {
  return analyseRoutes(indexOf(template))
    .violations.filter((violation) => violation.kind === kind)
    .map((violation) => violation.message);
}

const workloadTables = () => proof.routeTables.filter((table) => table.role === 'workload');
const routesOf = (role: string) =>
  proof.routeTables.filter((table) => table.role === role).flatMap((table) => table.routes);

describe('route proof of the real NetworkStack (dual-stack, two AZs, egress)', () => {
  test('classifies the enclave and inspection VPCs and proves every workload route table OK for IPv4 and IPv6', () => {
    expect(proof.vpcs.map((vpc) => vpc.role).sort()).toEqual(['enclave', 'inspection']);
    expect(workloadTables()).toHaveLength(2);
    for (const table of workloadTables()) {
      expect(table.verdict).toMatchObject({ ok: true, violations: [] });
      const evidence = table.verdict!.evidence.join('\n');
      expect(evidence).toMatch(/^0\.0\.0\.0\/0 → GWLB endpoint \S+ in eu-west-1[ab], same AZ as /m);
      expect(evidence).toMatch(/^::\/0 → GWLB endpoint \S+ in eu-west-1[ab], same AZ as /m);
    }
    expect(proof.violations).toEqual([]);
  });

  test('catches an IPv6 edge return route moved to the other AZ’s endpoint', () => {
    const [first, second] = routesOf('edge');
    const template = mutated((t) => {
      t.Resources[first.logicalId].Properties.VpcEndpointId =
        t.Resources[second.logicalId].Properties.VpcEndpointId;
    });
    expect(violationsOf(template, 'return-route')).toEqual([
      expect.stringMatching(
        /^edge route table \S+ route Fn::Select\(0, Fn::Cidr\(Fn::Select\(0, \S+\.Ipv6CidrBlocks\), 6, 64\)\) back to workload subnet \S+ targets GWLB endpoint \S+ in eu-west-1b, not the GWLB endpoint in eu-west-1a/,
      ),
    ]);
  });

  test('reports no CLV-NET finding through cdk-nag on the unmodified template', () => {
    expect(
      validateTemplate(synthesized).findings.filter((finding) => finding.rule.startsWith('CLV-NET-')),
    ).toEqual([]);
  });

  test('catches a workload ::/0 route moved to the other AZ’s endpoint', () => {
    const [tableA, tableB] = workloadTables();
    const ipv6DefaultOf = (table: typeof tableA) =>
      table.routes.find((route) => route.destination.label === '::/0')!.logicalId;
    const template = mutated((t) => {
      t.Resources[ipv6DefaultOf(tableA)].Properties.VpcEndpointId =
        t.Resources[ipv6DefaultOf(tableB)].Properties.VpcEndpointId;
    });
    expect(violationsOf(template, 'workload-route-cross-az')).toEqual([
      expect.stringContaining(`route table ${tableA.logicalId} route ::/0 targets GWLB endpoint`),
    ]);
  });

  test('catches a NAT subnet that lost its return route', () => {
    const [returnRoute] = routesOf('egress').filter((route) => route.target.kind === 'gwlb-endpoint');
    const template = mutated((t) => delete t.Resources[returnRoute.logicalId]);
    expect(violationsOf(template, 'return-route')).toEqual([
      expect.stringContaining(`route table ${returnRoute.routeTable} of NAT subnet`),
    ]);
  });
});
