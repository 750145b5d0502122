/** Builders for synthetic GENEVE datagrams (RFC 8926) as Gateway Load Balancer sends them. */

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const AWS_OPTION_CLASS = 0x0108;

export interface GeneveOption {
  readonly optionClass: number;
  readonly type: number;
  /** Option data; its length must be a multiple of 4. */
  readonly data: Buffer;
}

export interface GeneveProps {
  readonly protocolType: number;
  readonly inner: Buffer;
  readonly options?: GeneveOption[];
  readonly vni?: number;
  /** Two-bit version field; RFC 8926 defines only 0. */
  readonly version?: number;
}

export function geneve(props: GeneveProps): Buffer {
  const options = Buffer.concat(
    (props.options ?? []).map((option) => {
      const header = Buffer.alloc(4);
      header.writeUInt16BE(option.optionClass, 0);
      header.writeUInt8(option.type, 2);
      header.writeUInt8(option.data.length / 4, 3);
      return Buffer.concat([header, option.data]);
    }),
  );
  const header = Buffer.alloc(8);
  header.writeUInt8(((props.version ?? 0) << 6) | (options.length / 4), 0);
  header.writeUInt16BE(props.protocolType, 2);
  header.writeUIntBE(props.vni ?? 0, 4, 3);
  return Buffer.concat([header, options, props.inner]);
}

export interface GwlbIds {
  /** 64-bit VPC endpoint id value, rendered by the appliance as `vpce-` + 17 hex digits. */
  readonly endpointId: bigint;
  readonly attachmentId: bigint;
  readonly flowCookie: number;
}

/** The three TLVs of option class 0x0108 that GWLB adds to every packet. */
export function gwlbOptions(ids: GwlbIds): GeneveOption[] {
  const endpoint = Buffer.alloc(8);
  endpoint.writeBigUInt64BE(ids.endpointId);
  const attachment = Buffer.alloc(8);
  attachment.writeBigUInt64BE(ids.attachmentId);
  const cookie = Buffer.alloc(4);
  cookie.writeUInt32BE(ids.flowCookie);
  return [
    { optionClass: AWS_OPTION_CLASS, type: 1, data: endpoint },
    { optionClass: AWS_OPTION_CLASS, type: 2, data: attachment },
    { optionClass: AWS_OPTION_CLASS, type: 3, data: cookie },
  ];
}

export function tcp(sourcePort: number, destinationPort: number): Buffer {
  const segment = Buffer.alloc(20);
  segment.writeUInt16BE(sourcePort, 0);
  segment.writeUInt16BE(destinationPort, 2);
  segment.writeUInt8(5 << 4, 12); // data offset: 5 words
  segment.writeUInt8(0x02, 13); // SYN
  segment.writeUInt16BE(65535, 14);
  return segment;
}

export function udp(sourcePort: number, destinationPort: number, payload = Buffer.from('clover')): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(sourcePort, 0);
  header.writeUInt16BE(destinationPort, 2);
  header.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([header, payload]);
}

export function icmpEcho(type = 8, code = 0): Buffer {
  return Buffer.from([type, code, 0, 0, 0, 1, 0, 1]);
}

export function ipv4(source: string, destination: string, protocol: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt8(0x45, 0);
  header.writeUInt16BE(20 + payload.length, 2);
  header.writeUInt16BE(0x1234, 4);
  header.writeUInt16BE(0x4000, 6); // don't fragment
  header.writeUInt8(64, 8);
  header.writeUInt8(protocol, 9);
  Buffer.from(source.split('.').map(Number)).copy(header, 12);
  Buffer.from(destination.split('.').map(Number)).copy(header, 16);
  let sum = 0;
  for (let offset = 0; offset < 20; offset += 2) sum += header.readUInt16BE(offset);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  header.writeUInt16BE(~sum & 0xffff, 10);
  return Buffer.concat([header, payload]);
}

/** IPv6 packet; `destinationOptions` inserts an (empty, padded) destination-options extension header. */
export function ipv6(
  source: string,
  destination: string,
  nextHeader: number,
  payload: Buffer,
  destinationOptions = false,
): Buffer {
  const extension = destinationOptions ? Buffer.from([nextHeader, 0, 1, 4, 0, 0, 0, 0]) : Buffer.alloc(0);
  const header = Buffer.alloc(40);
  header.writeUInt32BE(0x60000000, 0);
  header.writeUInt16BE(extension.length + payload.length, 4);
  header.writeUInt8(destinationOptions ? 60 : nextHeader, 6);
  header.writeUInt8(64, 7);
  ipv6Bytes(source).copy(header, 8);
  ipv6Bytes(destination).copy(header, 24);
  return Buffer.concat([header, extension, payload]);
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail = ''] = address.split('::');
  const groups = (part: string): string[] => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = [
    ...groups(head),
    ...Array<string>(address.includes('::') ? missing : 0).fill('0'),
    ...groups(tail),
  ];
  const bytes = Buffer.alloc(16);
  all.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}
