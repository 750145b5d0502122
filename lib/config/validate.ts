import type { z } from 'zod';
import { parseCidr, cidrsOverlap } from './cidr';
import { isCalendarDate, isPast } from './dates';
import { formatPath, ProblemCollector } from './errors';
import {
  allowedRegionCodes,
  DEFAULT_ALLOWED_JURISDICTIONS,
  EUROPEAN_JURISDICTIONS,
  findRegion,
  isAllowedRegion,
  isEuropean,
  RegionInfo,
} from './regions';
import { RawConfig, rawConfigSchema, RawEnclave } from './schema';
import { IDENTITY_SOURCES, INTERIM_PHASES } from './types';
import type {
  CloverConfig,
  EnclaveConfig,
  GatewayConfig,
  IdentitySource,
  InterimConfig,
  InterimPhase,
  OrganizationConfig,
  PseudonymisationRule,
} from './types';
import {
  applicationLogSourceId,
  findOrganizationTrailReader,
  isLogGroupName,
  parseOrganizationTrailLogGroup,
} from './log-sources';
import {
  ACCOUNT_ID_PATTERN,
  applianceLogGroupName,
  DATA_CLASS_PATTERN,
  dataBucketNameProblem,
  flowLogGroupName,
  trailLogGroupName,
} from './naming';
import { validatePipeline } from './pipeline';
import {
  BUILT_IN_PATTERNS,
  customPatternProblem,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_PSEUDONYMISATION_RULES,
  MAX_REQUEST_BYTES_RANGE,
} from './shipper-contract';
import {
  AL2023,
  DEFAULT_APPLIANCE_INSTANCE_TYPE,
  DEFAULT_INSPECTION_CIDR,
  enclaveNetworkPropsProblems,
  instanceArchitecture,
  securityGatewayPropsProblems,
  underPath,
} from './network-props';

export const DEFAULT_AZ_COUNT = 3;
export { DEFAULT_INSPECTION_CIDR };
export { DEFAULT_APPLIANCE_INSTANCE_TYPE, instanceArchitecture };
export const DEFAULT_DATA_CLASSES = ['personal', 'telemetry'] as const;
export const DEFAULT_BLOCKED_JURISDICTIONS = ['CN', 'RU', 'KP', 'IR'] as const;

/** Role of the independent provider that may assume the monitoring auditor role when the config names none. */
export const DEFAULT_AUDITOR_ROLE = 'clover-independent-auditor';
export const DEFAULT_PSEUDONYMISATION: readonly PseudonymisationRule[] = DEFAULT_PSEUDONYMISATION_RULES;
/** Subnet tiers per AZ: workload, GWLB endpoint, and public (NAT) when egress is on. */
const SUBNET_TIERS = 3;

const NAME_PATTERN = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
/** An ISO 3166-1 alpha-2 country code or a Clover jurisdiction (`EU`, `EEA`). */
const JURISDICTION_CODE_PATTERN = /^[A-Z]{2,3}$/;
/** Organisation root (`r-…`), OU (`ou-…-…`) or account ID. */
const ORGANIZATION_TARGET_PATTERN = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|\d{12})$/;
/** An OU or the root: where a service-managed StackSet deploys. */
const ORGANIZATION_UNIT_PATTERN = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})$/;
/** An AWS Organizations organisation ID. */
const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

export interface ValidateOptions {
  /** Date (`YYYY-MM-DD`) for every date check. */
  readonly today: string;
  /** Where the config came from, for the error heading. */
  readonly source: string;
}

/**
 * Validates a parsed config and applies defaults. Collects every problem and
 * throws one {@link ConfigError} listing them all.
 */
export function validateConfig(input: unknown, options: ValidateOptions): CloverConfig {
  const problems = new ProblemCollector();
  const parsed = rawConfigSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reportSchemaIssue(problems, issue, input);
    problems.throwIfAny(options.source);
  }
  const raw = parsed.data as RawConfig;
  const config = new SemanticValidator(raw, options, problems).run();
  problems.throwIfAny(options.source);
  return config;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function reportSchemaIssue(problems: ProblemCollector, issue: z.core.$ZodIssue, input: unknown): void {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) {
      const keyPath = path ? `${path}.${key}` : key;
      problems.add(
        keyPath,
        valueAt(input, [...issue.path, key]),
        'is not a Clover config key',
        'remove it or correct its spelling (docs/config.md lists every key)',
      );
    }
    return;
  }
  if (issue.code === 'invalid_type') {
    const value = valueAt(input, issue.path);
    problems.add(
      path,
      value,
      value === undefined ? `is required (${issue.expected})` : `must be ${issue.expected}`,
      value === undefined ? `add ${path || 'the field'}` : `give ${path} as ${issue.expected}`,
    );
    return;
  }
  problems.add(path, valueAt(input, issue.path), issue.message, 'see docs/config.md');
}

class SemanticValidator {
  private readonly allowJurisdictions: readonly string[];
  private readonly dataClasses: readonly string[];

