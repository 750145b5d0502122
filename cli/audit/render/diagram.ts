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
}

const BOX_WIDTH = 220;
const BOX_HEIGHT = 72;
const DETAIL_CHARS = 38;

/** Splits a detail line into at most two lines of about DETAIL_CHARS characters. */
function wrap(text: string): string[] {
  const lines: string[] = [''];
  for (const word of text.split(' ')) {
    const current = lines[lines.length - 1];
    if (current && `${current} ${word}`.length > DETAIL_CHARS) lines.push(word);
    else lines[lines.length - 1] = current ? `${current} ${word}` : word;
  }
  if (lines.length > 2)
    return [
      lines[0],
      `${lines
        .slice(1)
        .join(' ')
        .slice(0, DETAIL_CHARS - 1)}…`,
    ];
  return lines;
}

function box({ node, x, y }: Box): string {
  const style = node.present ? 'class="flow-box present"' : 'class="flow-box absent" stroke-dasharray="6 4"';
  const center = x + BOX_WIDTH / 2;
  const details = wrap(node.detail).map(
    (line, i) =>
      `<text x="${center}" y="${y + 44 + i * 14}" text-anchor="middle" class="flow-detail">${escapeXml(line)}</text>`,
  );
  return [
    `<g id="flow-${node.id}">`,
    `<title>${escapeXml(`${node.title}: ${node.detail}`)}</title>`,
    `<rect x="${x}" y="${y}" width="${BOX_WIDTH}" height="${BOX_HEIGHT}" rx="8" ${style}/>`,
    `<text x="${center}" y="${y + 24}" text-anchor="middle" class="flow-title">${escapeXml(node.title)}</text>`,
    ...details,
    '</g>',
  ].join('');
}

/** An elbow arrow from the right side of one box to the left side of another, labelled above its last leg. */
function arrow(from: Box, to: Box, label: string): string {
  const x1 = from.x + BOX_WIDTH;
  const y1 = from.y + BOX_HEIGHT / 2;
  const x2 = to.x;
  const y2 = to.y + BOX_HEIGHT / 2;
  const bend = x1 + (x2 - x1) / 2;
  const path = y1 === y2 ? `M${x1},${y1} H${x2 - 2}` : `M${x1},${y1} H${bend} V${y2} H${x2 - 2}`;
  return [
    `<path d="${path}" class="flow-arrow" marker-end="url(#arrowhead)"/>`,
    // Above the last leg, or below it when the arrow comes down (the vertical leg would cross the text).
    `<text x="${(x1 + x2) / 2}" y="${y2 > y1 ? y2 + 16 : y2 - 7}" text-anchor="middle" class="flow-label">${escapeXml(label)}</text>`,
  ].join('');
}

/** The data-flow diagram as inline SVG (styled by the report's CSS; no external assets). */
export function dataFlowSvg(flow: DataFlow): string {
  const nodes = flowNodes(flow);
  const columns = [10, 360, 710];
  const enclave: Box = { node: nodes.enclave, x: columns[0], y: 124 };
  const gateway: Box = { node: nodes.gateway, x: columns[1], y: 20 };
  const egress: Box = { node: nodes.egress, x: columns[2], y: 20 };
  const shipper: Box = { node: nodes.shipper, x: columns[1], y: 228 };
  const monitor: Box = { node: nodes.monitor, x: columns[2], y: 176 };
  const archive: Box = { node: nodes.archive, x: columns[2], y: 280 };
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 940 372" role="img" aria-labelledby="flow-caption" class="flow">',
    '<title id="flow-caption">Data flow: enclave to security gateway to egress; enclave logs to shipper to independent monitor and archive</title>',
    '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="flow-head"/></marker></defs>',
    arrow(enclave, gateway, 'non-local traffic'),
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
