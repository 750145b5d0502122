import { spawnSync } from 'child_process';
import { APPLIANCE_FILES } from '../../../../lib/constructs/security-gateway/appliance';
import { FakeLoadBalancer, getHealth, PYTHON, RunningAppliance, startAppliance } from './appliance-process';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, geneve, icmpEcho, ipv4, ipv6, tcp, udp } from './geneve-packets';

/**
 * The appliance as the IPv6 enclave runs it (`--protected-ipv6` = the enclave VPC's block): the
 * internet gateway's edge route sends inbound IPv6 through the GWLB endpoint, and the appliance lets
 * in only what belongs to a flow started inside (defect 13).
 */
const PROTECTED = '2001:db8:10::/56';
const INSIDE = '2001:db8:10:1::5';
const OUTSIDE = '2001:db8:ffff::1';

let appliance: RunningAppliance;
const loadBalancer = new FakeLoadBalancer();

beforeAll(async () => {
  const replyPort = await loadBalancer.bind();
  appliance = await startAppliance(['--reply-port', String(replyPort), '--protected-ipv6', PROTECTED]);
});

afterAll(async () => {
  await appliance?.stop();
  await loadBalancer.close();
});

const v6 = (source: string, destination: string, protocol: number, payload: Buffer): Buffer =>
  geneve({ protocolType: ETHERTYPE_IPV6, inner: ipv6(source, destination, protocol, payload) });
/** An IPv4 packet that always passes: sent last, it must be the first datagram to come back. */
const marker = (port: number): Buffer =>
  geneve({ protocolType: ETHERTYPE_IPV4, inner: ipv4('10.10.1.20', '192.0.2.80', 6, tcp(port, 443)) });
/** ICMPv6 "packet too big" (type 2) quoting the first bytes of `original`. */
const packetTooBig = (router: string, to: string, original: Buffer): Buffer =>
  v6(router, to, 58, Buffer.concat([Buffer.from([2, 0, 0, 0, 0, 0, 0x05, 0x00]), original.subarray(0, 48)]));

async function dropped(): Promise<number> {
  return (await getHealth(appliance.healthPort)).body.ipv6InboundDropped as number;
}

/** Sends the packets, then a marker; returns the first datagram that comes back. */
async function firstBack(port: number, ...packets: Buffer[]): Promise<Buffer> {
  return (await loadBalancer.exchange(appliance.genevePort, ...packets, marker(port))).message;
}

test('announces the blocks it protects', () => {
  expect(appliance.ready.protectedIpv6).toEqual([PROTECTED]);
});

test('drops unsolicited inbound TCP, UDP and ICMPv6 to a protected address, and logs each drop', async () => {
  const before = await dropped();
  const unsolicited = [
    v6(OUTSIDE, INSIDE, 6, tcp(443, 50000)),
    v6(OUTSIDE, INSIDE, 17, udp(53, 50000)),
    v6(OUTSIDE, INSIDE, 58, icmpEcho(128)),
  ];
  const back = await firstBack(41000, ...unsolicited);
  expect(back.equals(marker(41000))).toBe(true);
  expect((await dropped()) - before).toBe(3);
  for (const protocol of ['tcp', 'udp', 'icmpv6']) {
    await appliance.stdout.waitFor(
      (line) =>
        line.event === 'drop' &&
        line.protocol === protocol &&
        line.srcAddr === OUTSIDE &&
        line.dstAddr === INSIDE &&
        line.reason === 'unsolicited-inbound-ipv6',
      `a drop line for ${protocol}`,
    );
  }
});

test('lets in the replies of flows started inside (TCP, UDP, ICMPv6 echo)', async () => {
  const before = await dropped();
  const pairs: Array<[Buffer, Buffer]> = [
    [v6(INSIDE, OUTSIDE, 6, tcp(50001, 443)), v6(OUTSIDE, INSIDE, 6, tcp(443, 50001))],
    [v6(INSIDE, OUTSIDE, 17, udp(50002, 123)), v6(OUTSIDE, INSIDE, 17, udp(123, 50002))],
    [v6(INSIDE, OUTSIDE, 58, icmpEcho(128)), v6(OUTSIDE, INSIDE, 58, icmpEcho(129))],
  ];
  for (const [outbound, reply] of pairs) {
    expect((await loadBalancer.exchange(appliance.genevePort, outbound)).message.equals(outbound)).toBe(true);
    expect((await loadBalancer.exchange(appliance.genevePort, reply)).message.equals(reply)).toBe(true);
  }
  // The reply of one flow opens nothing else: another port of the same peer stays closed.
  const back = await firstBack(41001, v6(OUTSIDE, INSIDE, 6, tcp(443, 50009)));
  expect(back.equals(marker(41001))).toBe(true);
  expect((await dropped()) - before).toBe(1);
});

test('passes an ICMPv6 error only when it is about a flow started inside', async () => {
  const outbound = ipv6(INSIDE, OUTSIDE, 6, tcp(50003, 443));
  await loadBalancer.exchange(
    appliance.genevePort,
    geneve({ protocolType: ETHERTYPE_IPV6, inner: outbound }),
  );
  const known = packetTooBig('2001:db8:eeee::1', INSIDE, outbound);
  expect((await loadBalancer.exchange(appliance.genevePort, known)).message.equals(known)).toBe(true);

  const before = await dropped();
  const unknown = packetTooBig('2001:db8:eeee::1', INSIDE, ipv6(INSIDE, OUTSIDE, 6, tcp(50004, 443)));
  expect((await firstBack(41002, unknown)).equals(marker(41002))).toBe(true);
  expect((await dropped()) - before).toBe(1);
});

test('leaves IPv6 between unprotected addresses alone', async () => {
  const elsewhere = v6(OUTSIDE, '2001:db8:99::1', 6, tcp(443, 50005));
  expect((await loadBalancer.exchange(appliance.genevePort, elsewhere)).message.equals(elsewhere)).toBe(true);
});

test('refuses a --protected-ipv6 that is not a list of IPv6 blocks, naming it', () => {
  const run = spawnSync(PYTHON, [APPLIANCE_FILES.program, '--protected-ipv6', '10.0.0.0/8'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/--protected-ipv6 '10\.0\.0\.0\/8' is not a list of IPv6 blocks/);
  expect(run.stderr).not.toMatch(/Traceback/);
});