  constructor(
    private readonly raw: RawConfig,
    private readonly options: ValidateOptions,
    private readonly problems: ProblemCollector,
  ) {
    this.allowJurisdictions = raw.residency?.allowJurisdictions ?? DEFAULT_ALLOWED_JURISDICTIONS;
    this.dataClasses = raw.dataClasses ?? DEFAULT_DATA_CLASSES;
  }

  public run(): CloverConfig {
    this.checkResidency();
    this.checkDataClasses();
    const enclaves = this.raw.enclaves.map((enclave, index) => this.enclave(enclave, index));
    this.checkEnclaveSet(enclaves);
    const monitoringRegion = this.checkMonitoring();
    this.checkInterimIsolation(enclaves);
    this.checkPartitions(enclaves, monitoringRegion);
    this.checkLogSources(enclaves);
    this.checkReplication(enclaves);
    this.checkAccess();
    this.checkGuardrails(enclaves);
    this.checkShipper();
    this.checkRules();
    return this.build(enclaves);
  }

  private allowedRegionsText(): string {
    return allowedRegionCodes(this.allowJurisdictions).join(', ');
  }

  private checkResidency(): void {
    const allow = this.raw.residency?.allowJurisdictions;
    allow?.forEach((jurisdiction, index) => {
      if (!(EUROPEAN_JURISDICTIONS as readonly string[]).includes(jurisdiction)) {
        this.problems.add(
          `residency.allowJurisdictions[${index}]`,
          jurisdiction,
          'is not a European jurisdiction Clover can allow',
          `use any of: ${EUROPEAN_JURISDICTIONS.join(', ')}`,
        );
      }
    });
    if (allow && allow.length === 0) {
      this.problems.add('residency.allowJurisdictions', allow, 'allows no jurisdiction', "use ['EU', 'EEA']");
    }
    const blocked = this.raw.residency?.blockedJurisdictions ?? DEFAULT_BLOCKED_JURISDICTIONS;
    blocked.forEach((jurisdiction, index) => {
      if (!JURISDICTION_CODE_PATTERN.test(jurisdiction)) {
        this.problems.add(
          `residency.blockedJurisdictions[${index}]`,
          jurisdiction,
          'is not a jurisdiction code; employee sessions carry ISO country codes or EU/EEA in clover:employee-jurisdiction',
          'write an upper-case ISO 3166-1 alpha-2 code such as "CN"',
        );
      } else if (this.allowJurisdictions.includes(jurisdiction)) {
        this.problems.add(
          `residency.blockedJurisdictions[${index}]`,
          jurisdiction,
          'is also in residency.allowJurisdictions; a jurisdiction cannot be both allowed and blocked',
          `remove "${jurisdiction}" from one of the two lists`,
        );
      }
    });
  }

  private checkRules(): void {
    this.raw.rules?.forEach((module, index) => {
      if (module.trim() === '') {
        this.problems.add(
          `rules[${index}]`,
          module,
          'names no rule module',
          'give the path of a module that exports CloverRule objects (docs/extending.md), or remove the entry',
        );
      }
    });
  }

  private checkDataClasses(): void {
    const classes = this.raw.dataClasses;
    if (!classes) return;
    if (classes.length === 0) {
      this.problems.add(
        'dataClasses',
        classes,
        'lists no data class',
        `list at least one, e.g. ${JSON.stringify(DEFAULT_DATA_CLASSES)}`,
      );
    }
    classes.forEach((dataClass, index) => {
      if (!DATA_CLASS_PATTERN.test(dataClass)) {
        this.problems.add(
          `dataClasses[${index}]`,
          dataClass,
          'is not a valid data class name; it becomes part of bucket names and KMS aliases',
          'use 2-20 lower-case letters, digits and dashes, starting with a letter',
        );
      }
      if (classes.indexOf(dataClass) !== index) {
        this.problems.add(`dataClasses[${index}]`, dataClass, 'is listed twice', 'list each data class once');
      }
    });
  }

  private checkRegion(path: string, code: string): RegionInfo | undefined {
    const region = findRegion(code);
    if (!region) {
      this.problems.add(
        path,
        code,
        'is not a known AWS region',
        `choose one of: ${this.allowedRegionsText()} (lib/config/regions.ts lists every region)`,
      );
    }
    return region;
  }

  private checkAccount(path: string, account: string): void {
    if (!ACCOUNT_ID_PATTERN.test(account)) {
      this.problems.add(
        path,
        account,
        'is not a 12-digit AWS account ID',
        'write the account ID as a string of 12 digits',
      );
    }
  }

