/**
 * Writes the migration evidence that the examples and tests give the cut-over gate, by running the real
 * verifier (`clover migration verify --out`) over S3 Inventory reports and DynamoDB exports generated for
 * the stores of examples/interim-us-cutover.json. Reproducible (SOURCE_DATE_EPOCH is fixed):
 *
 *   node -r ./scripts/register-ts.js scripts/migration-evidence-fixtures.ts
 *
 * examples/interim-us-evidence/: every store complete.
 * test/fixtures/migration/one-missing/: the same, but one object of the personal bucket never arrived.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  exportLines,
  FULL_SCHEMA,
  inventoryCsv,
  md5Hex,
  writeDynamoDbExport,
  writeInventory,
  type InventoryObject,
} from '../bench/migration/generate';
import { run } from '../cli/main';

const REPO = path.resolve(__dirname, '..');
const INTERIM = { name: 'interim-us', account: '555555555555', region: 'us-east-1' };
const TARGET = { name: 'dublin-1', account: '111111111111', region: 'eu-west-1' };
const bucket = (e: typeof INTERIM, dataClass: string) =>
  `clover-${e.name}-${dataClass}-${e.account}-${e.region}`;
const table = (e: typeof INTERIM) => `clover-${e.name}-records`;

function objects(dataClass: string, count: number): InventoryObject[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `${dataClass}/user-${String(index).padStart(4, '0')}.json`,
    size: 100 + index,
    etag: md5Hex(`${dataClass}-${index}`).replace(/^./, 'a'),
    encryption: 'SSE-KMS',
  }));
}

const items = Array.from({ length: 20 }, (_, index) => ({
  pk: { S: `user#${index}` },
  sk: { S: 'profile' },
  country: { S: index % 2 ? 'IE' : 'DE' },
}));

async function write(out: string, missingPersonalObject: boolean): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-evidence-'));
  const cwd = process.cwd();
  process.env.SOURCE_DATE_EPOCH = '1795392000';
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  try {
    process.chdir(work);
    const verify = async (name: string, args: string[]) => {
      const code = await run([
        'node',
        'clover',
        'migration',
        'verify',
        ...args,
        '--out',
        path.join(out, name),
      ]);
      if (code !== 0 && !missingPersonalObject) throw new Error(`verify ${name} exited ${code}`);
    };
    for (const dataClass of ['personal', 'telemetry']) {
      const listed = objects(dataClass, 25);
      const arrived = missingPersonalObject && dataClass === 'personal' ? listed.slice(1) : listed;
      const manifests = [
        { copy: 'us-copy', store: bucket(INTERIM, dataClass), rows: listed },
        { copy: 'eu-copy', store: bucket(TARGET, dataClass), rows: arrived },
      ].map(
        ({ copy, store, rows }) =>
          writeInventory({
            root: copy,
            sourceBucket: store,
            destinationBucket: `${store.replace(/-\d{12}-.*$/, '')}-inventory`,
            columns: FULL_SCHEMA,
            dataFiles: [inventoryCsv(rows, store, FULL_SCHEMA)],
          }).manifest,
      );
      await verify(`${bucket(INTERIM, dataClass)}.json`, [
        '--source',
        manifests[0],
        '--destination',
        manifests[1],
      ]);
    }
    const exports = [
      { copy: 'us-exports', e: INTERIM, id: '01795392000000-a1b2c3d4' },
      { copy: 'eu-exports', e: TARGET, id: '01795392000000-e5f6a7b8' },
    ].map(
      ({ copy, e, id }) =>
        writeDynamoDbExport({
          root: copy,
          tableArn: `arn:aws:dynamodb:${e.region}:${e.account}:table/${table(e)}`,
          exportId: id,
          prefix: `exports/${table(e)}`,
          dataFiles: [exportLines(items)],
        }).manifest,
    );
    await verify(`${table(INTERIM)}.json`, [
      '--key',
      'pk,sk',
      '--source',
      exports[0],
      '--destination',
      exports[1],
    ]);
  } finally {
    process.chdir(cwd);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await write(path.join(REPO, 'examples', 'interim-us-evidence'), false);
  await write(path.join(REPO, 'test', 'fixtures', 'migration', 'one-missing'), true);
}

void main();
