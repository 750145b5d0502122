import { createHash } from 'crypto';
import type { Comparison, ItemState, Mismatch } from './evidence';
import type { DataFileEntry } from './bucket-copy';
import type { RecordFormat } from './records';

/**
 * DynamoDB full exports to S3 in DYNAMODB_JSON, as the DynamoDB Developer
 * Guide documents them ("DynamoDB table export output format"):
 * manifest-summary.json, manifest-files.json (JSON lines naming each
 * `dataFileS3Key`), and gzipped data files of `{"Item": {...}}` lines.
 */

/** A validated manifest-summary.json. */
export interface ExportSummary {
  readonly tableArn: string;
  /** The table name, from tableArn. */
  readonly table: string;
  readonly manifestFilesKey: string;
}

const TABLE_ARN = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)/;

/** Reads a parsed manifest-summary.json; a string says what is wrong with it and how to fix it. */
export function parseExportSummary(value: Record<string, unknown>): ExportSummary | string {
  const { tableArn, manifestFilesS3Key, outputFormat, exportType } = value;
  const table = typeof tableArn === 'string' ? TABLE_ARN.exec(tableArn)?.[1] : undefined;
  if (typeof tableArn !== 'string' || !table) {
    return `has tableArn ${JSON.stringify(tableArn ?? null)}, not a DynamoDB table ARN; it is not a DynamoDB export's manifest-summary.json`;
  }
  if (typeof manifestFilesS3Key !== 'string' || manifestFilesS3Key === '') {
    return "has no manifestFilesS3Key; it is not a DynamoDB export's manifest-summary.json";
  }
  if (outputFormat !== undefined && outputFormat !== 'DYNAMODB_JSON') {
    return `has outputFormat ${JSON.stringify(outputFormat)}; only DYNAMODB_JSON exports are read: export again with --export-format DYNAMODB_JSON`;
  }
  if (exportType !== undefined && exportType !== 'FULL_EXPORT') {
    return `has exportType ${JSON.stringify(exportType)}; only full exports list every item: export again with --export-type FULL_EXPORT`;
  }
  return { tableArn, table, manifestFilesKey: manifestFilesS3Key };
}

/** Reads one line of manifest-files.json; a string says what is wrong. */
export function parseFilesManifestLine(line: string): DataFileEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'is not a JSON object';
  }
  const entry = value as Record<string, unknown> | null;
  if (typeof entry?.dataFileS3Key !== 'string' || entry.dataFileS3Key === '') return 'has no dataFileS3Key';
  const itemCount = entry.itemCount;
  if (
    itemCount !== undefined &&
    (typeof itemCount !== 'number' || !Number.isSafeInteger(itemCount) || itemCount < 0)
  ) {
    return `has itemCount ${JSON.stringify(itemCount)}, not a count`;
  }
  return { key: entry.dataFileS3Key, itemCount };
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A DynamoDB number in one spelling: `1.50`, `+1.5` and `15e-1` are all
 * `15e-1`. DynamoDB compares numbers by value, so two exports of the same item
 * may spell them differently.
 */
