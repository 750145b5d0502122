import type { CloverConfig, EnclaveConfig } from './types';
import { applianceLogGroupName, flowLogGroupName, pascal, trailLogGroupName } from './naming';

/** What a shipped log group holds. */
export type LogSourceKind = 'flow' | 'appliance' | 'trail' | 'application' | 'organization-trail';

/** A log group that an enclave's shipper subscribes to, by name. */
export interface LogSource {
  /** Stable construct ID of the subscription (derived from the kind, or from the name for application logs). */
  readonly id: string;
  readonly kind: LogSourceKind;
  readonly logGroupName: string;
}

/** Where the organisation trail's log group lives, parsed from `monitoring.organizationTrailLogGroup`. */
export interface OrganizationTrailLocation {
  readonly logGroupName: string;
  /** From the ARN form only. */
  readonly account?: string;
  readonly region?: string;
}

const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const LOG_GROUP_ARN = /^arn:[a-z-]+:logs:([a-z0-9-]+):(\d{12}):log-group:([.\-_/#A-Za-z0-9]{1,512}?)(:\*)?$/;

/** True for a valid CloudWatch Logs log group name. */
export function isLogGroupName(value: string): boolean {
  return LOG_GROUP_NAME.test(value);
}

/**
 * Parses `monitoring.organizationTrailLogGroup`: a log group name, or a log group
 * ARN (`arn:<partition>:logs:<region>:<account>:log-group:<name>`) that also
 * says where it lives. Undefined when it is neither.
 */
export function parseOrganizationTrailLogGroup(value: string): OrganizationTrailLocation | undefined {
  const arn = LOG_GROUP_ARN.exec(value);
  if (arn) return { region: arn[1], account: arn[2], logGroupName: arn[3] };
  return isLogGroupName(value) ? { logGroupName: value } : undefined;
}

/**
 * The enclave whose shipper reads the organisation trail's log group, or undefined.
 *
 * A subscription filter can only invoke a function of the log group's own
 * account and Region, so exactly one enclave can read it: with the ARN form,
 * the enclave of that account and Region; with a bare name, the first enclave
 * (in config order) in the monitoring Region, in whose account the
 * organisation trail must then deliver (e.g. as CloudTrail delegated
 * administrator). The log group is always the trail's European home: global
 * IAM and Organizations events are recorded in us-east-1 and Clover never
 * forwards them from there.
 */
export function organizationTrailReader(config: CloverConfig): EnclaveConfig | undefined {
  return findOrganizationTrailReader(
    config.monitoring.organizationTrailLogGroup,
    config.enclaves,
    config.monitoring.region,
  );
}

/** {@link organizationTrailReader} over the parts of a config (also used by config validation). */
export function findOrganizationTrailReader<E extends { readonly account: string; readonly region: string }>(
  value: string | undefined,
  enclaves: readonly E[],
  monitoringRegion: string,
): E | undefined {
  if (value === undefined) return undefined;
  const location = parseOrganizationTrailLogGroup(value);
  if (!location) return undefined;
  if (location.account !== undefined) {
    return enclaves.find((e) => e.account === location.account && e.region === location.region);
  }
  return enclaves.find((e) => e.region === monitoringRegion);
}

/** Construct ID of the subscription to an application log group, derived from its name. */
export function applicationLogSourceId(logGroupName: string): string {
  return `ApplicationLogs${pascal(logGroupName)}`;
}

/**
 * Every log group an enclave's shipper subscribes to: VPC flow logs, gateway
 * appliance logs, the enclave trail, the configured application access logs,
 * and the organisation trail when this enclave is its reader.
 */
export function enclaveLogSources(enclave: EnclaveConfig, config: CloverConfig): LogSource[] {
  const sources: LogSource[] = [
    { id: 'FlowLogs', kind: 'flow', logGroupName: flowLogGroupName(enclave.name) },
    { id: 'ApplianceLogs', kind: 'appliance', logGroupName: applianceLogGroupName(enclave.name) },
    { id: 'TrailLogs', kind: 'trail', logGroupName: trailLogGroupName(enclave.name) },
  ];
  for (const name of enclave.applicationLogGroups) {
    sources.push({ id: applicationLogSourceId(name), kind: 'application', logGroupName: name });
  }
  if (organizationTrailReader(config)?.name === enclave.name) {
    const location = parseOrganizationTrailLogGroup(config.monitoring.organizationTrailLogGroup!)!;
    sources.push({
      id: 'OrganizationTrailLogs',
      kind: 'organization-trail',
      logGroupName: location.logGroupName,
    });
  }
  const seenNames = new Set<string>();
  const seenIds = new Set<string>();
  for (const source of sources) {
    if (seenNames.has(source.logGroupName)) {
      throw new Error(
        `enclave ${enclave.name}: log group ${source.logGroupName} would be subscribed twice; list each application log group once and not one of Clover's own`,
      );
    }
    if (seenIds.has(source.id)) {
      throw new Error(
        `enclave ${enclave.name}: application log group ${source.logGroupName} gives the subscription ID ${source.id} of another log group; rename one of them`,
      );
    }
    seenNames.add(source.logGroupName);
    seenIds.add(source.id);
  }
  return sources;
}
