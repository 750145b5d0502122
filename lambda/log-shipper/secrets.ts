/** Fetches a secret's string value by id or ARN. */
export type SecretFetcher = (secretId: string) => Promise<string>;

/** Five minutes: a rotated token or key is picked up without a fetch on every invocation. */
export const DEFAULT_SECRET_TTL_MS = 5 * 60 * 1000;

/**
 * Caches secrets for the life of a Lambda container (up to `ttlMs`). A failed
 * fetch is not cached, so the next invocation tries again.
 */
export class SecretCache {
  private readonly entries = new Map<string, { value: Promise<string>; expires: number }>();

  constructor(
    private readonly fetch: SecretFetcher,
    private readonly ttlMs = DEFAULT_SECRET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get(secretId: string): Promise<string> {
    const cached = this.entries.get(secretId);
    if (cached && cached.expires > this.now()) {
      return cached.value;
    }
    const value = this.fetch(secretId);
    this.entries.set(secretId, { value, expires: this.now() + this.ttlMs });
    value.catch(() => this.entries.delete(secretId));
    return value;
  }
}