  private enclave(raw: RawEnclave, index: number): EnclaveConfig {
    const at = `enclaves[${index}]`;
    if (!NAME_PATTERN.test(raw.name)) {
      this.problems.add(
        `${at}.name`,
        raw.name,
        'is not a valid enclave name',
        'use 2-32 lower-case letters, digits and dashes, starting with a letter',
      );
    }
    this.checkAccount(`${at}.account`, raw.account);
    const region = this.checkRegion(`${at}.region`, raw.region);
    if (region && !this.allowJurisdictions.includes(region.jurisdiction)) {
      if (!raw.interim) {
        this.problems.add(
          `${at}.region`,
          raw.region,
          `is ${isEuropean(region) ? `in ${region.jurisdiction}, which residency.allowJurisdictions does not allow` : `outside Europe (${region.city}, ${region.country})`}`,
          `choose one of: ${this.allowedRegionsText()}; or, for a temporary enclave, set ${at}.interim.sunset and ${at}.interim.migrateTo`,
        );
      }
    }
    const interim = raw.interim ? this.interim(at, raw) : undefined;

    const azs = this.azs(at, raw, region);
    this.problems.addAll(
      underPath(
        at,
        enclaveNetworkPropsProblems({ cidr: raw.cidr, tierCount: SUBNET_TIERS, azCount: azs.length }),
      ),
    );
    const gateway = this.gateway(at, raw, azs.length);
    const dataClasses = raw.dataClasses ?? this.dataClasses;
    const classes: readonly string[] = dataClasses;
    dataClasses.forEach((dataClass, classIndex) => {
      if (!this.dataClasses.includes(dataClass)) {
        this.problems.add(
          `${at}.dataClasses[${classIndex}]`,
          dataClass,
          'is not a known data class',
          `use one of: ${this.dataClasses.join(', ')}, or add it to the top-level dataClasses`,
        );
      } else if (classes.indexOf(dataClass) !== classIndex) {
        this.problems.add(
          `${at}.dataClasses[${classIndex}]`,
          dataClass,
          'is listed twice',
          'list each data class once',
        );
      } else if (ACCOUNT_ID_PATTERN.test(raw.account) && findRegion(raw.region)) {
        const problem = dataBucketNameProblem(raw.name, dataClass, raw.account, raw.region);
        if (problem) {
          this.problems.add(
            `${at}.dataClasses[${classIndex}]`,
            dataClass,
            `with enclave "${raw.name}" ${problem}`,
            'shorten the enclave name or the data class name',
          );
        }
      }
    });
    if (raw.egress === false) {
      this.problems.add(
        `${at}.egress`,
        false,
        'leaves the enclave no way out, but its log shipper runs in the enclave VPC and reaches the independent monitor (monitoring.ingestUrl) through the security gateway and the NAT gateway',
        'remove "egress": false (workload traffic still passes the gateway; restrict what workloads may reach in the appliances or their security groups)',
      );
    }
    return {
      name: raw.name,
      account: raw.account,
      region: raw.region,
      cidr: raw.cidr,
      azs,
      interim,
      dataClassification: raw.dataClassification ?? 'restricted',
      egress: raw.egress ?? true,
      ipv6: raw.ipv6 ?? false,
      gateway,
      dataClasses,
      applicationLogGroups: raw.applicationLogGroups ?? [],
      production: raw.production ?? false,
    };
  }

  /** The interim section with its defaults: sunset, phase and the history of passed phases. */
  private interim(at: string, raw: RawEnclave): InterimConfig {
    const { sunset, migrateTo } = raw.interim!;
    const today = this.options.today;
    const phase = (raw.interim!.phase ?? 'hosting') as InterimPhase;
    const position = INTERIM_PHASES.indexOf(phase);
    if (position < 0) {
      this.problems.add(
        `${at}.interim.phase`,
        phase,
        'is not an interim phase',
        `use one of, in lifecycle order: ${INTERIM_PHASES.join(', ')}`,
      );
    }
    if (!isCalendarDate(sunset)) {
      this.problems.add(`${at}.interim.sunset`, sunset, 'is not a date', 'write it as YYYY-MM-DD');
    } else if (isPast(sunset, today)) {
      this.problems.add(
        `${at}.interim.sunset`,
        sunset,
        `has passed (today is ${today}); the interim enclave "${raw.name}" must be gone`,
        phase === 'decommissioned'
          ? `remove enclave "${raw.name}" from the config once its stores are empty, or agree a new sunset`
          : `migrate its data into "${migrateTo}" and remove the enclave, or agree a new sunset`,
      );
    }
    const history = raw.interim!.history ?? [];
    let previous: { phase: number; date?: string } = { phase: -1 };
    history.forEach((entry, index) => {
      const path = `${at}.interim.history[${index}]`;
      const passed = INTERIM_PHASES.indexOf(entry.phase as InterimPhase);
      if (passed < 0) {
        this.problems.add(
          `${path}.phase`,
          entry.phase,
          'is not an interim phase',
          `use one of: ${INTERIM_PHASES.join(', ')}`,
        );
      } else if (position >= 0 && passed >= position) {
        this.problems.add(
          `${path}.phase`,
          entry.phase,
          `is not a phase before the current phase "${phase}"; history lists only the phases already passed`,
          `list only phases before "${phase}" (${INTERIM_PHASES.slice(0, position).join(', ') || 'none'}), or set interim.phase to the phase the enclave is in`,
        );
      } else if (passed <= previous.phase) {
        this.problems.add(
          `${path}.phase`,
          entry.phase,
          `comes after "${INTERIM_PHASES[previous.phase]}" in the history, but the lifecycle runs ${INTERIM_PHASES.join(' → ')} and never goes back`,
          'list each passed phase once, in lifecycle order',
        );
      }
      if (!isCalendarDate(entry.date)) {
        this.problems.add(`${path}.date`, entry.date, 'is not a date', 'write it as YYYY-MM-DD');
      } else if (isPast(today, entry.date)) {
        this.problems.add(
          `${path}.date`,
          entry.date,
          `is in the future (today is ${today}); history records phases already passed`,
          'give the day the enclave left that phase',
        );
      } else if (previous.date !== undefined && entry.date < previous.date) {
        this.problems.add(
          `${path}.date`,
          entry.date,
          `is before the date of the phase passed earlier (${previous.date})`,
          'give the dates in lifecycle order',
        );
      }
      previous = {
        phase: passed < 0 ? previous.phase : Math.max(previous.phase, passed),
        date: isCalendarDate(entry.date) ? entry.date : previous.date,
      };
    });
    return {
      sunset,
      migrateTo,
      phase,
      history: history.map((entry) => ({ phase: entry.phase as InterimPhase, date: entry.date })),
    };
  }

