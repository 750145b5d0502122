import * as fs from 'fs';
import * as path from 'path';
import type { RecordedAcknowledgment } from '../../lib/audit/acknowledgments';
import type { CfnTemplate } from '../../lib/audit/template';
import { asArray, isObject } from '../../lib/audit/values';
import { findRegion } from '../../lib/config/regions';
import { AuditInputError } from './errors';
import type { IncompleteNote } from '../../lib/audit/transforms';
import { readCloudAssembly } from './manifest';
import { MultiDocumentYamlError } from './yaml';
import {
  HashedFile,
  parseTemplateFile,
  ParsedFile,
  readInputFile,
  readTemplateFile,
  sha256,
  templateOf,
} from './template-file';

/** How the region of a stack was established. */
export type RegionSource = 'manifest' | 'option' | 'inferred' | 'unknown';

/** One stack to audit, from a cdk.out or a bare template. */
export interface AuditedStack {
  /** Stack name (the CloudFormation stack name, or the template's file name). */
  readonly name: string;
  /** `dublin-1/Network` for a cdk.out stack; the file path for a bare template. */
  readonly displayName: string;
  /** The input (as named on the command line) the stack came from. */
  readonly input: string;
  /** Absolute path of the template file. */
  readonly templateFile: string;
  /** Template path as shown in the report. */
  readonly templatePath: string;
  readonly format: 'json' | 'yaml';
  readonly template: CfnTemplate;
  readonly account?: string;
  readonly region?: string;
  readonly regionSource: RegionSource;
  /** Logical ID → construct path; empty for a bare template. */
  readonly paths: ReadonlyMap<string, string>;
  readonly acknowledgments: readonly RecordedAcknowledgment[];
  /** The transforms the template declares (expanded before judging, where Clover can). */
  readonly transforms: readonly string[];
  /** What the audit could not expand, so did not judge. */
  readonly incomplete: readonly IncompleteNote[];
  /** Bytes of the template file as read: the template body CloudFormation receives. */
  readonly templateBytes: number;
}

export interface AuditInput {
  /** The path as named on the command line. */
  readonly path: string;
  readonly kind: 'cloud-assembly' | 'template';
  /** Every file read (for a directory: manifests, metadata and every template file), sorted. */
  readonly files: readonly HashedFile[];
  readonly stacks: readonly AuditedStack[];
}

export interface InputOptions {
  /** Region for bare templates and environment-agnostic stacks. */
  readonly region?: string;
  /**
   * True: the stacks and their templates only, for the runtime proof's worker thread
   * (runtime-worker.ts): no file is hashed, an input's `files` lists none, and a cdk.out's metadata
   * is not read, so its stacks have no construct paths and no acknowledgments. @default false
   */
  readonly templatesOnly?: boolean;
}

const AVAILABILITY_ZONE_PATTERN = /^([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]$/;

/**
 * The region a bare template must deploy to, read from the literal
 * availability zones of its resources (`AvailabilityZone`,
 * `AvailabilityZones`): CloudFormation rejects an AZ outside the stack's
 * region, so those names pin it. Other region names (in ARNs, endpoints)
 * prove nothing about where the stack itself deploys and are not used.
 */
export function inferRegion(template: CfnTemplate): { regions: string[]; zones: string[] } {
  const zones = new Set<string>();
  for (const resource of Object.values(template.Resources)) {
    const properties = isObject(resource.Properties) ? resource.Properties : {};
    for (const value of [properties.AvailabilityZone, ...asArray(properties.AvailabilityZones)]) {
      if (typeof value === 'string' && AVAILABILITY_ZONE_PATTERN.test(value)) zones.add(value);
    }
  }
  const regions = new Set<string>();
  for (const zone of zones) {
    const region = AVAILABILITY_ZONE_PATTERN.exec(zone)![1];
    if (findRegion(region)) regions.add(region);
  }
  return { regions: [...regions].sort(), zones: [...zones].sort() };
}

function templateRegion(
  template: CfnTemplate,
  file: string,
  options: InputOptions,
): { region: string; source: RegionSource } {
  if (options.region !== undefined) return { region: options.region, source: 'option' };
  const { regions } = inferRegion(template);
  if (regions.length === 1) return { region: regions[0], source: 'inferred' };
  if (regions.length > 1) {
    throw new AuditInputError(
      `${file} places resources in availability zones of several regions (${regions.join(', ')}); pass --region`,
    );
  }
  throw new AuditInputError(
    `cannot tell which region ${file} deploys to (it names no availability zone); pass --region`,
  );
}

/** Every `*.template.json|yaml|yml` below a directory (nested stack templates included), as relative paths. */
function templateFilesBelow(directory: string, relative = ''): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(directory, relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) found.push(...templateFilesBelow(directory, child));
    else if (entry.isFile() && /\.template\.(json|ya?ml)$/.test(entry.name)) found.push(child);
  }
  return found;
}

