import * as fs from 'fs';
import * as path from 'path';
import { ACKNOWLEDGMENT_METADATA_TYPE, RecordedAcknowledgment } from '../../lib/audit/acknowledgments';
import { isObject } from '../../lib/audit/values';
import { isCalendarDate } from '../../lib/config/dates';
import { AuditInputError } from './errors';
import { readInputFile, sha256 } from './template-file';

/** Manifest artifact types that `clover audit` reads; everything else is ignored. */
export const STACK_ARTIFACT = 'aws:cloudformation:stack';
export const NESTED_ASSEMBLY_ARTIFACT = 'cdk:cloud-assembly';
/** Metadata entry type mapping a construct path to its CloudFormation logical ID. */
export const LOGICAL_ID_METADATA_TYPE = 'aws:cdk:logicalId';

/** CDK's placeholders for an environment-agnostic stack. */
const UNKNOWN_ACCOUNT = 'unknown-account';
const UNKNOWN_REGION = 'unknown-region';

interface MetadataEntry {
  readonly type?: string;
  readonly data?: unknown;
}

type MetadataByPath = Record<string, MetadataEntry[]>;

/** One stack artifact of a cloud assembly (possibly inside a Stage's nested assembly). */
export interface AssemblyStack {
  readonly artifactId: string;
  readonly stackName: string;
  /** `dublin-1/Network`: the construct path CDK shows. */
  readonly displayName: string;
  /** Absolute path of the template file. */
  readonly templateFile: string;
  /** Template path as shown in the report (under the input directory as given). */
  readonly templateDisplayPath: string;
  readonly account?: string;
  /** Undefined for an environment-agnostic stack. */
  readonly region?: string;
  /** Logical ID → construct path (without the leading slash). */
  readonly paths: ReadonlyMap<string, string>;
  readonly acknowledgments: readonly RecordedAcknowledgment[];
  /** Display name of the Stage (nested assembly) holding it; undefined at the top level. */
  readonly stage?: string;
  /** Artifact IDs of the stacks it depends on (within its assembly). */
  readonly dependencies: readonly string[];
  /** The bootstrap stack version its deployment needs, when the manifest says. */
  readonly requiresBootstrapStackVersion?: number;
}

export interface CloudAssembly {
  readonly stacks: readonly AssemblyStack[];
  /** Every manifest and metadata file read, absolute, with its display path. */
  readonly files: readonly AssemblyFile[];
}

/** A manifest or metadata file read, with the digest of the bytes read (so the report need not read it again). */
export interface AssemblyFile {
  readonly file: string;
  readonly displayPath: string;
  readonly sha256: string;
}

/** The files read so far, whether to take their digests, and whether to read the stacks' metadata. */
interface Reading {
  readonly files: AssemblyFile[];
  readonly digests: boolean;
  readonly metadata: boolean;
}

/** A directory's real path (links resolved), or the path itself when it cannot be resolved. */
function realDirectory(directory: string): string {
  try {
    return fs.realpathSync(directory);
  } catch {
    return path.resolve(directory);
  }
}

/** Reads and parses a JSON file, listing it (with its digest, or '' without digests) in the reading's files. */
function readJsonFile(file: string, displayPath: string, reading: Reading): unknown {
  const content = readInputFile(file, displayPath);
  reading.files.push({ file, displayPath, sha256: reading.digests ? sha256(content) : '' });
  const text = content.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AuditInputError(`${displayPath} is not valid JSON: ${(error as Error).message}`);
  }
}

/** `aws://111111111111/eu-west-1` → account and region; CDK's `unknown-*` placeholders become undefined. */
export function parseEnvironment(environment: unknown): { account?: string; region?: string } {
  const match = typeof environment === 'string' ? /^aws:\/\/([^/]*)\/([^/]*)$/.exec(environment) : null;
  if (!match) return {};
  return {
    account: match[1] === UNKNOWN_ACCOUNT || match[1] === '' ? undefined : match[1],
    region: match[2] === UNKNOWN_REGION || match[2] === '' ? undefined : match[2],
  };
}

function stripSlash(constructPath: string): string {
  return constructPath.replace(/^\/+/, '');
}

function readMetadata(
  artifact: Record<string, unknown>,
  directory: string,
  displayDirectory: string,
  reading: Reading,
): MetadataByPath {
  const merged: MetadataByPath = {};
  if (!reading.metadata) return merged;
  const add = (source: unknown) => {
    if (!isObject(source)) return;
    for (const [constructPath, entries] of Object.entries(source)) {
      if (Array.isArray(entries)) merged[constructPath] = [...(merged[constructPath] ?? []), ...entries];
    }
  };
  add(artifact.metadata);
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = path.join(directory, artifact.additionalMetadataFile);
    const displayPath = path.join(displayDirectory, artifact.additionalMetadataFile);
    add(readJsonFile(file, displayPath, reading));
  }
  return merged;
}