  private azs(at: string, raw: RawEnclave, region: RegionInfo | undefined): string[] {
    const known = region?.azs ?? [];
    if (raw.azs) {
      if (raw.azs.length === 0) {
        this.problems.add(
          `${at}.azs`,
          raw.azs,
          'lists no availability zone',
          'list at least one AZ, or leave azs out',
        );
      }
      const seen = new Set<string>();
      raw.azs.forEach((az, azIndex) => {
        if (seen.has(az)) {
          this.problems.add(`${at}.azs[${azIndex}]`, az, 'is listed twice', 'list each AZ once');
        }
        seen.add(az);
        if (region && !az.startsWith(region.code)) {
          this.problems.add(
            `${at}.azs[${azIndex}]`,
            az,
            `does not belong to region ${region.code}`,
            `use AZs of ${region.code}${known.length ? ` (${known.join(', ')})` : ''}`,
          );
        } else if (region && known.length > 0 && !known.includes(az)) {
          this.problems.add(
            `${at}.azs[${azIndex}]`,
            az,
            `is not an AZ of ${region.code}`,
            `use one of: ${known.join(', ')}`,
          );
        }
      });
      return raw.azs;
    }
    const count = raw.azCount ?? DEFAULT_AZ_COUNT;
    if (region && known.length === 0) {
      this.problems.add(
        `${at}.azs`,
        undefined,
        `is required: the region catalogue lists no AZ names for ${region.code}`,
        `list the AZ names, e.g. ["${region.code}a", "${region.code}b"]`,
      );
      return [];
    }
    if (region && count > known.length) {
      this.problems.add(
        `${at}.azCount`,
        count,
        `is more than the ${known.length} AZs the region catalogue lists for ${region.code}`,
        `use at most ${known.length}`,
      );
    }
    return known.slice(0, count);
  }

  private gateway(at: string, raw: RawEnclave, azCount: number): GatewayConfig {
    const gw = raw.gateway ?? {};
    const inspectionCidr = gw.inspectionCidr ?? DEFAULT_INSPECTION_CIDR;
    const instanceType = gw.applianceInstanceType ?? DEFAULT_APPLIANCE_INSTANCE_TYPE;
    const ami = gw.applianceAmi ?? { image: AL2023 };
    this.problems.addAll(
      underPath(
        `${at}.gateway`,
        securityGatewayPropsProblems({
          applianceInstanceType: instanceType,
          applianceAmi: ami,
          inspectionCidr,
          enclaveCidr: raw.cidr,
          azCount,
          minInstances: gw.minInstances,
          maxInstances: gw.maxInstances,
        }),
      ),
    );
    return {
      inspectionCidr,
      applianceInstanceType: instanceType,
      applianceAmi: ami,
      minInstances: gw.minInstances,
      maxInstances: gw.maxInstances,
    };
  }

  private checkEnclaveSet(enclaves: readonly EnclaveConfig[]): void {
    if (enclaves.length === 0) {
      this.problems.add('enclaves', [], 'lists no enclave', 'add at least one enclave');
    }
    const firstIndex = new Map<string, number>();
    enclaves.forEach((enclave, index) => {
      const earlier = firstIndex.get(enclave.name);
      if (earlier !== undefined) {
        this.problems.add(
          `enclaves[${index}].name`,
          enclave.name,
          `duplicates enclaves[${earlier}].name`,
          'give every enclave a unique name',
        );
      } else {
        firstIndex.set(enclave.name, index);
      }
    });
    enclaves.forEach((enclave, index) => {
      const cidr = parseCidr(enclave.cidr);
      if (!cidr) return;
      for (let other = 0; other < index; other++) {
        const otherCidr = parseCidr(enclaves[other].cidr);
        if (otherCidr && cidrsOverlap(cidr, otherCidr)) {
          this.problems.add(
            `enclaves[${index}].cidr`,
            enclave.cidr,
            `overlaps enclaves[${other}].cidr ${enclaves[other].cidr}`,
            'give every enclave its own, non-overlapping block',
          );
        }
      }
    });
    enclaves.forEach((enclave, index) => {
      if (!enclave.interim) return;
      const target = enclave.interim.migrateTo;
      const targetIndex = firstIndex.get(target);
      const at = `enclaves[${index}].interim.migrateTo`;
      if (targetIndex === undefined) {
        this.problems.add(
          at,
          target,
          'names no enclave in this config',
          `use the name of a European enclave: ${this.europeanEnclaveNames(enclaves)}`,
        );
        return;
      }
      const destination = enclaves[targetIndex];
      if (destination.interim || !isAllowedRegion(destination.region, this.allowJurisdictions)) {
        this.problems.add(
          at,
          target,
          `names enclave "${target}" in ${destination.region}, which is not a permanent enclave in the allowed jurisdictions`,
          `migrate into one of: ${this.europeanEnclaveNames(enclaves)}`,
        );
        return;
      }
      const missing = enclave.dataClasses.filter((dataClass) => !destination.dataClasses.includes(dataClass));
      if (missing.length > 0) {
        this.problems.add(
          at,
          target,
          `holds no bucket for data class${missing.length === 1 ? '' : 'es'} ${missing.join(', ')} of interim enclave "${enclave.name}"; its data would have nowhere to go`,
          `add ${missing.join(', ')} to enclaves[${targetIndex}].dataClasses, or migrate into an enclave that holds ${missing.length === 1 ? 'it' : 'them'}`,
        );
      }
    });
  }