function loadCloudAssembly(input: string, options: InputOptions): AuditInput {
  const digests = options.templatesOnly !== true;
  const assembly = readCloudAssembly(input, input, { digests, metadata: digests });
  const templateDigests = new Map<string, string>();
  const stacks = assembly.stacks.map((stack): AuditedStack => {
    const region = stack.region ?? options.region;
    const { template, format, transforms, incomplete, file, bytes } = readTemplateFile(
      stack.templateFile,
      stack.templateDisplayPath,
      true,
      { region, account: stack.account },
      digests,
    );
    templateDigests.set(path.resolve(stack.templateFile), file.sha256);
    return {
      name: stack.stackName,
      displayName: stack.displayName,
      input,
      templateFile: stack.templateFile,
      templatePath: stack.templateDisplayPath,
      format,
      template,
      account: stack.account,
      region,
      regionSource: stack.region !== undefined ? 'manifest' : region !== undefined ? 'option' : 'unknown',
      paths: stack.paths,
      acknowledgments: stack.acknowledgments,
      transforms,
      incomplete,
      templateBytes: bytes,
    };
  });
  if (!digests) return { path: input, kind: 'cloud-assembly', files: [], stacks };
  // Files already read (manifests, metadata, the stacks' templates) keep the digest of the bytes read;
  // only the other template files below the directory are read here.
  const hashed = new Map<string, HashedFile>();
  const hash = (file: string, displayPath: string, digest?: string) => {
    if (!hashed.has(displayPath)) {
      digest ??= templateDigests.get(path.resolve(file)) ?? sha256(readInputFile(file, displayPath));
      hashed.set(displayPath, { path: displayPath, sha256: digest });
    }
  };
  for (const { file, displayPath, sha256: digest } of assembly.files) hash(file, displayPath, digest);
  for (const relative of templateFilesBelow(input))
    hash(path.join(input, relative), path.join(input, relative));
  const files = [...hashed.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { path: input, kind: 'cloud-assembly', files, stacks };
}

function loadTemplate(input: string, options: InputOptions, parsed?: ParsedFile): AuditInput {
  const { template, format, file, transforms, incomplete, bytes } = templateOf(
    parsed ?? parseTemplateFile(input),
    input,
    { region: options.region },
    false,
    options.templatesOnly !== true,
  );
  const { region, source } = templateRegion(template, input, options);
  const name = path.basename(input).replace(/(\.template)?\.(json|ya?ml|template)$/i, '');
  const stack: AuditedStack = {
    name,
    displayName: input,
    input,
    templateFile: path.resolve(input),
    templatePath: input,
    format,
    template,
    region,
    regionSource: source,
    paths: new Map(),
    acknowledgments: [],
    transforms,
    incomplete,
    templateBytes: bytes,
  };
  return { path: input, kind: 'template', files: options.templatesOnly ? [] : [file], stacks: [stack] };
}

/** File names a directory scan reads as possible templates. */
const TEMPLATE_FILE = /\.(json|ya?ml|template)$/i;
/** Directories a scan never enters: dependencies and hidden folders (.git, .aws-sam build copies). */
function skippedDirectory(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/** Something one input (or one file of a directory) could not give: reported, while the rest is audited. */
export interface InputProblem {
  /** The file or directory, as the auditor would type it. */
  readonly path: string;
  readonly message: string;
}

/** Every input that could be read, and a problem for every one that could not. */
export interface ReadInputs {
  readonly inputs: AuditInput[];
  readonly problems: InputProblem[];
}

function problemOf(input: string, error: unknown): InputProblem {
  if (error instanceof AuditInputError) return { path: input, message: error.message };
  throw error;
}

/**
 * A directory that is not a cdk.out: every cloud assembly below it (a folder
 * with manifest.json) and every JSON or YAML file with a Resources map, in
 * path order. Other JSON and YAML files (package.json, configuration) are not
 * templates and are left alone; a file that cannot be read or parsed is a problem.
 */
function scanDirectory(directory: string, options: InputOptions, found: ReadInputs): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    found.problems.push({ path: directory, message: `${directory} cannot be read (${code})` });
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const child = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (skippedDirectory(entry.name)) continue;
      if (fs.existsSync(path.join(child, 'manifest.json'))) {
        try {
          found.inputs.push(loadCloudAssembly(child, options));
        } catch (error) {
          found.problems.push(problemOf(child, error));
        }
      } else scanDirectory(child, options, found);
      continue;
    }
    if (!entry.isFile() || !TEMPLATE_FILE.test(entry.name) || entry.name === 'manifest.json') continue;
    try {
      const parsed = parseTemplateFile(child);
      if (!isObject(parsed.parsed) || parsed.parsed.Resources === undefined) continue;
      found.inputs.push(loadTemplate(child, options, parsed));
    } catch (error) {
      // Several YAML documents without a Resources section (Kubernetes manifests, say) are not templates.
      if (error instanceof MultiDocumentYamlError && !/^Resources\s*:/m.test(fs.readFileSync(child, 'utf8')))
        continue;
      found.problems.push(problemOf(child, error));
    }
  }
}

