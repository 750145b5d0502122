import { analyseRoutes, NetworkViolation, RouteEntry } from '../../../lib/audit/routes';
import type { TemplateIndex } from '../../../lib/audit/template';

export interface RouteRow {
  readonly destination: string;
  readonly target: string;
  /** AZ of an AZ-bound target (GWLB endpoint, NAT gateway), or null. */
  readonly targetAz: string | null;
  readonly isDefault: boolean;
}

export interface RouteTableRow {
  readonly routeTable: string;
  /** The role it is judged by: `workload`, `gateway-endpoint`, `egress`, `edge`, `inspection`, `unassociated`. */
  readonly role: string;
  readonly subnets: readonly string[];
  /** AZs of its subnets. */
  readonly azs: readonly string[];
  /** `ok` or `violation` for workload route tables; `not judged` for others. */
  readonly verdict: 'ok' | 'violation' | 'not judged';
  readonly routes: readonly RouteRow[];
  /** What was proven, one line per route. */
  readonly evidence: readonly string[];
  readonly violations: readonly string[];
}

/** The route proof of one VPC. */
export interface VpcRouteProof {
  readonly stack: string;
  readonly vpc: string;
  /** `enclave` or `inspection`, and why. */
  readonly role: string;
  readonly reason: string;
  readonly cidrs: readonly string[];
  readonly gwlbEndpoints: readonly string[];
  readonly interconnects: readonly string[];
  readonly routeTables: readonly RouteTableRow[];
  /** Violations about the VPC that belong to no single route table (missing endpoint, interconnect, …). */
  readonly violations: readonly string[];
}

/** Evidence lines without the analyser's leading ✓/✗ (reports add their own markers). */
function withoutMarker(line: string): string {
  return line.replace(/^[✓✗]\s*/u, '');
}

function routeRow(route: RouteEntry): RouteRow {
  return {
    destination: route.destination.label,
    target: route.target.label,
    targetAz: route.target.az?.label ?? null,
    isDefault: route.isDefault,
  };
}

/** The route proof per VPC of one stack, from the shared analyser the CLV-NET rules use. */
export function routeProofRows(index: TemplateIndex): VpcRouteProof[] {
  const proof = analyseRoutes(index);
  const judged = new Set<NetworkViolation>(
    proof.routeTables.flatMap((table) => table.verdict?.violations ?? []),
  );
  const placed = new Set<NetworkViolation>(judged);
  const rows = proof.vpcs.map((vpc): VpcRouteProof => {
    const members = new Set([
      vpc.id,
      ...vpc.subnets,
      ...vpc.routeTables,
      ...vpc.gwlbEndpoints,
      ...vpc.interconnects,
    ]);
    const own = proof.violations.filter(
      (violation) => !placed.has(violation) && members.has(violation.subject),
    );
    own.forEach((violation) => placed.add(violation));
    return {
      stack: index.context.stackName,
      vpc: vpc.id,
      role: vpc.role,
      reason: vpc.reason,
      cidrs: vpc.cidrs,
      gwlbEndpoints: vpc.gwlbEndpoints,
      interconnects: vpc.interconnects,
      routeTables: vpc.routeTables.map((id): RouteTableRow => {
        const table = proof.routeTable(id)!;
        return {
          routeTable: id,
          role: table.role,
          subnets: table.subnets,
          azs: [...new Set(table.subnets.map((subnet) => proof.subnet(subnet)?.az.label ?? 'AZ unknown'))],
          verdict: table.verdict ? (table.verdict.ok ? 'ok' : 'violation') : 'not judged',
          routes: table.routes.map(routeRow),
          evidence: (table.verdict?.evidence ?? []).map(withoutMarker),
          violations: table.verdict?.violations.map((violation) => violation.message) ?? [],
        };
      }),
      violations: own.map((violation) => violation.message),
    };
  });
  const rest = proof.violations.filter((violation) => !placed.has(violation));
  if (rest.length > 0) {
    rows.push({
      stack: index.context.stackName,
      vpc: '(outside any VPC of this template)',
      role: 'unknown',
      reason: 'violations about resources that belong to no VPC of this template',
      cidrs: [],
      gwlbEndpoints: [],
      interconnects: [],
      routeTables: [],
      violations: rest.map((violation) => violation.message),
    });
  }
  return rows;
}
