import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { md5Hex, MINIMAL_SCHEMA, type InventoryObject, type Item } from '../../../bench/migration/generate';
import { compareCodePoints } from '../../../lambda/migration/verification/lines';
import { dynamoDbExport, inventory, verify, workspace } from './reports';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The source bucket: keys with spaces, `+`, `&`, non-ASCII; SSE-S3, SSE-KMS, multipart and unencrypted objects. */
const SOURCE: readonly InventoryObject[] = [
  { key: 'photos/summer 2026/beach day.jpg', size: 2048, etag: md5Hex('beach'), encryption: 'SSE-S3' },
  { key: 'c++/a+b=c.txt', size: 10, etag: md5Hex('c'), encryption: 'SSE-S3' },
  { key: 'r&d/Bjørk – Ωmega 日本.pdf', size: 77, etag: md5Hex('r&d'), encryption: 'SSE-KMS' },
  {
    key: 'backups/db dump.tar',
    size: 104857600,
    etag: `${md5Hex('db')}-12`,
    multipart: true,
    encryption: 'SSE-KMS',
  },
  { key: 'emoji/🎉 party.png', size: 3, etag: md5Hex('party'), encryption: 'NOT-SSE' },
];

/**
 * The same objects after the migration: SSE-KMS objects re-encrypted under the
 * destination's key (new ETags), the multipart object copied with another
 * part size (new ETag), the others copied as they were.
 */
const MIGRATED: readonly InventoryObject[] = SOURCE.map((object) => {
  if (object.multipart) return { ...object, etag: `${md5Hex('db-copy')}-13` };
  if (object.encryption === 'SSE-KMS') return { ...object, etag: md5Hex(`${object.key} under the EU key`) };
  return object;
});

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = workspace());
});
afterEach(() => cleanup());

