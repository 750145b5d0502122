/** One-line descriptions of the reviewed tables' entries, for rule coverage metadata and docs/coverage.md. */
import type { StoreSpec } from './at-rest';
import type { TransitSetting } from './in-transit';
import type { ExposureSetting } from './exposure';
import type { RegionTarget } from './cross-region';

function within(at: string | undefined, property: string): string {
  return at ? `${at}.${property}` : property;
}

/** `EncryptionAtRestOptions.KmsKeyId (EncryptionAtRestOptions.Enabled must be true)`. */
export function describeStoreSpec(spec: StoreSpec): string {
  if (spec.delegatedTo)
    return `${spec.delegatedTo.property} (names the ${spec.delegatedTo.type} that encrypts ${spec.what ?? 'the data'})`;
  const parts: string[] = [];
  if (spec.key) parts.push(within(spec.at, spec.key));
  if (spec.flag)
    parts.push(
      `${within(spec.at, spec.flag)} must be true${spec.flagDefault ? ' (default true)' : ' (default false)'}`,
    );
  if (spec.mode) parts.push(`${within(spec.at, spec.mode.property)} ∈ {${spec.mode.kms.join(', ')}}`);
  if (!spec.key && !spec.flag) parts.push(`no encryption setting: ${spec.what ?? 'stores data in clear'}`);
  const when = [
    spec.onlyWhen && `when ${within(spec.at, spec.onlyWhen)} is true`,
    spec.whereRoot && `when ${spec.whereRoot.property} is ${spec.whereRoot.equals}`,
  ]
    .filter(Boolean)
    .join(', ');
  const what = spec.what && (spec.key || spec.flag) ? ` (${spec.what})` : '';
  const otherwise = spec.key
    ? `; otherwise ${spec.withoutKey}`
    : spec.flag
      ? ' (the service offers no customer-managed key)'
      : '';
  return `${parts.join('; ')}${what}${when ? ` ${when}` : ''}${otherwise}`;
}

export function describeStoreSpecs(specs: readonly StoreSpec[]): string {
  return specs.map(describeStoreSpec).join(' · ');
}

/** `EncryptionInfo.EncryptionInTransit.ClientBroker ∉ {plaintext, tls_plaintext} (default tls)`. */
export function describeTransitSettings(settings: readonly TransitSetting[]): string {
  return settings
    .map(
      (setting) =>
        `${within(setting.at, setting.property)} ∉ {${setting.plaintext.join(', ')}}${setting.default !== undefined ? ` (default ${setting.default})` : ''}${setting.onlyWhen ? ` when ${setting.onlyWhen.property} is a database engine` : ''}`,
    )
    .join(' · ');
}

export function describeExposureSettings(settings: readonly ExposureSetting[]): string {
  return settings
    .map(
      (setting) =>
        `${setting.property} ∉ {${setting.exposed.join(', ')}}${setting.default !== undefined ? ` (default ${setting.default})` : ''}`,
    )
    .join(' · ');
}

export function describeRegionTargets(targets: readonly RegionTarget[]): string {
  return targets
    .map((target) => `${target.path} (${target.kind === 'arn' ? 'region of the ARN' : 'region'})`)
    .join(' · ');
}
