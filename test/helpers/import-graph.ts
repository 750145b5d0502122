import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { cycles } from '../../lib/audit/deploy/graph';

/** Each file's relative imports (static, type-only, re-exports, import() and require()), resolved to files. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  const target = path.resolve(path.dirname(from), specifier);
  return [`${target}.ts`, path.join(target, 'index.ts')].find((candidate) => fs.existsSync(candidate));
}

/** The import graph of the TypeScript files under `directories`, paths relative to `root`. */
export function importGraph(root: string, directories: readonly string[]): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const file of directories.flatMap((directory) => sourceFiles(path.join(root, directory)))) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .filter(({ fileName }) => fileName.startsWith('.'))
      .map(({ fileName }) => resolveImport(file, fileName))
      .filter((target): target is string => target !== undefined)
      .map((target) => path.relative(root, target));
    graph.set(path.relative(root, file), [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components with more than one file (or a file importing itself): the cycles. */
export function importCycles(graph: ImportGraph): string[][] {
  const files = [...graph.keys()];
  const needs = new Map(files.map((file) => [file, new Set(graph.get(file))]));
  const selfImports = files.filter((file) => graph.get(file)!.includes(file)).map((file) => [file]);
  return [...cycles(files, needs), ...selfImports].map((component) => [...component].sort());
}