  /**
   * An interim enclave's principals must never reach European data: its account holds no other
   * enclave, is not the monitoring account and is not one of the independent provider's accounts.
   */
  private checkInterimIsolation(enclaves: readonly EnclaveConfig[]): void {
    const monitoring = this.raw.monitoring;
    const providers = monitoring.providerAccounts ?? [monitoring.account];
    enclaves.forEach((enclave, index) => {
      if (!enclave.interim) return;
      const at = `enclaves[${index}].account`;
      const fix = `give interim enclave "${enclave.name}" an account of its own`;
      enclaves.forEach((other, otherIndex) => {
        if (otherIndex === index || other.account !== enclave.account) return;
        this.problems.add(
          at,
          enclave.account,
          `is also the account of enclave "${other.name}" (enclaves[${otherIndex}]); every principal of interim enclave "${enclave.name}" could reach its stores, and data never flows from a European enclave into an interim one`,
          fix,
        );
      });
      if (monitoring.account === enclave.account) {
        this.problems.add(
          at,
          enclave.account,
          'is also monitoring.account; the interim enclave could read the evidence archive of the European enclaves',
          fix,
        );
      }
      if (providers.includes(enclave.account)) {
        this.problems.add(
          'monitoring.providerAccounts',
          providers,
          `includes ${enclave.account}, the account of interim enclave "${enclave.name}"; its principals could assume the monitoring auditor role and read the evidence archive`,
          `remove ${enclave.account} from monitoring.providerAccounts`,
        );
      }
    });
  }

  private europeanEnclaveNames(enclaves: readonly EnclaveConfig[]): string {
    const names = enclaves
      .filter((e) => !e.interim && isAllowedRegion(e.region, this.allowJurisdictions))
      .map((e) => e.name);
    return names.length ? names.join(', ') : '(none: add a European enclave first)';
  }

  private checkMonitoring(): RegionInfo | undefined {
    const monitoring = this.raw.monitoring;
    this.checkAccount('monitoring.account', monitoring.account);
    const region = this.checkRegion('monitoring.region', monitoring.region);
    if (region && !this.allowJurisdictions.includes(region.jurisdiction)) {
      this.problems.add(
        'monitoring.region',
        monitoring.region,
        'is outside the allowed jurisdictions; the monitoring plane holds evidence about European users',
        `choose one of: ${this.allowedRegionsText()}`,
      );
    }
    checkHttpsUrl(this.problems, 'monitoring.ingestUrl', monitoring.ingestUrl);
    if (monitoring.alertUrl !== undefined)
      checkHttpsUrl(this.problems, 'monitoring.alertUrl', monitoring.alertUrl);
    const providers = monitoring.providerAccounts ?? [monitoring.account];
    monitoring.auditorPrincipals?.forEach((arn, index) => {
      const match = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/.+$/.exec(arn);
      if (!match) {
        this.problems.add(
          `monitoring.auditorPrincipals[${index}]`,
          arn,
          'is not an IAM role or user ARN',
          'write it as arn:aws:iam::<account>:role/<name>',
        );
      } else if (!providers.includes(match[1])) {
        this.problems.add(
          `monitoring.auditorPrincipals[${index}]`,
          arn,
          `is not in a provider account (${providers.join(', ')})`,
          'name a principal of monitoring.providerAccounts, or add its account there',
        );
      }
    });
    monitoring.providerAccounts?.forEach((account, index) =>
      this.checkAccount(`monitoring.providerAccounts[${index}]`, account),
    );
    return region;
  }

