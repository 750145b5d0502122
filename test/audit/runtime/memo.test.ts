import { caseShape, ShapeMemo } from '../../../lib/audit/runtime/memo';
import type { PolicyLayer } from '../../../lib/audit/runtime/layers';
import { plainReason, POSITION_MARK, SimulationCase } from '../../../lib/audit/runtime/simulate';

/** The archive write of one enclave's shipper against a bucket policy naming it. */
function shipperWrite(enclave: string, account: string, extra: Record<string, unknown> = {}): SimulationCase {
  const role = `arn:aws:iam::${account}:role/clover-${enclave}-log-shipper`;
  const policy: PolicyLayer = {
    kind: 'resource',
    label: `bucket policy ArchiveBucketPolicy (${enclave}-monitoring)`,
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: `ShipperWrites${enclave}`,
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::clover-archive/archive/${enclave}/*`,
          Condition: { ArnEquals: { 'aws:PrincipalArn': role }, ...extra },
        },
      ],
    },
  };
  return {
    principal: `arn:aws:sts::${account}:assumed-role/clover-${enclave}-log-shipper/clover-runtime-proof`,
    action: 's3:PutObject',
    resource: `arn:aws:s3:::clover-archive/archive/${enclave}/1970/01/01/x.ndjson.gz`,
    resourceAccount: '444444444444',
    context: { 'aws:PrincipalArn': role, 's3:TlsVersion': '1.3' },
    identity: [],
    resourcePolicy: policy,
    scps: [],
  };
}

describe('case shapes', () => {
  test('two enclaves’ cases that differ only in their names and accounts share a shape', () => {
    expect(caseShape(shipperWrite('enclave-001', '100000000001'))!.key).toBe(
      caseShape(shipperWrite('enclave-002', '100000000002'))!.key,
    );
  });

  test('a case that differs in an equality does not: its own role against another enclave’s policy', () => {
    const mismatched = shipperWrite('enclave-002', '100000000002');
    const other = shipperWrite('enclave-003', '100000000003');
    const crossed = { ...mismatched, resourcePolicy: other.resourcePolicy };
    expect(caseShape(crossed)!.key).not.toBe(caseShape(shipperWrite('enclave-001', '100000000001'))!.key);
  });

  test('a value a numeric condition reads is kept as written', () => {
    const tls = (version: string) =>
      caseShape(
        shipperWrite('enclave-001', '100000000001', { NumericLessThan: { 's3:TlsVersion': version } }),
      )!.key;
    expect(tls('1.2')).not.toBe(tls('1.4'));
  });

  test('tokens of another length or kind make another shape', () => {
    expect(caseShape(shipperWrite('enclave-001', '100000000001'))!.key).not.toBe(
      caseShape(shipperWrite('enclave-0001', '100000000001'))!.key,
    );
  });

  test('a wildcard that could cut a token leaves the case unshared', () => {
    const cut = shipperWrite('enclave-001', '100000000001');
    const layer = cut.resourcePolicy!;
    const document = JSON.parse(
      JSON.stringify(layer.document).replace('archive/enclave-001/*', 'archive/enclave-0*'),
    );
    expect(caseShape({ ...cut, resourcePolicy: { ...layer, document } })).toBeUndefined();
  });
});

describe('region names in shapes', () => {
  /** CloudWatch Logs writing a log group of one region, encrypted by a key whose policy names the region. */
  function logsDelivery(
    region: string,
    keyRegion = region,
    condition: Record<string, unknown> = {},
  ): SimulationCase {
    const policy: PolicyLayer = {
      kind: 'resource',
      label: 'key policy of LogKey (enclave-001-Logging)',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: `logs.${keyRegion}.amazonaws.com` },
            Action: 'kms:GenerateDataKey',
            Resource: '*',
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${keyRegion}:100000000001:log-group:*`,
              },
              ...condition,
            },
          },
        ],
      },
    };
    return {
      principal: `logs.${region}.amazonaws.com`,
      action: 'kms:GenerateDataKey',
      resource: `arn:aws:kms:${keyRegion}:100000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      resourceAccount: '100000000001',
      context: {
        'aws:RequestedRegion': region,
        'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:100000000001:log-group:/clover/enclave-001`,
      },
      identity: [],
      resourcePolicy: policy,
      scps: [],
    };
  }

  test('enclaves in different regions share a shape: a region name is a token, in ARNs and service principals', () => {
    expect(caseShape(logsDelivery('eu-west-1'))!.key).toBe(caseShape(logsDelivery('eu-central-2'))!.key);
    expect(caseShape(logsDelivery('eu-west-1'))!.key).toBe(caseShape(logsDelivery('eusc-de-east-1'))!.key);
  });

  test('a region the request and the policy share is an equality another pair of regions may not have', () => {
    expect(caseShape(logsDelivery('eu-west-1', 'eu-central-1'))!.key).not.toBe(
      caseShape(logsDelivery('eu-west-1'))!.key,
    );
    // Written in capitals, a region is still the same token ignoring case (an IgnoreCase operator compares it).
    const capitals = logsDelivery('eu-west-1', 'eu-west-1', {
      StringEqualsIgnoreCase: { 'aws:RequestedRegion': 'EU-WEST-1' },
    });
    const other = logsDelivery('eu-north-1', 'eu-north-1', {
      StringEqualsIgnoreCase: { 'aws:RequestedRegion': 'EU-WEST-1' },
    });
    expect(caseShape(capitals)!.key).not.toBe(caseShape(other)!.key);
  });

  test('a wildcard that could match part of a region name leaves the case unshared', () => {
    for (const pattern of ['eu-*', '*-1', 'eu-west-*']) {
      const input = logsDelivery('eu-west-1', 'eu-west-1', {
        StringLike: { 'aws:RequestedRegion': pattern },
      });
      expect(caseShape(input)).toBeUndefined();
    }
    // One that spans whole names, or stays in a name that is not a region's, does not.
    for (const pattern of ['*', 'arn:aws:logs:*:100000000001:log-group:*', 'clover-*-log-shipper']) {
      const input = logsDelivery('eu-west-1', 'eu-west-1', { StringLike: { 'aws:SourceArn': pattern } });
      expect(caseShape(input)).toBeDefined();
    }
  });
});