function readDirectory(input: string, options: InputOptions, found: ReadInputs): void {
  if (fs.existsSync(path.join(input, 'manifest.json'))) {
    found.inputs.push(loadCloudAssembly(input, options));
    return;
  }
  const before = found.inputs.length + found.problems.length;
  scanDirectory(input, options, found);
  if (found.inputs.length + found.problems.length === before) {
    throw new AuditInputError(
      `${input} holds no CloudFormation template (no JSON or YAML file with a Resources section) and no cdk.out (manifest.json); give a cdk.out directory, a template file, or a directory of templates`,
    );
  }
}

/** Gives stacks that share a name (two `template.json` inputs) their template path as name. */
function uniqueNames(inputs: AuditInput[]): AuditInput[] {
  const counts = new Map<string, number>();
  for (const stack of inputs.flatMap((input) => input.stacks))
    counts.set(stack.name, (counts.get(stack.name) ?? 0) + 1);
  return inputs.map((input) => ({
    ...input,
    stacks: input.stacks.map((stack) =>
      (counts.get(stack.name) ?? 0) > 1 ? { ...stack, name: stack.templatePath } : stack,
    ),
  }));
}

/**
 * Reads every input: a cdk.out directory (manifest, nested Stage assemblies,
 * templates, metadata), a template file (JSON or YAML), or a directory of
 * templates (searched recursively). An input that cannot be read becomes a
 * problem naming it and the fix; the others are still read.
 */
export function readInputs(paths: readonly string[], options: InputOptions = {}): ReadInputs {
  const found: ReadInputs = { inputs: [], problems: [] };
  for (const input of paths) {
    try {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(input);
      } catch {
        throw new AuditInputError(`${input} does not exist; give a cdk.out directory or a template file`);
      }
      if (stat.isDirectory()) readDirectory(input, options, found);
      else found.inputs.push(loadTemplate(input, options));
    } catch (error) {
      found.problems.push(problemOf(input, error));
    }
  }
  return { inputs: uniqueNames(found.inputs), problems: found.problems };
}

/** Like {@link readInputs}, but the first input that cannot be read throws its AuditInputError. */
export function loadInputs(paths: readonly string[], options: InputOptions = {}): AuditInput[] {
  const { inputs, problems } = readInputs(paths, options);
  if (problems.length > 0) throw new AuditInputError(problems[0].message);
  return inputs;
}

/**
 * How many bytes of templates the inputs hold, counted up to `enough` (then
 * the count stops): the templates of a cdk.out, a template file, the files of
 * a directory readInputs would parse. From file sizes only, nothing is read;
 * what cannot be listed counts nothing (readInputs reports it).
 */
export function templateBytes(paths: readonly string[], enough = Infinity): number {
  let total = 0;
  const size = (file: string) => {
    try {
      total += fs.statSync(file).size;
    } catch {
      // Reported by readInputs.
    }
  };
  const directory = (dir: string) => {
    if (fs.existsSync(path.join(dir, 'manifest.json'))) {
      for (const relative of templateFilesBelow(dir)) {
        size(path.join(dir, relative));
        if (total >= enough) return;
      }
      return;
    }
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (total >= enough) return;
      const child = path.join(dir, entry.name);
      if (entry.isDirectory() && !skippedDirectory(entry.name)) directory(child);
      else if (entry.isFile() && TEMPLATE_FILE.test(entry.name) && entry.name !== 'manifest.json')
        size(child);
    }
  };
  for (const input of paths) {
    if (total >= enough) break;
    try {
      if (fs.statSync(input).isDirectory()) directory(input);
      else size(input);
    } catch {
      // Reported by readInputs.
    }
  }
  return total;
}