  /** Application log groups and the organisation trail's log group: names the shipper can subscribe to, once. */
  private checkLogSources(enclaves: readonly EnclaveConfig[]): void {
    enclaves.forEach((enclave, index) => {
      const own = [
        flowLogGroupName(enclave.name),
        applianceLogGroupName(enclave.name),
        trailLogGroupName(enclave.name),
      ];
      const ids = new Map<string, string>();
      enclave.applicationLogGroups.forEach((name, position) => {
        const at = `enclaves[${index}].applicationLogGroups[${position}]`;
        const id = applicationLogSourceId(name);
        if (!isLogGroupName(name)) {
          this.problems.add(
            at,
            name,
            'is not a CloudWatch Logs log group name',
            'use 1 to 512 characters from a-z, A-Z, 0-9 and . - _ / #',
          );
        } else if (own.includes(name)) {
          this.problems.add(
            at,
            name,
            'is one of the log groups Clover already ships for this enclave',
            'remove it from applicationLogGroups',
          );
        } else if (ids.has(id)) {
          const earlier = ids.get(id)!;
          this.problems.add(
            at,
            name,
            earlier === name ? 'is listed twice' : `gives the same subscription ID (${id}) as "${earlier}"`,
            earlier === name ? 'list each log group once' : 'rename one of the two log groups',
          );
        }
        ids.set(id, ids.get(id) ?? name);
      });
    });
    const value = this.raw.monitoring.organizationTrailLogGroup;
    if (value === undefined) return;
    const at = 'monitoring.organizationTrailLogGroup';
    const location = parseOrganizationTrailLogGroup(value);
    if (!location) {
      this.problems.add(
        at,
        value,
        'is neither a log group name nor a log group ARN',
        'give the name, or arn:<partition>:logs:<region>:<account>:log-group:<name>',
      );
    } else if (location.region !== undefined && !isAllowedRegion(location.region, this.allowJurisdictions)) {
      this.problems.add(
        at,
        value,
        `is in ${location.region}, outside the allowed jurisdictions; organisation-wide IAM and Organizations events arrive in us-east-1 only, and Clover never forwards them through a non-European region`,
        `name the organisation trail's log group in its European home region (one of: ${this.allowedRegionsText()})`,
      );
    } else if (!findOrganizationTrailReader(value, enclaves, this.raw.monitoring.region)) {
      this.problems.add(
        at,
        value,
        location.account !== undefined
          ? `is in account ${location.account} and region ${location.region}, where no enclave lives; a subscription filter can only invoke a shipper in the log group's own account and region`
          : `is a bare name, read by the first enclave in monitoring.region ${this.raw.monitoring.region}, but no enclave is there`,
        "deliver the organisation trail to a log group in an enclave's account and region (for example as CloudTrail delegated administrator) and give its ARN",
      );
    }
  }

  private checkPartitions(
    enclaves: readonly EnclaveConfig[],
    monitoringRegion: RegionInfo | undefined,
  ): void {
    if (!monitoringRegion) return;
    enclaves.forEach((enclave, index) => {
      const region = findRegion(enclave.region);
      if (region && region.partition !== monitoringRegion.partition) {
        this.problems.add(
          `enclaves[${index}].region`,
          enclave.region,
          `is in partition ${region.partition} but monitoring.region ${monitoringRegion.code} is in ${monitoringRegion.partition}; IAM cannot grant across partitions`,
          `put the monitoring plane in the ${region.partition} partition, or the enclave in ${monitoringRegion.partition}`,
        );
      }
    });
  }

  private checkReplication(enclaves: readonly EnclaveConfig[]): void {
    const byName = new Map(enclaves.map((e) => [e.name, e]));
    (this.raw.replication ?? []).forEach((pair, index) => {
      const at = `replication[${index}]`;
      for (const side of ['from', 'to'] as const) {
        const enclave = byName.get(pair[side]);
        if (!enclave) {
          this.problems.add(
            `${at}.${side}`,
            pair[side],
            'names no enclave in this config',
            `use one of: ${[...byName.keys()].join(', ')}`,
          );
        } else if (enclave.interim) {
          const position = enclaves.indexOf(enclave);
          this.problems.add(
            `${at}.${side}`,
            pair[side],
            side === 'to'
              ? `is interim enclave "${enclave.name}" in ${enclave.region}; data never flows from a European enclave into an interim one`
              : `is interim enclave "${enclave.name}", which sends data only into its migrateTo enclave "${enclave.interim.migrateTo}", through the one-way migration that interim.phase "replicating" sets up`,
            side === 'to'
              ? `remove ${at}; replicate only between permanent enclaves in: ${this.allowedRegionsText()}`
              : `remove ${at} and set enclaves[${position}].interim.phase to "replicating"`,
          );
        } else if (!isAllowedRegion(enclave.region, this.allowJurisdictions)) {
          this.problems.add(
            `${at}.${side}`,
            pair[side],
            `is enclave "${enclave.name}" in ${enclave.region}, outside the allowed jurisdictions; replicas must stay in Europe`,
            `replicate only between enclaves in: ${this.allowedRegionsText()}`,
          );
        } else if (!enclave.dataClasses.includes(pair.dataClass)) {
          this.problems.add(
            `${at}.dataClass`,
            pair.dataClass,
            `is not a data class of enclave "${enclave.name}"`,
            `use one of: ${enclave.dataClasses.join(', ')}`,
          );
        }
      }
      if (pair.from === pair.to) {
        this.problems.add(
          `${at}.to`,
          pair.to,
          'is the same enclave as from',
          'replicate to a different enclave',
        );
      }
      const first = (this.raw.replication ?? []).findIndex(
        (other) => other.from === pair.from && other.to === pair.to && other.dataClass === pair.dataClass,
      );
      if (first !== index) {
        this.problems.add(at, pair, `duplicates replication[${first}]`, 'list each replication pair once');
      }
    });
  }

