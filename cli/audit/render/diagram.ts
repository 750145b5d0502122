import type { DataFlow } from '../inventory/dataflow';

/** One box of the data-flow diagram: a title, a detail line, and whether the templates contain it. */
export interface FlowNode {
  readonly id: string;
  readonly title: string;
  readonly detail: string;
  readonly present: boolean;
}

const plural = (count: number, word: string, many = `${word}s`) => `${count} ${count === 1 ? word : many}`;

/** The diagram's boxes, derived from the counts (shared by the SVG and the text drawing). */
export function flowNodes(
  flow: DataFlow,
): Record<'enclave' | 'gateway' | 'egress' | 'shipper' | 'monitor' | 'archive', FlowNode> {
  const enclaveNames = flow.enclaves.length ? flow.enclaves.join(', ') : 'no Clover enclave metadata';
  return {
    enclave: {
      id: 'enclave',
      title: 'Enclave',
      detail: `${enclaveNames}; ${plural(flow.vpcs, 'VPC')}, ${plural(flow.logGroups, 'log group')}`,
      present: flow.vpcs > 0 || flow.logGroups > 0 || flow.enclaves.length > 0,
    },
    gateway: {
      id: 'gateway',
      title: 'Security gateway',
      detail: `${plural(flow.gatewayLoadBalancers, 'GWLB')}, ${plural(flow.gatewayEndpoints, 'GWLB endpoint')}`,
      present: flow.gatewayLoadBalancers > 0 || flow.gatewayEndpoints > 0,
    },
    egress: {
      id: 'egress',
      title: 'Egress',
      detail: `${plural(flow.natGateways, 'NAT gateway')}, ${plural(flow.internetGateways, 'internet gateway')}`,
      present: flow.natGateways > 0 || flow.internetGateways > 0,
    },
    shipper: {
      id: 'shipper',
      title: 'Log shipper',
      detail: `${plural(flow.subscriptions, 'subscription')} → ${plural(flow.shippers, 'function')}, ${plural(flow.deadLetterQueues, 'DLQ')}`,
      present: flow.shippers > 0,
    },
    monitor: {
      id: 'monitor',
      title: 'Independent monitor',
      detail: flow.shippers > 0 ? 'HTTPS, fed by the shipper' : 'no shipper feeds it',
      present: flow.shippers > 0,
    },
    archive: {
      id: 'archive',
      title: 'Archive (Object Lock)',
      detail: plural(flow.archives, 'locked bucket'),
      present: flow.archives > 0,
    },
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Box {
  readonly node: FlowNode;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function box({ node, x, y, w, h }: Box): string {
  const style = node.present ? 'class="flow-box present"' : 'class="flow-box absent" stroke-dasharray="6 4"';
  const detail = node.detail.length > 34 ? `${node.detail.slice(0, 33)}…` : node.detail;
  return [
    `<g id="flow-${node.id}">`,
    `<title>${escapeXml(`${node.title}: ${node.detail}`)}</title>`,
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" ${style}/>`,
    `<text x="${x + w / 2}" y="${y + h / 2 - 4}" text-anchor="middle" class="flow-title">${escapeXml(node.title)}</text>`,
    `<text x="${x + w / 2}" y="${y + h / 2 + 14}" text-anchor="middle" class="flow-detail">${escapeXml(detail)}</text>`,
    '</g>',
  ].join('');
}

function arrow(from: Box, to: Box, label: string): string {
  const x1 = from.x + from.w;
  const y1 = from.y + from.h / 2;
  const x2 = to.x;
  const y2 = to.y + to.h / 2;
  const mx = (x1 + x2) / 2;
  return [
    `<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 4},${y2}" class="flow-arrow" marker-end="url(#arrowhead)"/>`,
    `<text x="${mx}" y="${(y1 + y2) / 2 - 6}" text-anchor="middle" class="flow-label">${escapeXml(label)}</text>`,
  ].join('');
}

/** The data-flow diagram as inline SVG (styled by the report's CSS; no external assets). */
export function dataFlowSvg(flow: DataFlow): string {
  const nodes = flowNodes(flow);
  const enclave: Box = { node: nodes.enclave, x: 10, y: 105, w: 230, h: 70 };
  const gateway: Box = { node: nodes.gateway, x: 300, y: 20, w: 230, h: 70 };
  const egress: Box = { node: nodes.egress, x: 590, y: 20, w: 230, h: 70 };
  const shipper: Box = { node: nodes.shipper, x: 300, y: 190, w: 230, h: 70 };
  const monitor: Box = { node: nodes.monitor, x: 590, y: 150, w: 230, h: 60 };
  const archive: Box = { node: nodes.archive, x: 590, y: 230, w: 230, h: 60 };
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 830 300" role="img" aria-labelledby="flow-caption" class="flow">',
    '<title id="flow-caption">Data flow: enclave to security gateway to egress; enclave logs to shipper to independent monitor and archive</title>',
    '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="flow-head"/></marker></defs>',
    arrow(enclave, gateway, 'all non-local traffic'),
    arrow(gateway, egress, 'inspected'),
    arrow(enclave, shipper, 'log subscriptions'),
    arrow(shipper, monitor, 'pseudonymised'),
    arrow(shipper, archive, 'tamper-evident'),
    ...[enclave, gateway, egress, shipper, monitor, archive].map(box),
    '</svg>',
  ].join('\n');
}

/** The same diagram as text, for Markdown and terminals. */
export function dataFlowText(flow: DataFlow): string[] {
  const n = flowNodes(flow);
  const label = (node: FlowNode) => `[${node.present ? '' : 'absent: '}${node.title}: ${node.detail}]`;
  return [
    `${label(n.enclave)}`,
    `  ├─ all non-local traffic ─▶ ${label(n.gateway)} ─▶ ${label(n.egress)}`,
    `  └─ log subscriptions ─────▶ ${label(n.shipper)}`,
    `                                ├─▶ ${label(n.monitor)}`,
    `                                └─▶ ${label(n.archive)}`,
  ];
}