export function canonicalNumber(text: string): string {
  const match = NUMBER.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return text;
  const fraction = match[3] ?? '';
  const digits = (match[2] + fraction).replace(/^0+/, '');
  if (digits === '') return '0';
  const significant = digits.replace(/0+$/, '');
  const exponent = Number(match[4] ?? 0) - fraction.length + (digits.length - significant.length);
  return `${match[1] === '-' ? '-' : ''}${significant}${exponent === 0 ? '' : `e${exponent}`}`;
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((member) => typeof member === 'string');

/** Attribute names repeat in every item: their JSON spelling is made once (up to a bound). */
const quotedNames = new Map<string, string>();
const QUOTED_NAMES_LIMIT = 10_000;

function quoted(name: string): string {
  let json = quotedNames.get(name);
  if (json === undefined) {
    json = JSON.stringify(name);
    if (quotedNames.size < QUOTED_NAMES_LIMIT) quotedNames.set(name, json);
  }
  return json;
}

/** `{"name":value,…}` with names in code unit order (the default sort) and values made by `canonical`. */
function canonicalObject(record: Record<string, unknown>, canonical: (value: unknown) => string): string {
  const names = Object.keys(record).sort();
  let json = '{';
  for (let index = 0; index < names.length; index++) {
    if (index > 0) json += ',';
    json += `${quoted(names[index])}:${canonical(record[names[index]])}`;
  }
  return `${json}}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return canonicalObject(value as Record<string, unknown>, canonicalJson);
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * One attribute value in canonical DynamoDB JSON: map attributes in name
 * order, set members sorted (sets have no order), numbers in one spelling.
 * Lists keep their order. Anything unexpected is kept as sorted-key JSON, so
 * it still takes part in the hash.
 */
export function canonicalAttributeValue(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return canonicalJson(value);
  const names = Object.keys(value);
  if (names.length !== 1) return canonicalJson(value);
  const type = names[0];
  const content = (value as Record<string, unknown>)[type];
  if (type === 'S' && typeof content === 'string') return `{"S":${JSON.stringify(content)}}`;
  if (type === 'N' && typeof content === 'string') return `{"N":${JSON.stringify(canonicalNumber(content))}}`;
  if ((type === 'SS' || type === 'BS' || type === 'NS') && isStringArray(content)) {
    const members = type === 'NS' ? content.map(canonicalNumber) : [...content];
    return `{"${type}":${JSON.stringify(members.sort())}}`;
  }
  if (type === 'M' && content !== null && typeof content === 'object' && !Array.isArray(content)) {
    return `{"M":${canonicalItem(content as Record<string, unknown>)}}`;
  }
  if (type === 'L' && Array.isArray(content))
    return `{"L":[${content.map(canonicalAttributeValue).join(',')}]}`;
  return canonicalJson(value);
}

/** A whole item (attribute name → attribute value) in canonical DynamoDB JSON. */
export function canonicalItem(item: Record<string, unknown>): string {
  return canonicalObject(item, canonicalAttributeValue);
}

/** The primary key attribute types DynamoDB allows. */
const KEY_TYPES = ['S', 'N', 'B'];

/** One item of an export, as the verifier reads it: its primary key and a hash of all of it. */
export interface ExportItem {
  /** The key attributes, in --key order, as DynamoDB JSON: `{"pk":{"S":"user#1"}}`. */
  readonly key: string;
  /** sha256 (base64) of the canonical item. */
  readonly sha256: string;
}

/** Reads one data file line `{"Item": {...}}`; a string says what is wrong. */
export function readExportItem(line: string, keyAttributes: readonly string[]): ExportItem | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'is not JSON';
  }
  const item = (value as { Item?: unknown } | null)?.Item;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return 'has no "Item" object';
  const attributes = item as Record<string, unknown>;
  const parts: string[] = [];
  for (const name of keyAttributes) {
    const attribute = attributes[name] as Record<string, unknown> | undefined;
    const type = attribute && typeof attribute === 'object' ? Object.keys(attribute) : [];
    if (type.length !== 1 || !KEY_TYPES.includes(type[0]) || typeof attribute![type[0]] !== 'string') {
      const present = Object.keys(attributes).sort().slice(0, 10).join(', ');
      return attribute === undefined
        ? `has no attribute "${name}" (it has: ${present}); --key must name the table's primary key attributes`
        : `has "${name}" of type ${type.join('/') || typeof attribute}, not S, N or B; --key must name the table's primary key attributes`;
    }
    parts.push(`${quoted(name)}:${canonicalAttributeValue(attribute)}`);
  }
  const sha256 = createHash('sha256').update(canonicalItem(attributes)).digest('base64');
  return { key: `{${parts.join(',')}}`, sha256 };
}

/** Items compared by primary key and by a hash of the whole item. */
export class ItemRecords implements RecordFormat {
  public readonly identityFields = 1;

  constructor(public readonly keyAttributes: readonly string[]) {}

  public displayKey(identity: string): string {
    return identity;
  }

  public compare(identity: string, source: string, destination: string): Mismatch | undefined {
    if (source === destination) return undefined;
    return {
      key: identity,
      reason: 'content',
      source: itemState(source),
      destination: itemState(destination),
    };
  }

  public comparison(): Comparison {
    return 'primary-key+item-sha256';
  }

  public duplicate(display: string): string {
    return (
      `has two items with the key ${display}: --key ${this.keyAttributes.join(',')} is not the table's whole ` +
      'primary key; name the partition key and, if the table has one, the sort key (--key pk,sk)'
    );
  }
}

function itemState(sha256: string): ItemState {
  return { sha256: Buffer.from(sha256, 'base64').toString('hex') };
}