describe('the memo', () => {
  test('simulates a shape once and tells its reason in the names of each case', async () => {
    const asked: SimulationCase[] = [];
    const memo = new ShapeMemo(async (input) => {
      asked.push(input);
      return {
        decision: 'Allowed',
        reason: `${input.resourcePolicy!.label} statement ShipperWritesenclave-001 allows`,
      };
    });
    const first = await memo.evaluate(shipperWrite('enclave-001', '100000000001'));
    const second = await memo.evaluate(shipperWrite('enclave-002', '100000000002'));
    expect(asked).toHaveLength(1);
    expect(first.reason).toBe(
      'bucket policy ArchiveBucketPolicy (enclave-001-monitoring) statement ShipperWritesenclave-001 allows',
    );
    expect({ decision: second.decision, reason: second.reason }).toEqual({
      decision: 'Allowed',
      reason:
        'bucket policy ArchiveBucketPolicy (enclave-002-monitoring) statement ShipperWritesenclave-002 allows',
    });
    expect([memo.cases, memo.simulated]).toEqual([2, 1]);
  });

  test('one memo keeps apart what its caches share: the same layers and context with other equalities', async () => {
    const asked: SimulationCase[] = [];
    const memo = new ShapeMemo(async (input) => {
      asked.push(input);
      return { decision: 'Allowed', reason: `${input.resource} allowed` };
    });
    // The same layer and context objects (as the judge hands every request of one probe), an unsigned
    // caller, and a resource whose one token equals the context's and the policy's (its own enclave) or not.
    const write = shipperWrite('enclave-001', '100000000001');
    const unsigned = (enclave: string) => ({
      ...write,
      principal: 'anonymous',
      resource: `arn:aws:s3:::clover-archive/archive/enclave-${enclave}/1970/01/01/x.ndjson.gz`,
    });
    const verdicts = [
      await memo.evaluate(unsigned('001')),
      await memo.evaluate(unsigned('002')),
      await memo.evaluate(unsigned('003')),
    ];
    expect(asked.map((input) => input.resource)).toEqual([
      unsigned('001').resource,
      unsigned('002').resource,
    ]);
    expect(verdicts.map((verdict) => verdict.reason)).toEqual(
      ['001', '002', '003'].map((enclave) => `${unsigned(enclave).resource} allowed`),
    );
    // A value a typed operator reads is kept as written, in each context part the memo caches.
    const numeric = (enclave: string, account: string, version: string) => {
      const input = shipperWrite(enclave, account, { NumericLessThan: { 's3:TlsVersion': '1.2' } });
      return { ...input, context: { ...input.context, 's3:TlsVersion': version } };
    };
    await memo.evaluate(numeric('enclave-004', '100000000004', '1.3'));
    await memo.evaluate(numeric('enclave-005', '100000000005', '1.4'));
    await memo.evaluate(numeric('enclave-006', '100000000006', '1.3'));
    expect(asked).toHaveLength(4);
    expect([memo.cases, memo.simulated]).toEqual([6, 4]);
  });

  test('a statement’s position in a reason is the simulator’s count, not a name to translate', async () => {
    const memo = new ShapeMemo(async (input) => ({
      decision: 'Allowed',
      reason: `${input.resourcePolicy!.label} statement ${POSITION_MARK}5 allows`,
    }));
    // Enclave 5's case is simulated; enclave 6's, of its shape, would read `statement 6` were the 5 a name.
    await memo.evaluate(shipperWrite('enclave-5', '100000000005'));
    const second = await memo.evaluate(shipperWrite('enclave-6', '100000000006'));
    expect([memo.cases, memo.simulated]).toEqual([2, 1]);
    expect(plainReason(second.reason)).toBe(
      'bucket policy ArchiveBucketPolicy (enclave-6-monitoring) statement 5 allows',
    );
  });

  test('a context in two parts (the principal’s keys, the request’s own) is shaped from both', async () => {
    const memo = new ShapeMemo(async () => ({ decision: 'Allowed', reason: 'allowed' }));
    const withParts = (enclave: string, account: string, sourceAccount: string): SimulationCase => {
      const input = shipperWrite(enclave, account);
      const shared = { 'aws:PrincipalAccount': account };
      const own = { ...input.context, 'aws:SourceAccount': sourceAccount };
      return { ...input, context: { ...shared, ...own }, contextParts: [shared, own] };
    };
    await memo.evaluate(withParts('enclave-001', '100000000001', '100000000001'));
    await memo.evaluate(withParts('enclave-002', '100000000002', '100000000002'));
    // The principal's own account as source, or another: an equality between the two parts.
    await memo.evaluate(withParts('enclave-003', '100000000003', '100000000009'));
    expect([memo.cases, memo.simulated]).toEqual([3, 2]);
  });
});
