import { Document, LineCounter, Pair, parseDocument, Scalar, YAMLMap, type Tags } from 'yaml';
import { AuditInputError } from './errors';

/**
 * CloudFormation's short-form intrinsic tags and the long form each one stands for.
 * `!Ref` and `!Condition` keep their key; every other tag becomes `Fn::<Name>`.
 */
const SHORT_FORMS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  ImportValue: 'Fn::ImportValue',
  GetAZs: 'Fn::GetAZs',
  Transform: 'Fn::Transform',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
  Contains: 'Fn::Contains',
  EachMemberEquals: 'Fn::EachMemberEquals',
  EachMemberIn: 'Fn::EachMemberIn',
  RefAll: 'Fn::RefAll',
  ValueOf: 'Fn::ValueOf',
  ValueOfAll: 'Fn::ValueOfAll',
};

/** A YAML file of several documents (`---`): CloudFormation reads one template per file. */
export class MultiDocumentYamlError extends AuditInputError {
  constructor(message: string) {
    super(message);
    this.name = 'MultiDocumentYamlError';
  }
}

/** The short-form tags this parser knows, for error messages. */
export const KNOWN_TAGS = Object.keys(SHORT_FORMS).map((name) => `!${name}`);

/** `{ <key>: <node> }` as a YAML node, so nested tags and aliases convert normally. */
function wrap(key: string, node: unknown): YAMLMap {
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar(key), node));
  return map;
}

function cloudFormationTags(): Tags {
  const tags: Tags = [];
  for (const [name, key] of Object.entries(SHORT_FORMS)) {
    const tag = `!${name}`;
    tags.push({
      tag,
      // A scalar resolves to a plain value; collections stay nodes (below) so nested tags and aliases convert.
      resolve: (value: string) => {
        // `!GetAtt Resource.Attribute`: the attribute may itself contain dots (Endpoint.Address).
        if (name === 'GetAtt') {
          const dot = value.indexOf('.');
          return { [key]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
        }
        return { [key]: value };
      },
    });
    tags.push({ tag, collection: 'seq', resolve: (node) => wrap(key, node) });
    tags.push({ tag, collection: 'map', resolve: (node) => wrap(key, node) });
  }
  return tags;
}

const TAGS = cloudFormationTags();

/** The first line of a `yaml` error message: `Unresolved tag: !Foo at line 4, column 4`. */
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/:\s*$/, '');
}

/**
 * Parses a CloudFormation YAML template: short-form tags become their long
 * form, and YAML 1.2 core rules apply, so `Version: 2012-10-17` stays the
 * string CloudFormation reads (no timestamp type). An unknown tag or a
 * syntax error throws an AuditInputError naming the file and line.
 */
export function parseCloudFormationYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const document: Document.Parsed = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    customTags: TAGS,
    uniqueKeys: true,
    prettyErrors: true,
    lineCounter,
  });
  const [error] = document.errors;
  if (error?.code === 'MULTIPLE_DOCS') {
    const line = error.linePos?.[0].line;
    throw new MultiDocumentYamlError(
      `${file} holds more than one YAML document (a second one starts with --- at line ${line ?? '?'}); CloudFormation reads one template per file: put each document in a file of its own, or delete the ---`,
    );
  }
  if (error) throw new AuditInputError(`${file} is not valid YAML: ${firstLine(error.message)}`);
  const unknownTag = document.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag) {
    throw new AuditInputError(
      `${file}: ${firstLine(unknownTag.message).replace('Unresolved tag', 'unknown tag')}; CloudFormation short forms are ${KNOWN_TAGS.join(', ')}`,
    );
  }
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = (error as Error).message;
    // The yaml package refuses aliases that would expand without bound (a "billion laughs" document).
    if (/excessive alias count/i.test(message)) {
      throw new AuditInputError(
        `${file}: its YAML aliases (*name) expand to more than ${MAX_ALIAS_COUNT.toLocaleString('en')} copies of anchored values, so it cannot be read safely; fix: write the repeated values out instead of nesting aliases`,
      );
    }
    if (/alias/i.test(message)) {
      throw new AuditInputError(
        `${file}: a YAML alias cannot be resolved (${firstLine(message)}); fix: define the anchor (&name) before every alias (*name) to it`,
      );
    }
    throw error;
  }
}

/** How many alias expansions a template may make (the yaml package's guard against alias bombs). */
const MAX_ALIAS_COUNT = 10_000;
