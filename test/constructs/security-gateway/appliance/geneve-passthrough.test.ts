import {
  eventually,
  FakeLoadBalancer,
  getHealth,
  RunningAppliance,
  startAppliance,
} from './appliance-process';
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  geneve,
  gwlbOptions,
  icmpEcho,
  ipv4,
  ipv6,
  tcp,
  udp,
} from './geneve-packets';

const IDS = { endpointId: 0x0123456789abcdefn, attachmentId: 0xdeadbeefn, flowCookie: 0x0badc0de };
const EXPECTED_IDS = {
  gwlbEndpointId: 'vpce-00123456789abcdef',
  attachmentId: '00000000deadbeef',
  flowCookie: '0badc0de',
};

let appliance: RunningAppliance;
const loadBalancer = new FakeLoadBalancer();

beforeAll(async () => {
  const replyPort = await loadBalancer.bind();
  appliance = await startAppliance(['--reply-port', String(replyPort), '--flush-interval', '0.05']);
});

afterAll(async () => {
  await appliance?.stop();
  await loadBalancer.close();
});

const ipv4Tcp = (sourcePort: number): Buffer =>
  geneve({
    protocolType: ETHERTYPE_IPV4,
    vni: 7,
    options: [{ optionClass: 0x0100, type: 5, data: Buffer.alloc(4, 0xaa) }, ...gwlbOptions(IDS)],
    inner: ipv4('10.10.1.20', '192.0.2.80', 6, tcp(sourcePort, 443)),
  });

function flowLine(match: Record<string, unknown>): Promise<Record<string, unknown>> {
  return appliance.stdout.waitFor(
    (line) => line.event === 'flow' && Object.entries(match).every(([key, value]) => line[key] === value),
    `flow ${JSON.stringify(match)}`,
  );
}

describe('forwarding', () => {
  test('returns an IPv4 TCP packet with GWLB options byte-identical, from the GENEVE port', async () => {
    const packet = ipv4Tcp(40001);
    const reply = await loadBalancer.exchange(appliance.genevePort, packet);
    expect(reply.message.equals(packet)).toBe(true);
    expect(reply.port).toBe(appliance.genevePort);
  });

  test('returns an IPv4 UDP packet without GWLB options byte-identical', async () => {
    const packet = geneve({
      protocolType: ETHERTYPE_IPV4,
      inner: ipv4('10.10.2.5', '10.10.3.6', 17, udp(5353, 53)),
    });
    expect((await loadBalancer.exchange(appliance.genevePort, packet)).message.equals(packet)).toBe(true);
  });

  test('returns an IPv6 TCP packet behind an extension header byte-identical', async () => {
    const packet = geneve({
      protocolType: ETHERTYPE_IPV6,
      options: gwlbOptions(IDS),
      inner: ipv6('2001:db8:10::20', '2001:db8:99::1', 6, tcp(50000, 8443), true),
    });
    expect((await loadBalancer.exchange(appliance.genevePort, packet)).message.equals(packet)).toBe(true);
  });

  test('returns an ICMPv6 echo byte-identical', async () => {
    const packet = geneve({
      protocolType: ETHERTYPE_IPV6,
      inner: ipv6('2001:db8::a', '2001:db8::b', 58, icmpEcho(128)),
    });
    expect((await loadBalancer.exchange(appliance.genevePort, packet)).message.equals(packet)).toBe(true);
  });
});