  private checkAccess(): void {
    const source = this.raw.access?.identitySource;
    if (source !== undefined && !(IDENTITY_SOURCES as readonly string[]).includes(source)) {
      this.problems.add(
        'access.identitySource',
        source,
        'is not an identity source',
        `use one of: ${IDENTITY_SOURCES.join(', ')}`,
      );
    }
    const expires = this.raw.access?.breakGlass?.expires;
    if (expires === undefined) return;
    if (!isCalendarDate(expires)) {
      this.problems.add('access.breakGlass.expires', expires, 'is not a date', 'write it as YYYY-MM-DD');
    } else if (isPast(expires, this.options.today)) {
      this.problems.add(
        'access.breakGlass.expires',
        expires,
        `has passed (today is ${this.options.today})`,
        'remove access.breakGlass to keep break-glass disabled, or set a new expiry date',
      );
    }
  }

  private checkGuardrails(enclaves: readonly EnclaveConfig[]): void {
    const guardrails = this.raw.guardrails;
    if (!guardrails) return;
    this.checkOrganization(enclaves);
    this.checkAccount('guardrails.managementAccount', guardrails.managementAccount);
    guardrails.targetIds?.forEach((target, index) => {
      if (!ORGANIZATION_TARGET_PATTERN.test(target)) {
        this.problems.add(
          `guardrails.targetIds[${index}]`,
          target,
          'is not an organisation root, OU or account ID',
          'use a root ID ("r-ab12"), an OU ID ("ou-ab12-cdef3456") or a 12-digit account ID',
        );
      }
    });
    if (guardrails.region !== undefined) {
      const region = this.checkRegion('guardrails.region', guardrails.region);
      if (region && !this.allowJurisdictions.includes(region.jurisdiction)) {
        this.problems.add(
          'guardrails.region',
          guardrails.region,
          'is outside the allowed jurisdictions',
          `choose one of: ${this.allowedRegionsText()}`,
        );
      }
    }
  }

  /**
   * `guardrails.organization`: an organisation ID, OUs that hold the enclave accounts, and at least one
   * enclave the organisation's StackSet can reach (its partition, the allowed jurisdictions).
   */
  private checkOrganization(enclaves: readonly EnclaveConfig[]): void {
    const guardrails = this.raw.guardrails!;
    const raw = guardrails.organization;
    if (raw === undefined) return;
    const at = 'guardrails.organization';
    const id = typeof raw === 'string' ? raw : raw.id;
    const idPath = typeof raw === 'string' ? at : `${at}.id`;
    if (!ORGANIZATION_ID_PATTERN.test(id)) {
      this.problems.add(
        idPath,
        id,
        'is not an AWS Organizations organisation ID',
        'write it as "o-" and 10 to 32 lower-case letters or digits, e.g. "o-a1b2c3d4e5" (aws organizations describe-organization)',
      );
    }
    const given = typeof raw === 'string' ? undefined : raw.enclaveOus;
    given?.forEach((ou, index) => {
      if (!ORGANIZATION_UNIT_PATTERN.test(ou)) {
        this.problems.add(
          `${at}.enclaveOus[${index}]`,
          ou,
          'is not an OU or root ID; a service-managed StackSet deploys to OUs, not to accounts',
          'use an OU ID ("ou-ab12-cdef3456") or the root ID ("r-ab12")',
        );
      }
    });
    if (given !== undefined && given.length === 0) {
      this.problems.add(
        `${at}.enclaveOus`,
        given,
        'lists no OU',
        'list the OUs that hold the enclave accounts, or leave enclaveOus out to use the OUs of guardrails.targetIds',
      );
    } else if (given === undefined && organizationUnits(guardrails.targetIds ?? []).length === 0) {
      this.problems.add(
        `${at}.enclaveOus`,
        undefined,
        'is required: guardrails.targetIds names no OU or root to take the enclave OUs from',
        `write ${at} as {"id": "${id}", "enclaveOus": ["ou-ab12-cdef3456"]} with the OUs that hold the enclave accounts`,
      );
    }
    const home = findRegion(guardrails.region ?? this.raw.monitoring.region);
    if (!home) return;
    const reachable = enclaves.filter(
      (enclave) =>
        findRegion(enclave.region)?.partition === home.partition &&
        !enclave.interim &&
        isAllowedRegion(enclave.region, this.allowJurisdictions),
    );
    if (reachable.length === 0) {
      const partitions = [...new Set(enclaves.map((enclave) => findRegion(enclave.region)?.partition))];
      this.problems.add(
        guardrails.region !== undefined ? 'guardrails.region' : at,
        guardrails.region ?? id,
        `puts the organisation in partition ${home.partition}, where no permanent enclave in the allowed jurisdictions lives (enclaves: ${partitions.join(', ')}); a StackSet cannot deploy across partitions`,
        `set guardrails.region to a region of the enclaves' partition (${allowedRegionCodes(
          this.allowJurisdictions,
        )
          .filter((code) => partitions.includes(findRegion(code)?.partition))
          .join(', ')})`,
      );
    }
  }

