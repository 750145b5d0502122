import { MigrationInputError } from '../../lambda/migration/verification/errors';

/** The choices of `clover migration verify`'s options; dependency-free, so registering the command stays cheap. */
export const VERIFY_FORMATS = ['text', 'json'] as const;
export type VerifyFormat = (typeof VERIFY_FORMATS)[number];

/** The options of `clover migration verify` as commander hands them over. */
export interface RawVerifyOptions {
  readonly source: string;
  readonly destination: string;
  readonly key?: string;
  readonly versions?: boolean;
  readonly format?: string;
  readonly out?: string;
}

/** A DynamoDB primary key has a partition key and at most one sort key. */
const MAX_KEY_ATTRIBUTES = 2;

/** `--key pk,sk` → `['pk', 'sk']`, or a MigrationInputError naming the value and the fix. */
export function parseKeyAttributes(value: string): string[] {
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) {
    throw new MigrationInputError(
      `--key "${value}" has an empty attribute name; give the partition key and, if the table has one, the sort key: --key pk,sk`,
    );
  }
  if (names.length > MAX_KEY_ATTRIBUTES) {
    throw new MigrationInputError(
      `--key "${value}" names ${names.length} attributes; a DynamoDB primary key has one or two (partition key, sort key)`,
    );
  }
  if (new Set(names).size !== names.length) {
    throw new MigrationInputError(
      `--key "${value}" names "${names[0]}" twice; give the partition key, then the sort key`,
    );
  }
  return names;
}

export function parseFormat(value: string | undefined): VerifyFormat {
  const format = value ?? 'text';
  if ((VERIFY_FORMATS as readonly string[]).includes(format)) return format as VerifyFormat;
  throw new MigrationInputError(`--format "${format}" is not one of: ${VERIFY_FORMATS.join(', ')}`);
}