describe('flow log', () => {
  test('writes one JSON line per new inner flow with its 5-tuple and GWLB ids', async () => {
    const packet = ipv4Tcp(40100);
    for (let repeat = 0; repeat < 3; repeat++) await loadBalancer.exchange(appliance.genevePort, packet);
    // A later flow's line proves the earlier lines are all out (one forwarder, lines in order).
    await loadBalancer.exchange(appliance.genevePort, ipv4Tcp(40101));
    await flowLine({ srcPort: 40101 });

    const lines = appliance.stdout.lines.filter((line) => line.event === 'flow' && line.srcPort === 40100);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      ipVersion: 4,
      protocol: 'tcp',
      protocolNumber: 6,
      srcAddr: '10.10.1.20',
      srcPort: 40100,
      dstAddr: '192.0.2.80',
      dstPort: 443,
      vni: 7,
      ...EXPECTED_IDS,
    });
    expect(lines[0].time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  test('logs UDP, IPv6 and ICMP flows with their own fields', async () => {
    await expect(flowLine({ protocol: 'udp', srcAddr: '10.10.2.5' })).resolves.toMatchObject({
      srcPort: 5353,
      dstAddr: '10.10.3.6',
      dstPort: 53,
      gwlbEndpointId: null,
      flowCookie: null,
    });
    await expect(flowLine({ ipVersion: 6, protocol: 'tcp' })).resolves.toMatchObject({
      srcAddr: '2001:db8:10::20',
      srcPort: 50000,
      dstAddr: '2001:db8:99::1',
      dstPort: 8443,
      ...EXPECTED_IDS,
    });
    await expect(flowLine({ protocol: 'icmpv6' })).resolves.toMatchObject({
      srcAddr: '2001:db8::a',
      icmpType: 128,
      icmpCode: 0,
      srcPort: null,
    });
  });
});

describe('malformed datagrams', () => {
  const good = ipv4Tcp(40200);
  const malformed: Record<string, Buffer> = {
    'geneve-too-short': Buffer.from([0, 0, 8, 0]),
    'geneve-bad-version': Buffer.concat([Buffer.from([0x40]), good.subarray(1)]),
    'geneve-bad-options': Buffer.concat([Buffer.from([0x3f]), good.subarray(1, 40)]),
    'geneve-unsupported-protocol': geneve({ protocolType: 0x6558, inner: Buffer.alloc(60) }),
    'inner-truncated': geneve({
      protocolType: ETHERTYPE_IPV4,
      inner: ipv4('10.0.0.1', '10.0.0.2', 6, tcp(1, 2)).subarray(0, 12),
    }),
    'inner-bad-version': geneve({
      protocolType: ETHERTYPE_IPV6,
      inner: ipv4('10.0.0.1', '10.0.0.2', 6, Buffer.alloc(40)),
    }),
    'inner-bad-length': geneve({
      protocolType: ETHERTYPE_IPV4,
      inner: ipv4('10.0.0.1', '10.0.0.2', 6, tcp(1, 2)).subarray(0, 30),
    }),
    'transport-truncated': geneve({
      protocolType: ETHERTYPE_IPV4,
      inner: ipv4('10.0.0.1', '10.0.0.2', 6, tcp(1, 2).subarray(0, 10)),
    }),
  };

  test('drops each malformed datagram, logs why, and forwards the next good packet', async () => {
    const before = (await getHealth(appliance.healthPort)).body.malformed as Record<string, number>;
    // The first datagram to come back must be the good one: nothing malformed was returned.
    const reply = await loadBalancer.exchange(appliance.genevePort, ...Object.values(malformed), good);
    expect(reply.message.equals(good)).toBe(true);

    const after = (await getHealth(appliance.healthPort)).body.malformed as Record<string, number>;
    for (const reason of Object.keys(malformed)) {
      expect({ reason, dropped: after[reason] - before[reason] }).toEqual({ reason, dropped: 1 });
      await appliance.stderr.waitFor((line) => line.event === 'malformed' && line.reason === reason, reason);
    }
    expect(appliance.child.exitCode).toBeNull();
  });
});

describe('health endpoint', () => {
  test('answers 200 with counters while the forwarder runs, 404 elsewhere', async () => {
    const health = await getHealth(appliance.healthPort);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    expect(health.body.forwarded as number).toBeGreaterThanOrEqual(5);
    expect((await getHealth(appliance.healthPort, '/')).status).toBe(404);
  });

  // Last: it stops the forwarder of this file's appliance.
  test('answers 503 once the forwarder is stopped (SIGUSR1 drains the appliance)', async () => {
    expect((await getHealth(appliance.healthPort)).status).toBe(200);
    appliance.child.kill('SIGUSR1');
    const drained = await eventually(async () => {
      const health = await getHealth(appliance.healthPort);
      return health.status === 503 ? health : undefined;
    }, 'health to turn 503');
    expect(drained.body).toMatchObject({ status: 'stopped' });
    expect(appliance.child.exitCode).toBeNull();
  });
});
