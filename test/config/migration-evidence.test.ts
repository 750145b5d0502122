import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, loadConfig } from '../../lib/config';

const TODAY = '2026-11-23';
const COMPLETE = 'examples/interim-us-evidence';
const ONE_MISSING = 'test/fixtures/migration/one-missing';

function load(config: string, migrationEvidence?: string) {
  return loadConfig({ configPath: `examples/${config}.json`, today: TODAY, migrationEvidence });
}

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

interface EditableEvidence {
  destination: { store: string };
  objects: { missing: number };
}

/** A temporary evidence folder holding the complete evidence, with one file changed by `edit`. */
function editedEvidence(file: string, edit: (evidence: EditableEvidence) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-evidence-'));
  for (const name of fs.readdirSync(COMPLETE))
    fs.copyFileSync(path.join(COMPLETE, name), path.join(dir, name));
  const evidence = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  edit(evidence);
  fs.writeFileSync(path.join(dir, file), JSON.stringify(evidence));
  return dir;
}

const PERSONAL = 'clover-interim-us-personal-555555555555-us-east-1';

describe('cut-over gate', () => {
  test('refuses cutover without evidence, naming every store', () => {
    const message = problemsOf(() => load('interim-us-cutover'));
    expect(message).toMatch(/3 problems/);
    expect(message).toMatch(
      /enclaves\[3\]\.interim\.phase "cutover": needs migration evidence for bucket clover-interim-us-personal-555555555555-us-east-1 \(data class personal\) of interim enclave "interim-us", but no -c migrationEvidence was given/,
    );
    expect(message).toMatch(/bucket clover-interim-us-telemetry-555555555555-us-east-1/);
    expect(message).toMatch(/table clover-interim-us-records/);
  });

  test('refuses cutover when the evidence shows one missing object, naming the store and the object', () => {
    const message = problemsOf(() => load('interim-us-cutover', ONE_MISSING));
    expect(message).toMatch(/1 problem\b/);
    expect(message).toMatch(
      new RegExp(
        // (the path is cut at 80 characters, as every long value is)
        `one-missing/[^"]*"(?: \\(\\d+ characters\\))?: shows bucket ${PERSONAL} \\(data class personal\\) of interim enclave "interim-us" incomplete in clover-dublin-1-personal-111111111111-eu-west-1: 1 missing object \\(first missing: "personal/user-0000\\.json"\\), 0 mismatched`,
      ),
    );
  });

  test('accepts cutover with complete evidence for every store and keeps each file with its sha256', () => {
    const loaded = load('interim-us-cutover', COMPLETE);
    const records = loaded.migrationEvidence.get('interim-us')!;
    expect(records.map((record) => [record.source, record.destination, record.verdict])).toEqual([
      [PERSONAL, 'clover-dublin-1-personal-111111111111-eu-west-1', 'complete'],
      [
        'clover-interim-us-telemetry-555555555555-us-east-1',
        'clover-dublin-1-telemetry-111111111111-eu-west-1',
        'complete',
      ],
      ['clover-interim-us-records', 'clover-dublin-1-records', 'complete'],
    ]);
    const bytes = fs.readFileSync(path.join(COMPLETE, `${PERSONAL}.json`));
    expect(records[0].sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  test('refuses evidence that verifies a store against another destination', () => {
    const dir = editedEvidence(`${PERSONAL}.json`, (evidence) => {
      evidence.destination.store = 'clover-dublin-2-personal-222222222222-eu-west-1';
    });
    try {
      expect(problemsOf(() => load('interim-us-cutover', dir))).toMatch(
        /against clover-dublin-2-personal-222222222222-eu-west-1, but that store migrates into clover-dublin-1-personal-111111111111-eu-west-1 \(enclave "dublin-1"\)/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses a file that claims complete while it counts a missing object', () => {
    const dir = editedEvidence(`${PERSONAL}.json`, (evidence) => {
      evidence.objects.missing = 1;
    });
    try {
      expect(problemsOf(() => load('interim-us-cutover', dir))).toMatch(
        /is not migration evidence: verdict is "complete" but it counts 1 missing and 0 mismatched/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the newest evidence of a store decides', () => {
    const dir = editedEvidence(`${PERSONAL}.json`, () => {});
    try {
      const older = JSON.parse(fs.readFileSync(path.join(ONE_MISSING, `${PERSONAL}.json`), 'utf8'));
      older.generatedAt = '2026-11-22T00:00:00.000Z';
      fs.writeFileSync(path.join(dir, 'older.json'), JSON.stringify(older));
      expect(load('interim-us-cutover', dir).migrationEvidence.get('interim-us')).toHaveLength(4);
      older.generatedAt = '2026-11-24T00:00:00.000Z';
      fs.writeFileSync(path.join(dir, 'older.json'), JSON.stringify(older));
      expect(problemsOf(() => load('interim-us-cutover', dir))).toMatch(/older\.json": shows bucket/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('while replicating, incomplete evidence is progress: recorded, not a failure', () => {
    const records = load('interim-us-replicating', ONE_MISSING).migrationEvidence.get('interim-us')!;
    expect(records.find((record) => record.source === PERSONAL)).toMatchObject({
      verdict: 'incomplete',
      missing: 1,
    });
  });

  test('refuses evidence that is not JSON or not evidence, and a path that does not exist', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-evidence-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.json'), '{');
      fs.writeFileSync(path.join(dir, 'b.json'), '{"tool":"other"}');
      const message = problemsOf(() => load('interim-us-cutover', dir));
      expect(message).toMatch(/-c migrationEvidence ".*a\.json": is not JSON/);
      expect(message).toMatch(
        /-c migrationEvidence ".*b\.json": is not migration evidence: tool and kind are "other"/,
      );
      expect(problemsOf(() => load('interim-us-cutover', path.join(dir, 'none')))).toMatch(
        /-c migrationEvidence ".*none": names no file or directory/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
