/**
 * Rewrites the literal partition names that CDK itself renders (service
 * principals such as `lambda.amazonaws.com`, and any whole-string `arn:aws:`
 * ARN) into partition-aware intrinsics, so a template deploys unchanged in
 * `aws`, `aws-eusc` or any other partition. In the `aws` partition the
 * intrinsics resolve to exactly the literal they replace.
 */

const SERVICE_HOST = /^([a-z0-9][a-z0-9.-]*)\.amazonaws\.com$/;
const ARN_PREFIX = 'arn:aws:';

/** The partition-aware form of one string, or the string itself when it names no partition. */
export function partitionAwareString(text: string): unknown {
  const service = SERVICE_HOST.exec(text);
  if (service) return { 'Fn::Join': ['', [`${service[1]}.`, { Ref: 'AWS::URLSuffix' }]] };
  if (text.startsWith(ARN_PREFIX))
    return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${text.slice(ARN_PREFIX.length)}`]] };
  return text;
}

/**
 * Returns a copy of a template fragment with every whole-string partition
 * literal rewritten. Keys are kept; `Fn::Sub` templates and `Metadata` are
 * left alone (they are not deployed values).
 */
export function partitionAware(value: unknown, key?: string): unknown {
  if (key === 'Metadata' || key === 'Fn::Sub') return value;
  if (typeof value === 'string') return partitionAwareString(value);
  if (Array.isArray(value)) return value.map((item) => partitionAware(item));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [childKey, child] of Object.entries(value)) out[childKey] = partitionAware(child, childKey);
    return out;
  }
  return value;
}
