import * as path from 'path';
import { importCycles, importGraph } from '../helpers/import-graph';

const root = path.join(__dirname, '..', '..');

test('no file imports itself through other files (type-only imports count)', () => {
  expect(importCycles(importGraph(root, ['bin', 'lib', 'lambda', 'cli']))).toEqual([]);
});

test('finds a cycle through three files and a file importing itself', () => {
  const graph = new Map([
    ['cli/main.ts', ['cli/commands/index.ts']],
    ['cli/commands/index.ts', ['cli/commands/audit.ts']],
    ['cli/commands/audit.ts', ['cli/main.ts', 'cli/exit.ts']],
    ['cli/exit.ts', []],
    ['lib/self.ts', ['lib/self.ts']],
  ]);
  expect(importCycles(graph)).toEqual([
    ['cli/commands/audit.ts', 'cli/commands/index.ts', 'cli/main.ts'],
    ['lib/self.ts'],
  ]);
});

test('reads type-only imports, re-exports and import() as edges', () => {
  const graph = importGraph(root, ['cli']);
  expect(graph.get('cli/commands/migration.ts')).toEqual(
    expect.arrayContaining(['cli/exit.ts', 'lambda/migration/verification/run.ts']),
  );
  expect(graph.get('cli/main.ts')).toEqual(expect.arrayContaining(['cli/commands/index.ts', 'cli/exit.ts']));
});