  private checkShipper(): void {
    const shipper = this.raw.shipper ?? {};
    const bounds: Array<[keyof typeof shipper, number, number]> = [
      ['memoryMb', 128, 10240],
      ['timeoutSeconds', 10, 900],
      ['reservedConcurrency', 1, 1000],
      ['maxRequestBytes', ...MAX_REQUEST_BYTES_RANGE],
    ];
    for (const [key, min, max] of bounds) {
      const value = shipper[key] as number | undefined;
      if (value !== undefined && (value < min || value > max)) {
        this.problems.add(
          `shipper.${key}`,
          value,
          `is outside ${min}..${max}`,
          `choose a value from ${min} to ${max}`,
        );
      }
    }
    (shipper.pseudonymisation ?? []).forEach((rule, index) => {
      if (rule.kind !== 'pattern' || (BUILT_IN_PATTERNS as readonly string[]).includes(rule.match)) return;
      const problem = customPatternProblem(rule.match);
      if (problem) {
        this.problems.add(
          `shipper.pseudonymisation[${index}].match`,
          rule.match,
          problem,
          `use ${BUILT_IN_PATTERNS.join(', ')}, or a JavaScript regular expression that matches at least one character`,
        );
      }
    });
  }

  private build(enclaves: EnclaveConfig[]): CloverConfig {
    const raw = this.raw;
    const monitoringRegion = findRegion(raw.monitoring.region);
    return {
      enclaves,
      monitoring: {
        account: raw.monitoring.account,
        region: raw.monitoring.region,
        ingestUrl: raw.monitoring.ingestUrl,
        alertUrl: raw.monitoring.alertUrl,
        archiveRetentionDays: raw.monitoring.archiveRetentionDays ?? 365,
        providerAccounts: raw.monitoring.providerAccounts ?? [raw.monitoring.account],
        auditorPrincipals:
          raw.monitoring.auditorPrincipals ??
          (raw.monitoring.providerAccounts ?? [raw.monitoring.account]).map(
            (account) => `arn:aws:iam::${account}:role/${DEFAULT_AUDITOR_ROLE}`,
          ),
        organizationTrailLogGroup: raw.monitoring.organizationTrailLogGroup,
      },
      residency: {
        allowJurisdictions: this.allowJurisdictions,
        blockedJurisdictions: raw.residency?.blockedJurisdictions ?? DEFAULT_BLOCKED_JURISDICTIONS,
      },
      dataClasses: this.dataClasses,
      replication: raw.replication ?? [],
      rules: raw.rules ?? [],
      access: {
        breakGlass: raw.access?.breakGlass,
        identitySource: (raw.access?.identitySource ?? 'iam') as IdentitySource,
        auditorRawLogs: raw.access?.auditorRawLogs ?? false,
      },
      guardrails: raw.guardrails
        ? {
            managementAccount: raw.guardrails.managementAccount,
            region: raw.guardrails.region ?? monitoringRegion?.code ?? raw.monitoring.region,
            targetIds: raw.guardrails.targetIds ?? [],
            organization: organizationOf(raw.guardrails.organization, raw.guardrails.targetIds ?? []),
          }
        : undefined,
      shipper: {
        memoryMb: raw.shipper?.memoryMb ?? 1024,
        timeoutSeconds: raw.shipper?.timeoutSeconds ?? 120,
        reservedConcurrency: raw.shipper?.reservedConcurrency,
        maxRequestBytes: raw.shipper?.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
        pseudonymisation: raw.shipper?.pseudonymisation ?? DEFAULT_PSEUDONYMISATION,
      },
      pipeline: raw.pipeline
        ? validatePipeline(
            raw.pipeline,
            {
              allowJurisdictions: this.allowJurisdictions,
              partition: monitoringRegion?.partition,
              accounts: [
                ...enclaves.map((enclave, index) => ({
                  account: enclave.account,
                  path: `enclaves[${index}].account`,
                })),
                { account: raw.monitoring.account, path: 'monitoring.account' },
              ],
            },
            this.problems,
          )
        : undefined,
    };
  }
}

/** The root and OU IDs among organisation targets (a StackSet deploys to those, not to accounts). */
function organizationUnits(targets: readonly string[]): string[] {
  return targets.filter((target) => ORGANIZATION_UNIT_PATTERN.test(target));
}

/** `guardrails.organization` with its defaults: a bare ID takes its enclave OUs from the targets. */
function organizationOf(
  raw: NonNullable<RawConfig['guardrails']>['organization'],
  targetIds: readonly string[],
): OrganizationConfig | undefined {
  if (raw === undefined) return undefined;
  const spelled = typeof raw === 'string' ? { id: raw } : raw;
  return {
    id: spelled.id,
    enclaveOus: spelled.enclaveOus ?? organizationUnits(targetIds),
    configRecorder: spelled.configRecorder ?? true,
  };
}

function checkHttpsUrl(problems: ProblemCollector, path: string, value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:') {
    problems.add(
      path,
      value,
      'is not an https:// URL',
      'use an https:// URL; Clover never sends monitoring data in clear text',
    );
  }
}
