/**
 * Loads rules of your own (docs/extending.md) from modules: the same
 * `CloverRule` objects for the app's CloverChecks (config `rules`, context
 * `-c rules=`) and for `clover audit --rules`. A module exports one rule, a
 * list of rules, or several rules by name; TypeScript modules are compiled as
 * they load (with esbuild or ts-node, where either is installed).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloverRule, userRuleProblems } from '../audit/rule';
import { ALL_RULES } from './rules';

/** A rule module that cannot be found, loaded, or does not export valid rules: the message names it and the fix. */
export class RuleModuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleModuleError';
  }
}

const TYPESCRIPT = /\.[cm]?tsx?$/;

/** Where a rule module is: a path (relative to `base`), or a package name resolved from `base`. */
function resolveModule(specifier: string, base: string): string {
  const candidate = path.resolve(base, specifier);
  if (fs.existsSync(candidate)) {
    if (!fs.statSync(candidate).isDirectory()) return candidate;
    for (const index of ['index.js', 'index.cjs', 'index.ts'])
      if (fs.existsSync(path.join(candidate, index))) return path.join(candidate, index);
    throw new RuleModuleError(
      `rule module ${specifier} is a directory without index.js or index.ts; name the rule file`,
    );
  }
  try {
    return require.resolve(specifier, { paths: [base] });
  } catch {
    throw new RuleModuleError(
      `rule module ${specifier} does not exist (looked for ${candidate}, and for a package of that name from ${base}); give the path of a .js or .ts file that exports CloverRule objects`,
    );
  }
}

/** Lets Node load TypeScript rule files: esbuild or ts-node from the rule's project, or from Clover's own. */
function registerTypeScript(file: string): void {
  if (require.extensions['.ts']) return;
  const search = [path.dirname(file), process.cwd(), __dirname];
  const find = (name: string) => {
    try {
      return require.resolve(name, { paths: search });
    } catch {
      return undefined;
    }
  };
  const esbuild = find('esbuild');
  if (esbuild) {
    const { transformSync } = require(esbuild) as typeof import('esbuild');
    require.extensions['.ts'] = (module, filename) => {
      const source = fs.readFileSync(filename, 'utf8');
      const { code } = transformSync(source, {
        loader: 'ts',
        format: 'cjs',
        target: 'node20',
        sourcefile: filename,
      });
      (module as NodeJS.Module & { _compile(code: string, filename: string): void })._compile(code, filename);
    };
    return;
  }
  const tsNode = find('ts-node');
  if (tsNode) {
    (require(tsNode) as { register(options: object): void }).register({ transpileOnly: true });
    return;
  }
  throw new RuleModuleError(
    `rule module ${file} is TypeScript, and neither esbuild nor ts-node is installed to compile it; compile it to JavaScript (npx tsc), or npm i -D esbuild in its project`,
  );
}

/** The rules a module exports: `module.exports = rule`, a default export, named exports, or lists of rules. */
function exportedRules(exported: unknown): unknown[] {
  const looksLikeRule = (value: unknown) =>
    typeof value === 'object' && value !== null && 'evaluate' in value && 'id' in value;
  const expand = (value: unknown): unknown[] =>
    Array.isArray(value) ? value.filter(looksLikeRule) : looksLikeRule(value) ? [value] : [];
  if (looksLikeRule(exported) || Array.isArray(exported)) return expand(exported);
  if (typeof exported !== 'object' || exported === null) return [];
  return [...new Set(Object.values(exported).flatMap(expand))];
}

function loadModule(specifier: string, base: string): { file: string; rules: unknown[] } {
  const file = resolveModule(specifier, base);
  if (TYPESCRIPT.test(file)) registerTypeScript(file);
  let exported: unknown;
  try {
    exported = require(file);
  } catch (error) {
    if (error instanceof RuleModuleError) throw error;
    const reason = ((error as Error).message ?? String(error)).split('\n')[0];
    throw new RuleModuleError(
      `rule module ${specifier} failed to load: ${reason}; fix the module and run again`,
    );
  }
  return { file, rules: exportedRules(exported) };
}

/** A rule module as named (a path or a package), and the directory a relative path starts from. */
export interface RuleModuleName {
  readonly module: string;
  readonly base: string;
}

/**
 * The rules of every module named, checked: each must be a valid CloverRule
 * with an ID of its own (not `CLV-`, not another rule's). A module named
 * twice (by the config and by `-c rules`) loads once. Every problem of every
 * module is collected and thrown once as a RuleModuleError.
 */
export function loadUserRules(
  modules: ReadonlyArray<string | RuleModuleName>,
  base = process.cwd(),
): CloverRule[] {
  const problems: string[] = [];
  const rules: CloverRule[] = [];
  const ids = new Map<string, string>(ALL_RULES.map((rule) => [rule.id, 'CloverChecks']));
  const files = new Set<string>();
  for (const entry of modules) {
    const { module: specifier, base: from } = typeof entry === 'string' ? { module: entry, base } : entry;
    let loaded: { file: string; rules: unknown[] };
    try {
      loaded = loadModule(specifier, from);
    } catch (error) {
      if (!(error instanceof RuleModuleError)) throw error;
      problems.push(error.message);
      continue;
    }
    if (files.has(loaded.file)) continue;
    files.add(loaded.file);
    if (loaded.rules.length === 0) {
      problems.push(
        `rule module ${specifier} exports no rule; export a CloverRule (an object with id, family, severity, info, explanation, fix and evaluate), or a list of them`,
      );
    }
    for (const candidate of loaded.rules) {
      const id = String((candidate as { id?: unknown }).id);
      const found = userRuleProblems(candidate);
      if (found.length > 0) {
        problems.push(...found.map((problem) => `rule ${id} of ${specifier}: ${problem}`));
        continue;
      }
      const owner = ids.get(id);
      if (owner && owner !== specifier) {
        problems.push(
          `rule ${id} of ${specifier}: ${owner} already has a rule with this ID; give each rule an ID of its own`,
        );
        continue;
      }
      if (!owner) rules.push(candidate as CloverRule);
      ids.set(id, specifier);
    }
  }
  if (problems.length > 0) {
    throw new RuleModuleError(
      problems.length === 1
        ? problems[0]
        : `${problems.length} problems with rule modules:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
  return rules;
}
