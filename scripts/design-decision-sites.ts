// Where each design decision is marked in lib/ (`designDecision(scope, 'ID')`), for docs/acknowledgments.md.
import * as fs from 'fs';
import * as path from 'path';

function typeScriptFiles(directory: string): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => {
      const file = path.join(directory, entry.name);
      if (entry.isDirectory()) return typeScriptFiles(file);
      return entry.name.endsWith('.ts') ? [file] : [];
    })
    .sort();
}

/** Decision ID → the files under `root`/lib that mark it, relative to `root`, in path order. */
export function designDecisionSites(root: string): ReadonlyMap<string, readonly string[]> {
  const sites = new Map<string, string[]>();
  for (const file of typeScriptFiles(path.join(root, 'lib'))) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    // Calls only: not the definition, nor a mention in quotes or backticks.
    for (const call of text.matchAll(/(?<![`'"\w.])(?<!function )designDecision\(([\s\S]*?)\)\s*;/g)) {
      for (const [, id] of call[1].matchAll(/'([A-Z][A-Z0-9_]*)'/g)) {
        const files = sites.get(id) ?? [];
        if (!files.includes(relative)) files.push(relative);
        sites.set(id, files);
      }
    }
  }
  return sites;
}
