/**
 * Renders a template fragment as CloudFormation would deploy it in `partition`: `Ref AWS::Partition`
 * becomes the partition name and `Fn::Join` of strings becomes one string. Anything else stays, so a
 * test can see it was not resolved.
 */
export function renderWithPartition(value: unknown, partition: string): unknown {
  if (Array.isArray(value)) return value.map((item) => renderWithPartition(item, partition));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if (object.Ref === 'AWS::Partition' && Object.keys(object).length === 1) return partition;
  const join = object['Fn::Join'];
  if (Array.isArray(join) && Object.keys(object).length === 1) {
    const [delimiter, parts] = join as [string, unknown[]];
    const rendered = parts.map((part) => renderWithPartition(part, partition));
    if (rendered.every((part) => typeof part === 'string')) return rendered.join(delimiter);
  }
  return Object.fromEntries(
    Object.entries(object).map(([key, item]) => [key, renderWithPartition(item, partition)]),
  );
}