describe('clover migration verify on S3 Inventory reports', () => {
  test('proves a complete migration with exit 0 and the documented JSON, ETags compared only where both are MD5s', async () => {
    const source = inventory(dir, 'us', SOURCE).manifest;
    const destination = inventory(dir, 'eu', MIGRATED).manifest;
    const { code, evidence, stderr } = await verify([
      '--source',
      source,
      '--destination',
      destination,
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(Object.keys(evidence!)).toEqual([
      'tool',
      'kind',
      'generatedAt',
      'source',
      'destination',
      'objects',
      'comparison',
      'missing',
      'mismatched',
      'verdict',
    ]);
    expect(evidence).toEqual({
      tool: 'clover',
      kind: 'migration-verification',
      generatedAt: '2026-11-23T00:00:00.000Z',
      source: { path: source, kind: 's3-inventory', store: 'clover-us-data', sha256: sha256(source) },
      destination: {
        path: destination,
        kind: 's3-inventory',
        store: 'clover-eu-data',
        sha256: sha256(destination),
      },
      objects: { source: 5, destination: 5, missing: 0, mismatched: 0, extra: 0 },
      comparison: 'key+size+etag-where-md5',
      missing: [],
      mismatched: [],
      verdict: 'complete',
    });
  });

  test('says in the text summary how many objects were compared by ETag and how many by size only', async () => {
    const source = inventory(dir, 'us', SOURCE).manifest;
    const destination = inventory(dir, 'eu', MIGRATED).manifest;
    const { code, stdout } = await verify(['--source', source, '--destination', destination]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^clover migration verify: complete\n/);
    expect(stdout).toContain(
      'objects: 5 in the source, 5 in the destination; 0 missing, 0 mismatched, 0 extra',
    );
    expect(stdout).toContain(
      'of 5 objects in both: ETag compared on 3, where both are MD5 digests; size only on 2',
    );
  });

  test('reports a changed size as a mismatch under its decoded key, with exit 1', async () => {
    const changed = MIGRATED.map((object) =>
      object.key.startsWith('r&d') ? { ...object, size: 78 } : object,
    );
    const source = inventory(dir, 'us', SOURCE).manifest;
    const destination = inventory(dir, 'eu', changed).manifest;
    const { code, evidence } = await verify([
      '--source',
      source,
      '--destination',
      destination,
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    expect(evidence!.verdict).toBe('incomplete');
    expect(evidence!.objects).toEqual({ source: 5, destination: 5, missing: 0, mismatched: 1, extra: 0 });
    expect(evidence!.mismatched).toEqual([
      {
        key: 'r&d/Bjørk – Ωmega 日本.pdf',
        reason: 'size',
        source: { size: 77, etag: md5Hex('r&d'), deleteMarker: false },
        destination: {
          size: 78,
          etag: md5Hex('r&d/Bjørk – Ωmega 日本.pdf under the EU key'),
          deleteMarker: false,
        },
      },
    ]);
  });

  test('reports a single-part SSE-S3 object whose content changed (same size, other MD5)', async () => {
    const changed = MIGRATED.map((object) =>
      object.key.startsWith('c++') ? { ...object, etag: md5Hex('d') } : object,
    );
    const source = inventory(dir, 'us', SOURCE).manifest;
    const destination = inventory(dir, 'eu', changed).manifest;
    const { code, evidence } = await verify([
      '--source',
      source,
      '--destination',
      destination,
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    expect(evidence!.mismatched).toMatchObject([{ key: 'c++/a+b=c.txt', reason: 'etag' }]);
  });

  test('lists every object missing from an empty destination, decoded, in key order', async () => {
    const source = inventory(dir, 'us', SOURCE).manifest;
    const destination = inventory(dir, 'eu', []).manifest;
    const { code, evidence } = await verify([
      '--source',
      source,
      '--destination',
      destination,
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    expect(evidence!.objects).toEqual({ source: 5, destination: 0, missing: 5, mismatched: 0, extra: 0 });
    expect(evidence!.missing).toEqual(SOURCE.map((object) => object.key).sort(compareCodePoints));
    expect(evidence!.comparison).toBe('key+size');
  });

  test('counts extra objects in the destination without failing the verdict', async () => {
    const source = inventory(dir, 'us', SOURCE).manifest;
    const extra = [...MIGRATED, { key: 'new in dublin.txt', size: 1, etag: md5Hex('new') }];
    const destination = inventory(dir, 'eu', extra).manifest;
    const { code, evidence } = await verify([
      '--source',
      source,
      '--destination',
      destination,
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    expect(evidence!.objects).toEqual({ source: 5, destination: 6, missing: 0, mismatched: 0, extra: 1 });
  });

  test('lists the first 1000 of 1500 missing keys in key order and counts them all, over several data files', async () => {
    const objects = Array.from({ length: 2000 }, (_, index) => ({
      key: `k/${(index * 7919) % 2000} é`,
      size: index,
    }));
    const source = inventory(dir, 'us', objects, { perFile: 300, columns: MINIMAL_SCHEMA }).manifest;
    const destination = inventory(dir, 'eu', objects.slice(0, 500), { columns: MINIMAL_SCHEMA }).manifest;
    const { code, evidence } = await verify([
      '--source',
      source,
      '--destination',
      destination,
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    expect(evidence!.objects).toMatchObject({ source: 2000, destination: 500, missing: 1500 });
    const expected = objects
      .slice(500)
      .map((object) => object.key)
      .sort(compareCodePoints)
      .slice(0, 1000);
    expect(evidence!.missing).toEqual(expected);
  });

  test('gives the same result when partitions are split again (a tiny partition limit)', async () => {
    const { verifyMigration } = await import('../../../lambda/migration/verification/run');
    const objects = Array.from({ length: 3000 }, (_, index) => ({ key: `p/${index}`, size: index }));
    const changed = objects
      .filter((_, index) => index % 100 !== 0)
      .map((object, index) => (index === 7 ? { ...object, size: 0 } : object));
    const source = inventory(dir, 'us', objects, { columns: MINIMAL_SCHEMA }).manifest;
    const destination = inventory(dir, 'eu', changed, { columns: MINIMAL_SCHEMA }).manifest;
    const options = { source, destination, versions: false, generatedAt: 'now', scratchParent: dir };
    const whole = await verifyMigration({ ...options, fanout: 2 });
    const split = await verifyMigration({ ...options, partitionBytes: 1024, fanout: 2 });
    expect(split.evidence).toEqual(whole.evidence);
    // 2 partitions, each split in 2 three times (the deepest level): 16 pairs compared.
    expect({ whole: whole.partitions, split: split.partitions }).toEqual({ whole: 2, split: 16 });
    expect(whole.evidence.objects).toMatchObject({ missing: 30, mismatched: 1 });
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('clover-migration-'))).toEqual([]);
  });

  test('ignores non-current versions and delete markers, unless --versions compares them by version ID', async () => {
    const versions: InventoryObject[] = [
      { key: 'a.txt', versionId: 'v2', isLatest: true, size: 2, etag: md5Hex('a2') },
      { key: 'a.txt', versionId: 'v1', isLatest: false, size: 1, etag: md5Hex('a1') },
      { key: 'gone.txt', versionId: 'v4', isLatest: true, isDeleteMarker: true },
      { key: 'gone.txt', versionId: 'v3', isLatest: false, size: 3, etag: md5Hex('gone') },
    ];
    const source = inventory(dir, 'us', versions).manifest;
    // A copy (aws s3 sync, Batch Operations copy) writes new versions: only the current one arrives.
    const copied = inventory(dir, 'eu', [
      { key: 'a.txt', versionId: 'x9', size: 2, etag: md5Hex('a2') },
    ]).manifest;
    const current = await verify(['--source', source, '--destination', copied, '--format', 'json']);
    expect(current.code).toBe(0);
    expect(current.evidence!.objects).toEqual({
      source: 1,
      destination: 1,
      missing: 0,
      mismatched: 0,
      extra: 0,
    });
    const all = await verify(['--source', source, '--destination', copied, '--versions', '--format', 'json']);
    expect(all.code).toBe(1);
    expect(all.evidence!.comparison).toBe('key+versionId+size');
    expect(all.evidence!.objects).toEqual({ source: 4, destination: 1, missing: 4, mismatched: 0, extra: 1 });
    expect(all.evidence!.missing).toEqual([
      'a.txt?versionId=v1',
      'a.txt?versionId=v2',
      'gone.txt?versionId=v3',
      'gone.txt?versionId=v4',
    ]);
    // S3 Replication keeps version IDs and (when configured) delete markers: every version arrives.
    const replicated = inventory(dir, 'eu-replica', versions).manifest;
    const replica = await verify([
      '--source',
      source,
      '--destination',
      replicated,
      '--versions',
      '--format',
      'json',
    ]);
    expect(replica.code).toBe(0);
    expect(replica.evidence!.comparison).toBe('key+versionId+size+etag-where-md5');
  });

  test('writes the JSON evidence with --out while stdout gets the text summary', async () => {
    const source = inventory(dir, 'us', SOURCE).manifest;
    const destination = inventory(dir, 'eu', MIGRATED).manifest;
    const out = path.join(dir, 'evidence.json');
    const { code, stdout, stderr } = await verify([
      '--source',
      source,
      '--destination',
      destination,
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^clover migration verify: complete/);
    const json = await verify(['--source', source, '--destination', destination, '--format', 'json']);
    expect(fs.readFileSync(out, 'utf8')).toBe(json.stdout);
    expect(stderr).toBe(
      `clover migration verify: complete; evidence written to ${out} (sha256 ${sha256(out)})\n`,
    );
  });

  test('finds the bucket copy under a deep inventory prefix', async () => {
    const source = inventory(dir, 'us', SOURCE, { prefix: 'reports/inventory/daily' }).manifest;
    const destination = inventory(dir, 'eu', MIGRATED, { prefix: '' }).manifest;
    const { code } = await verify(['--source', source, '--destination', destination]);
    expect(code).toBe(0);
  });
});

describe('clover migration verify rejects bad S3 Inventory input with exit 2 and one line', () => {
  async function rejects(args: readonly string[], message: RegExp) {
    const { code, stdout, stderr } = await verify(args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
  }

  function pair() {
    return { source: inventory(dir, 'us', SOURCE), destination: inventory(dir, 'eu', MIGRATED) };
  }

  test('a truncated gzip data file', async () => {
    const { source, destination } = pair();
    const [file] = destination.dataFiles;
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 12));
    await rejects(
      ['--source', source.manifest, '--destination', destination.manifest],
      /^clover: --destination .*manifest\.json: data file inventory\/clover-eu-data\/migration\/data\/[^ ]+\.csv\.gz is truncated: its gzip stream ends early; copy it again/,
    );
  });

  test('a data file that is not gzip', async () => {
    const { source, destination } = pair();
    fs.writeFileSync(source.dataFiles[0], 'plain text, not gzip\n');
    await rejects(
      ['--source', source.manifest, '--destination', destination.manifest],
      /--source .* is not valid gzip/,
    );
  });

  test('a data file whose bytes differ from the MD5 in the manifest', async () => {
    const { source, destination } = pair();
    const bytes = fs.readFileSync(source.dataFiles[0]);
    bytes[4] ^= 0xff; // the gzip header's timestamp: still valid gzip, same rows, other bytes
    fs.writeFileSync(source.dataFiles[0], bytes);
    await rejects(
      ['--source', source.manifest, '--destination', destination.manifest],
      /--source .*data file .* has MD5 [0-9a-f]{32} but the manifest says [0-9a-f]{32}; copy it again/,
    );
  });

  test('a data file shorter than the manifest says', async () => {
    const { source, destination } = pair();
    const rows = zlib.gunzipSync(fs.readFileSync(source.dataFiles[0])).toString('utf8').split('\n');
    fs.writeFileSync(source.dataFiles[0], zlib.gzipSync(rows.slice(0, 2).join('\n')));
    await rejects(
      ['--source', source.manifest, '--destination', destination.manifest],
      /data file .* is \d+ bytes but the manifest says \d+; copy it again/,
    );
  });

  test('a missing data file', async () => {
    const { source, destination } = pair();
    fs.rmSync(destination.dataFiles[0]);
    await rejects(
      ['--source', source.manifest, '--destination', destination.manifest],
      /--destination .*: inventory\/clover-eu-data\/migration\/data\/.* is not under any folder above the manifest; .* aws s3 sync s3:\/\/clover-eu-data-inventory <folder>/,
    );
  });

  test('a manifest copied without its data files', async () => {
    const { source, destination } = pair();
    const lonely = path.join(dir, 'lonely', 'manifest.json');
    fs.mkdirSync(path.dirname(lonely));
    fs.copyFileSync(source.manifest, lonely);
    await rejects(
      ['--source', lonely, '--destination', destination.manifest],
      /is not under any folder above the manifest/,
    );
  });

  test('a second data file missing once the copy root is found', async () => {
    const objects = SOURCE.map((object) => ({ ...object }));
    const source = inventory(dir, 'us', objects, { perFile: 2 });
    const destination = inventory(dir, 'eu', MIGRATED);
    fs.rmSync(source.dataFiles[2]);
    await rejects(
      ['--source', source.manifest, '--destination', destination.manifest],
      /--source .*: data file \S+ is missing \(looked for .*\); copy the report again/,
    );
  });

  test('a row with a malformed key', async () => {
    const source = inventory(dir, 'us', SOURCE);
    const rows = zlib.gunzipSync(fs.readFileSync(source.dataFiles[0])).toString('utf8');
    fs.writeFileSync(source.dataFiles[0], zlib.gzipSync(rows.replace('c%2B%2B', 'c%2')));
    const manifest = JSON.parse(fs.readFileSync(source.manifest, 'utf8'));
    delete manifest.files[0].size;
    delete manifest.files[0].MD5checksum;
    fs.writeFileSync(source.manifest, JSON.stringify(manifest));
    await rejects(
      ['--source', source.manifest, '--destination', inventory(dir, 'eu', MIGRATED).manifest],
      /data file .* line 2 has a key that is not URL-encoded UTF-8: "c%2%2Fa%2Bb%3Dc.txt"/,
    );
  });

  test('a key that would leave the bucket copy', async () => {
    const { source, destination } = pair();
    const manifest = JSON.parse(fs.readFileSync(source.manifest, 'utf8'));
    manifest.files[0].key = `../../${manifest.files[0].key}`;
    fs.writeFileSync(source.manifest, JSON.stringify(manifest));
    await rejects(
      ['--source', source.manifest, '--destination', destination.manifest],
      /has a "\." or "\.\." segment/,
    );
  });

  test('an inventory that lists the current version of a key twice', async () => {
    const source = inventory(dir, 'us', [...SOURCE, SOURCE[1]]);
    await rejects(
      ['--source', source.manifest, '--destination', inventory(dir, 'eu', MIGRATED).manifest],
      /--source .* lists the current version of "c\+\+\/a\+b=c\.txt" twice; the inventory is malformed/,
    );
  });

  test('an --out path that cannot be written', async () => {
    const { source, destination } = pair();
    await rejects(
      [
        '--source',
        source.manifest,
        '--destination',
        destination.manifest,
        '--out',
        path.join(dir, 'no', 'such', 'e.json'),
      ],
      /cannot write the evidence to --out .*e\.json \(ENOENT\); choose a writable path/,
    );
  });

  test('an ORC inventory', async () => {
    const { source, destination } = pair();
    const manifest = JSON.parse(fs.readFileSync(source.manifest, 'utf8'));
    fs.writeFileSync(source.manifest, JSON.stringify({ ...manifest, fileFormat: 'ORC' }));
    await rejects(
      ['--source', source.manifest, '--destination', destination.manifest],
      /--source .* has fileFormat "ORC"; only CSV inventories are read: set the inventory configuration's output format to CSV/,
    );
  });

  test('a file that is no manifest, a folder, and a path that does not exist', async () => {
    const { destination } = pair();
    const other = path.join(dir, 'package.json');
    fs.writeFileSync(other, '{"name":"x"}');
    await rejects(
      ['--source', other, '--destination', destination.manifest],
      /is neither an S3 Inventory manifest\.json/,
    );
    await rejects(
      ['--source', dir, '--destination', destination.manifest],
      /is a folder; pass the manifest\.json/,
    );
    await rejects(
      ['--source', path.join(dir, 'nope.json'), '--destination', destination.manifest],
      /nope\.json does not exist; pass the manifest\.json of an S3 Inventory report/,
    );
  });

  test('the same report twice', async () => {
    const { source } = pair();
    await rejects(
      ['--source', source.manifest, '--destination', source.manifest],
      /are the same report \(sha256 [0-9a-f]{64}\)/,
    );
  });

  test('--key, which S3 objects do not need', async () => {
    const { source, destination } = pair();
    await rejects(
      ['--source', source.manifest, '--destination', destination.manifest, '--key', 'id'],
      /--key applies to DynamoDB exports; S3 objects match on their key/,
    );
  });

  test('--versions on an inventory of current versions only', async () => {
    const source = inventory(dir, 'us', SOURCE, { columns: MINIMAL_SCHEMA });
    const destination = inventory(dir, 'eu', MIGRATED, { columns: MINIMAL_SCHEMA });
    await rejects(
      ['--source', source.manifest, '--destination', destination.manifest, '--versions'],
      /--versions compares every version, but --source .* lists current versions only \(no VersionId in its fileSchema\)/,
    );
  });

  test('an S3 Inventory report against a DynamoDB export', async () => {
    const { source } = pair();
    const destination = dynamoDbExport(dir, 'eu', [{ id: { S: '1' } }]);
    await rejects(
      ['--source', source.manifest, '--destination', destination.manifest, '--key', 'id'],
      /--source .* is an S3 Inventory report but --destination .* is a DynamoDB export; compare/,
    );
  });
});

describe('clover migration verify on DynamoDB exports', () => {
  const user = (id: number, extra: Item = {}): Item => ({
    pk: { S: `user#${id}` },
    sk: { S: 'profile' },
    name: { S: `Ada ${id}` },
    country: { S: 'IE' },
    roles: { SS: ['reader', 'writer'] },
    visits: { N: String(id * 10) },
    ...extra,
  });
  const USERS = Array.from({ length: 20 }, (_, id) => user(id));

  test('reports an item changed in one attribute; attribute and set order do not matter', async () => {
    const source = dynamoDbExport(dir, 'us', USERS).manifest;
    const migrated = USERS.map((item, id) => {
      const reordered: Item = Object.fromEntries(Object.entries(item).reverse());
      reordered.roles = { SS: ['writer', 'reader'] };
      return id === 12 ? { ...reordered, country: { S: 'FR' } } : reordered;
    });
    const destination = dynamoDbExport(dir, 'eu', migrated).manifest;
    const { code, evidence } = await verify([
      '--source',
      source,
      '--destination',
      destination,
      '--key',
      'pk,sk',
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    expect(evidence).toMatchObject({
      source: { kind: 'dynamodb-export', store: 'clover-users', sha256: sha256(source) },
      destination: { kind: 'dynamodb-export', store: 'clover-users' },
      items: { source: 20, destination: 20, missing: 0, mismatched: 1, extra: 0 },
      comparison: 'primary-key+item-sha256',
      missing: [],
      verdict: 'incomplete',
    });
    expect(evidence!.mismatched).toEqual([
      {
        key: '{"pk":{"S":"user#12"},"sk":{"S":"profile"}}',
        reason: 'content',
        source: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        destination: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      },
    ]);
    expect(Object.keys(evidence!)).toContain('items');
    expect(Object.keys(evidence!)).not.toContain('objects');
  });

  test('proves a complete copy, missing and extra items counted, with keys the DynamoDB guide writes without the prefix', async () => {
    const source = dynamoDbExport(dir, 'us', USERS, { keysIncludePrefix: false }).manifest;
    const complete = dynamoDbExport(dir, 'eu', [...USERS, user(99)]).manifest;
    const ok = await verify([
      '--source',
      source,
      '--destination',
      complete,
      '--key',
      'pk, sk',
      '--format',
      'json',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.evidence!.items).toEqual({ source: 20, destination: 21, missing: 0, mismatched: 0, extra: 1 });
    const partial = dynamoDbExport(dir, 'eu-partial', USERS.slice(5)).manifest;
    const gaps = await verify([
      '--source',
      source,
      '--destination',
      partial,
      '--key',
      'pk,sk',
      '--format',
      'json',
    ]);
    expect(gaps.code).toBe(1);
    expect(gaps.evidence!.missing).toEqual(
      [0, 1, 2, 3, 4].map((id) => `{"pk":{"S":"user#${id}"},"sk":{"S":"profile"}}`),
    );
  });

  test('reads an export with an empty data file (an empty partition)', async () => {
    const source = dynamoDbExport(dir, 'us', []).manifest;
    const destination = dynamoDbExport(dir, 'eu', USERS.slice(0, 1)).manifest;
    const { code, evidence } = await verify([
      '--source',
      source,
      '--destination',
      destination,
      '--key',
      'pk,sk',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    expect(evidence!.items).toEqual({ source: 0, destination: 1, missing: 0, mismatched: 0, extra: 1 });
  });

  describe('rejects with exit 2', () => {
    async function rejects(args: readonly string[], message: RegExp) {
      const { code, stderr } = await verify(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/internal error|\n\s+at /);
    }

    test('a --key that names only the partition key of a table with a sort key', async () => {
      const items = [user(1), { ...user(1), sk: { S: 'settings' } }];
      const source = dynamoDbExport(dir, 'us', items).manifest;
      const destination = dynamoDbExport(dir, 'eu', items.slice(0, 1)).manifest;
      await rejects(
        ['--source', source, '--destination', destination, '--key', 'pk'],
        /--source .* has two items with the key \{"pk":\{"S":"user#1"\}\}: --key pk is not the table's whole primary key/,
      );
    });

    test('a --key attribute the items do not have', async () => {
      const source = dynamoDbExport(dir, 'us', USERS).manifest;
      const destination = dynamoDbExport(dir, 'eu', USERS).manifest;
      await rejects(
        ['--source', source, '--destination', destination, '--key', 'id'],
        /--source .*: data file \S+ line 1 has no attribute "id" \(it has: country, name, pk, roles, sk, visits\)/,
      );
    });

    test.each([
      ['', /--key "" has an empty attribute name/],
      ['pk,,sk', /--key "pk,,sk" has an empty attribute name/],
      ['a,b,c', /--key "a,b,c" names 3 attributes; a DynamoDB primary key has one or two/],
      ['pk,pk', /--key "pk,pk" names "pk" twice/],
    ])('--key %j', async (key, message) => {
      const source = dynamoDbExport(dir, 'us', USERS).manifest;
      const destination = dynamoDbExport(dir, 'eu', USERS).manifest;
      await rejects(['--source', source, '--destination', destination, '--key', key], message);
    });

    test('no --key', async () => {
      const source = dynamoDbExport(dir, 'us', USERS).manifest;
      const destination = dynamoDbExport(dir, 'eu', USERS).manifest;
      await rejects(
        ['--source', source, '--destination', destination],
        /--key is required for DynamoDB exports .* aws dynamodb describe-table --table-name clover-users --query Table.KeySchema/,
      );
    });

    test('--versions', async () => {
      const source = dynamoDbExport(dir, 'us', USERS).manifest;
      const destination = dynamoDbExport(dir, 'eu', USERS).manifest;
      await rejects(
        ['--source', source, '--destination', destination, '--key', 'pk,sk', '--versions'],
        /--versions applies to S3 Inventory reports/,
      );
    });

    test('a data file holding fewer items than manifest-files.json says', async () => {
      const source = dynamoDbExport(dir, 'us', USERS);
      const destination = dynamoDbExport(dir, 'eu', USERS);
      fs.writeFileSync(
        destination.dataFiles[0],
        zlib.gzipSync(
          USERS.slice(1)
            .map((item) => `${JSON.stringify({ Item: item })}\n`)
            .join(''),
        ),
      );
      await rejects(
        ['--source', source.manifest, '--destination', destination.manifest, '--key', 'pk,sk'],
        /--destination .*: data file \S+ holds 19 items but manifest-files.json says 20/,
      );
    });

    test('the files manifest passed instead of the summary', async () => {
      const source = dynamoDbExport(dir, 'us', USERS).manifest;
      const destination = dynamoDbExport(dir, 'eu', USERS).manifest;
      await rejects(
        [
          '--source',
          path.join(path.dirname(source), 'manifest-files.json'),
          '--destination',
          destination,
          '--key',
          'pk,sk',
        ],
        /is a DynamoDB export's manifest-files\.json; pass the manifest-summary\.json beside it/,
      );
    });

    test('a truncated data file', async () => {
      const source = dynamoDbExport(dir, 'us', USERS);
      const destination = dynamoDbExport(dir, 'eu', USERS).manifest;
      const bytes = fs.readFileSync(source.dataFiles[0]);
      fs.writeFileSync(source.dataFiles[0], bytes.subarray(0, bytes.length >> 1));
      await rejects(
        ['--source', source.manifest, '--destination', destination, '--key', 'pk,sk'],
        /is truncated/,
      );
    });
  });
});
