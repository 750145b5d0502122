/**
 * Fields of Clover's VPC flow log records, in order: the 14 default (v2)
 * fields, then what the independent monitor needs to see through NAT and the
 * gateway: the original packet addresses (`pkt-srcaddr`, `pkt-dstaddr`), the
 * direction and the path the traffic took. The log shippers parse records
 * with this same list.
 */
export const FLOW_LOG_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
  'vpc-id',
  'subnet-id',
  'instance-id',
  'az-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'flow-direction',
  'traffic-path',
] as const;

export type FlowLogField = (typeof FLOW_LOG_FIELDS)[number];

/** The `LogFormat` string of the flow log: `${version} ${account-id} …`. */
export function flowLogFormat(fields: readonly string[] = FLOW_LOG_FIELDS): string {
  return fields.map((field) => '${' + field + '}').join(' ');
}
