/**
 * Bad input to `clover migration verify` (a manifest of the wrong kind, a
 * missing or truncated data file, a bad --key, …). The command turns it into
 * one line on stderr and exit 2.
 */
export class MigrationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationInputError';
  }
}
