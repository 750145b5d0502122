/**
 * Bad input to `clover audit` (missing path, unreadable or malformed template,
 * unknown region, …). The command turns it into one line on stderr and exit 2.
 */
export class AuditInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditInputError';
  }
}