function acknowledgmentOf(
  entry: MetadataEntry,
  constructPath: string,
  source: string,
): RecordedAcknowledgment {
  const data = isObject(entry.data) ? entry.data : {};
  const { rule, reason, expires, decision } = data;
  const at = stripSlash(constructPath);
  if (typeof rule === 'string' && typeof reason === 'string') {
    // A design decision names its register entry and never expires; an acknowledgment has a last day.
    if (typeof decision === 'string' && expires === undefined) return { rule, reason, decision, path: at };
    if (decision === undefined && isCalendarDate(expires)) return { rule, reason, expires, path: at };
  }
  throw new AuditInputError(
    `${source}: malformed Clover acknowledgment at ${constructPath} (${JSON.stringify(entry.data)}); it needs rule, reason and either expires (YYYY-MM-DD) or, for a design decision, decision`,
  );
}

function readAssembly(
  directory: string,
  displayDirectory: string,
  stacks: AssemblyStack[],
  reading: Reading,
  stage?: string,
  /** The assemblies being read around this one, to refuse a nested assembly that loops back. */
  enclosing: ReadonlyArray<{ readonly real: string; readonly display: string }> = [],
): void {
  const manifestFile = path.join(directory, 'manifest.json');
  const manifestDisplay = path.join(displayDirectory, 'manifest.json');
  const real = realDirectory(directory);
  const loop = enclosing.find((outer) => outer.real === real);
  if (loop) {
    throw new AuditInputError(
      `${displayDirectory}: a nested assembly (cdk:cloud-assembly artifact) is the directory ${loop.display} that holds it, so reading it would never end; fix: give each nested assembly a directory of its own (cdk synth writes assembly-<Stage>)`,
    );
  }
  if (!fs.existsSync(manifestFile)) {
    throw new AuditInputError(
      `${displayDirectory} has no manifest.json, so it is not a cdk.out directory; run cdk synth, or give a template file`,
    );
  }
  const manifest = readJsonFile(manifestFile, manifestDisplay, reading);
  const artifacts = isObject(manifest) && isObject(manifest.artifacts) ? manifest.artifacts : {};
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (!isObject(artifact)) continue;
    const properties = isObject(artifact.properties) ? artifact.properties : {};
    if (artifact.type === NESTED_ASSEMBLY_ARTIFACT && typeof properties.directoryName === 'string') {
      readAssembly(
        path.join(directory, properties.directoryName),
        path.join(displayDirectory, properties.directoryName),
        stacks,
        reading,
        typeof properties.displayName === 'string' ? properties.displayName : artifactId,
        [...enclosing, { real, display: displayDirectory }],
      );
      continue;
    }
    if (artifact.type !== STACK_ARTIFACT) continue;
    if (typeof properties.templateFile !== 'string') {
      throw new AuditInputError(`${manifestDisplay}: stack artifact ${artifactId} names no templateFile`);
    }
    const templateFile = path.join(directory, properties.templateFile);
    const templateDisplayPath = path.join(displayDirectory, properties.templateFile);
    if (!fs.existsSync(templateFile)) {
      throw new AuditInputError(
        `${manifestDisplay}: stack ${artifactId} names template ${templateDisplayPath}, which does not exist; synthesize again`,
      );
    }
    const metadata = readMetadata(artifact, directory, displayDirectory, reading);
    const paths = new Map<string, string>();
    const acknowledgments: RecordedAcknowledgment[] = [];
    for (const [constructPath, entries] of Object.entries(metadata)) {
      for (const entry of entries) {
        if (entry.type === LOGICAL_ID_METADATA_TYPE && typeof entry.data === 'string') {
          paths.set(entry.data, stripSlash(constructPath));
        } else if (entry.type === ACKNOWLEDGMENT_METADATA_TYPE) {
          acknowledgments.push(acknowledgmentOf(entry, constructPath, manifestDisplay));
        }
      }
    }
    stacks.push({
      artifactId,
      stackName: typeof properties.stackName === 'string' ? properties.stackName : artifactId,
      displayName: typeof artifact.displayName === 'string' ? artifact.displayName : artifactId,
      templateFile,
      templateDisplayPath,
      ...parseEnvironment(artifact.environment),
      paths,
      acknowledgments,
      stage,
      dependencies: Array.isArray(artifact.dependencies)
        ? artifact.dependencies.filter((id): id is string => typeof id === 'string')
        : [],
      requiresBootstrapStackVersion:
        typeof properties.requiresBootstrapStackVersion === 'number'
          ? properties.requiresBootstrapStackVersion
          : undefined,
    });
  }
}

/**
 * Reads a cdk.out directory: its manifest, the nested assemblies of Stages,
 * and for every stack its template file, environment, logical-ID → construct
 * path map and Clover acknowledgments. `displayDirectory` is the directory as
 * the auditor named it.
 */
export function readCloudAssembly(
  directory: string,
  displayDirectory = directory,
  {
    digests = true,
    metadata = true,
  }: {
    /** False: files are listed with '' for their digest, unhashed. */
    readonly digests?: boolean;
    /** False: the stacks' metadata is not read (no construct paths, no acknowledgments). */
    readonly metadata?: boolean;
  } = {},
): CloudAssembly {
  const stacks: AssemblyStack[] = [];
  const files: AssemblyFile[] = [];
  readAssembly(directory, displayDirectory, stacks, { files, digests, metadata });
  if (stacks.length === 0) {
    throw new AuditInputError(
      `${displayDirectory} contains no CloudFormation stack; synthesize the app first (cdk synth)`,
    );
  }
  return { stacks, files };
}
