/**
 * Log coverage of a stack's template: log groups (retention, KMS key), which
 * subscription filters ship them and to which function, each shipper's
 * failure handling (`OnFailure` destination, dead-letter queue), VPC flow
 * logs and trails. Shared by the CLV-LOG rules and the `clover audit`
 * report's log-coverage section. Pure; results are cached per index.
 */
import { applianceLogGroupName, flowLogGroupName, trailLogGroupName } from '../config/naming';
import { linkedResource } from './links';
import { analyseRoutes, VpcRole } from './routes';
import type { IndexedResource, PeerStacks, TemplateIndex } from './template';
import { getPath, isObject, isTrue, literalString, referencedLogicalId } from './values';

/** Why a log group counts as an enclave log group (one whose flows the independent monitor must see). */
export type EnclaveLogReason =
  'flow-log destination' | 'trail destination' | 'gateway appliance log' | 'Clover enclave log name';

export interface LogGroupCoverage {
  /** Logical ID of the `AWS::Logs::LogGroup`, or undefined for a log group named by a subscription only. */
  readonly logicalId?: string;
  /** Literal `LogGroupName`, when the template gives one. */
  readonly name?: string;
  /** `RetentionInDays` as written, undefined when absent (kept forever). */
  readonly retentionDays?: unknown;
  /** `KmsKeyId` as written, undefined when absent (CloudWatch Logs' own encryption). */
  readonly kmsKey?: unknown;
  /** Why it is an enclave log group; empty when it is not one. */
  readonly enclaveReasons: readonly EnclaveLogReason[];
  /** Subscription filters of this template on this log group. */
  readonly subscriptions: readonly SubscriptionCoverage[];
  /**
   * True when the template is a Clover enclave stack without a shipper and the log group carries
   * one of the enclave's fixed names: the enclave's Logging stack subscribes to it by name, and
   * CLV-LOG-2 checks that there (on the shipper).
   */
  readonly subscribedByName: boolean;
}

export interface SubscriptionCoverage {
  readonly logicalId: string;
  /** Logical ID of the log group resource, when in this template. */
  readonly logGroupId?: string;
  /** Literal log group name, when written as one. */
  readonly logGroupName?: string;
  /** Logical ID of the destination function, when in this template. */
  readonly functionId?: string;
  /** The destination as written, when it is not a function of this template. */
  readonly destination?: string;
  /** True when the destination is a Lambda function (in the template or by ARN). */
  readonly toFunction: boolean;
  /** `stack/logicalId` of the destination function, when another audited stack defines it. */
  readonly peerFunction?: string;
  /** The destination as written, when no audited template defines it (it cannot be verified). */
  readonly external?: string;
}

export interface ShipperCoverage {
  /** Logical ID of the `AWS::Lambda::Function` that is a subscription destination. */
  readonly logicalId: string;
  readonly functionName?: string;
  /** `OnFailure` destination of its `AWS::Lambda::EventInvokeConfig`, described. */
  readonly onFailure?: string;
  /** `DeadLetterConfig.TargetArn`, described. */
  readonly deadLetter?: string;
  readonly reservedConcurrency?: unknown;
  /** Log groups it receives, by name or logical ID. */
  readonly logGroups: readonly string[];
}

export interface FlowLogCoverage {
  readonly logicalId: string;
  readonly resourceType?: string;
  /** Logical ID of the VPC/subnet/ENI it watches, when in this template. */
  readonly resourceId?: string;
  readonly trafficType?: string;
  readonly destinationType: string;
  /** Logical ID of the destination log group, when in this template. */
  readonly logGroupId?: string;
  /** Destination as written otherwise (log group name or ARN, bucket ARN). */
  readonly destination?: string;
}

export interface VpcFlowCoverage {
  readonly logicalId: string;
  readonly role: VpcRole;
  readonly flowLogs: readonly FlowLogCoverage[];
  /** A VPC-level flow log with `TrafficType: ALL` to CloudWatch Logs. */
  readonly capturesAllToLogs: boolean;
}

export interface TrailCoverage {
  readonly logicalId: string;
  readonly logFileValidation: boolean;
  /** Logical ID of the CloudWatch log group, when in this template. */
  readonly logGroupId?: string;
  /** `CloudWatchLogsLogGroupArn` as written, when not a log group of this template. */
  readonly logGroupArn?: string;
}

export interface LoggingAnalysis {
  readonly logGroups: readonly LogGroupCoverage[];
  readonly subscriptions: readonly SubscriptionCoverage[];
  readonly shippers: readonly ShipperCoverage[];
  readonly flowLogs: readonly FlowLogCoverage[];
  readonly vpcs: readonly VpcFlowCoverage[];
  readonly trails: readonly TrailCoverage[];
  /** Fixed Clover log group names of the template's enclave (empty without enclave metadata). */
  readonly enclaveLogNames: readonly string[];
  logGroup(logicalId: string): LogGroupCoverage | undefined;
  shipper(logicalId: string): ShipperCoverage | undefined;
  vpc(logicalId: string): VpcFlowCoverage | undefined;
}

const LOG_GROUP = 'AWS::Logs::LogGroup';
const SUBSCRIPTION = 'AWS::Logs::SubscriptionFilter';
const FUNCTION = 'AWS::Lambda::Function';
const FLOW_LOG = 'AWS::EC2::FlowLog';
const TRAIL = 'AWS::CloudTrail::Trail';
const INVOKE_CONFIG = 'AWS::Lambda::EventInvokeConfig';

const LOG_GROUP_ARN_NAME = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/;
/** Any enclave's flow, appliance or trail log group, as lib/config/naming.ts names them. */
const CLOVER_LOG_NAME = new RegExp(
  `^(?:${[flowLogGroupName, applianceLogGroupName, trailLogGroupName]
    .map((name) =>
      name('\0')
        .replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
        .replace('\0', '[^/]+'),
    )
    .join('|')})$`,
);

/** A literal string, or the default of a parameter it references. */
function literalOrDefault(index: TemplateIndex, value: unknown): string | undefined {
  const literal = literalString(value);
  if (literal !== undefined) return literal;
  if (isObject(value) && typeof value.Ref === 'string' && !index.get(value.Ref)) {
    return literalString(index.parameterDefault(value.Ref));
  }
  return undefined;
}

/** The log group name inside a literal log group ARN. */
function nameFromArn(arn: string | undefined): string | undefined {
  return arn === undefined ? undefined : LOG_GROUP_ARN_NAME.exec(arn)?.[1];
}

function describe(value: unknown): string {
  const literal = literalString(value);
  if (literal !== undefined) return literal;
  const target = referencedLogicalId(value);
  return target !== undefined ? `${target} (in this template)` : JSON.stringify(value);
}

class LoggingAnalyser {
  private readonly byName = new Map<string, string>();

  constructor(private readonly index: TemplateIndex) {
    for (const group of index.ofType(LOG_GROUP)) {
      const name = literalOrDefault(index, group.properties.LogGroupName);
      if (name !== undefined) this.byName.set(name, group.logicalId);
    }
  }

  public run(): LoggingAnalysis {
    const enclaveLogNames = this.enclaveLogNames();
    const subscriptions = this.index.ofType(SUBSCRIPTION).map((filter) => this.subscription(filter));
    const flowLogs = this.index.ofType(FLOW_LOG).map((flowLog) => this.flowLog(flowLog));
    const trails = this.index.ofType(TRAIL).map((trail) => this.trail(trail));
    const shippers = this.shippers(subscriptions);
    // Clover's fixed names count as subscribed by name only where the subscriptions live in another stack.
    const byNameElsewhere = shippers.length === 0 ? enclaveLogNames : [];
    const reasons = new Map<string, Set<EnclaveLogReason>>();
    const addReason = (logicalId: string | undefined, reason: EnclaveLogReason) => {
      if (logicalId === undefined) return;
      const set = reasons.get(logicalId) ?? new Set();
      set.add(reason);
      reasons.set(logicalId, set);
    };
    for (const flowLog of flowLogs) addReason(flowLog.logGroupId, 'flow-log destination');
    for (const trail of trails) addReason(trail.logGroupId, 'trail destination');

    const logGroups: LogGroupCoverage[] = this.index.ofType(LOG_GROUP).map((group) => {
      const name = literalOrDefault(this.index, group.properties.LogGroupName);
      if (name !== undefined && name.endsWith('/gateway-appliance'))
        addReason(group.logicalId, 'gateway appliance log');
      if (name !== undefined && CLOVER_LOG_NAME.test(name))
        addReason(group.logicalId, 'Clover enclave log name');
      return {
        logicalId: group.logicalId,
        name,
        retentionDays: group.properties.RetentionInDays,
        kmsKey: group.properties.KmsKeyId,
        enclaveReasons: [...(reasons.get(group.logicalId) ?? [])],
        subscriptions: subscriptions.filter((s) => s.logGroupId === group.logicalId),
        subscribedByName: name !== undefined && byNameElsewhere.includes(name),
      };
    });
    // Log groups this template subscribes by name only (created by another stack).
    const namedOnly = new Map<string, SubscriptionCoverage[]>();
    for (const subscription of subscriptions) {
      if (subscription.logGroupId !== undefined || subscription.logGroupName === undefined) continue;
      namedOnly.set(subscription.logGroupName, [
        ...(namedOnly.get(subscription.logGroupName) ?? []),
        subscription,
      ]);
    }
    for (const [name, list] of namedOnly) {
      logGroups.push({
        name,
        enclaveReasons: CLOVER_LOG_NAME.test(name) ? ['Clover enclave log name'] : [],
        subscriptions: list,
        subscribedByName: false,
      });
    }

    const vpcs = this.vpcs(flowLogs);
    const groupsById = new Map(logGroups.filter((g) => g.logicalId).map((g) => [g.logicalId!, g]));
    const shippersById = new Map(shippers.map((s) => [s.logicalId, s]));
    const vpcsById = new Map(vpcs.map((v) => [v.logicalId, v]));
    return {
      logGroups,
      subscriptions,
      shippers,
      flowLogs,
      vpcs,
      trails,
      enclaveLogNames,
      logGroup: (id) => groupsById.get(id),
      shipper: (id) => shippersById.get(id),
      vpc: (id) => vpcsById.get(id),
    };
  }

  /** The fixed log group names of the template's enclave, when it is a Clover enclave stack. */
  private enclaveLogNames(): string[] {
    const enclave = this.index.enclave;
    if (!enclave || enclave.role !== 'enclave') return [];
    // A decommissioned interim enclave has no network left: its trail is its only fixed log.
    if (enclave.interim?.phase === 'decommissioned') return [trailLogGroupName(enclave.name)];
    return [
      flowLogGroupName(enclave.name),
      applianceLogGroupName(enclave.name),
      trailLogGroupName(enclave.name),
    ];
  }

  /** A log group of this template named by a value (Ref, GetAtt Arn, literal name or ARN). */
  private logGroupOf(value: unknown, asArn: boolean): { logGroupId?: string; name?: string } {
    const target = this.index.resolve(value, LOG_GROUP);
    if (target)
      return {
        logGroupId: target.logicalId,
        name: literalOrDefault(this.index, target.properties.LogGroupName),
      };
    const literal = literalOrDefault(this.index, value);
    const name = asArn ? nameFromArn(literal) : literal;
    if (name === undefined) return {};
    return { logGroupId: this.byName.get(name), name };
  }

  private subscription(filter: IndexedResource): SubscriptionCoverage {
    const { logGroupId, name } = this.logGroupOf(filter.properties.LogGroupName, false);
    const destinationValue = filter.properties.DestinationArn;
    const fn = this.index.resolve(destinationValue, FUNCTION);
    const literal = literalString(destinationValue);
    const linked = fn ? undefined : linkedResource(this.index, destinationValue, FUNCTION);
    const peerFunction = linked
      ? `${linked.index.context.stackName}/${linked.resource.logicalId}`
      : undefined;
    const inTemplates =
      fn !== undefined || linked !== undefined || this.index.resolve(destinationValue) !== undefined;
    return {
      logicalId: filter.logicalId,
      logGroupId,
      logGroupName: name,
      functionId: fn?.logicalId,
      destination: fn ? undefined : (peerFunction ?? describe(destinationValue)),
      toFunction:
        fn !== undefined ||
        linked !== undefined ||
        (literal !== undefined && /^arn:[^:]+:lambda:/.test(literal)),
      peerFunction,
      external: inTemplates ? undefined : describe(destinationValue),
    };
  }

  private flowLog(flowLog: IndexedResource): FlowLogCoverage {
    const p = flowLog.properties;
    const destinationType = literalString(p.LogDestinationType) ?? 'cloud-watch-logs';
    const resource = this.index.resolve(p.ResourceId);
    const coverage = {
      logicalId: flowLog.logicalId,
      resourceType: literalString(p.ResourceType),
      resourceId: resource?.logicalId,
      trafficType: literalString(p.TrafficType),
      destinationType,
    };
    if (destinationType !== 'cloud-watch-logs')
      return { ...coverage, destination: describe(p.LogDestination) };
    const group =
      p.LogGroupName !== undefined
        ? this.logGroupOf(p.LogGroupName, false)
        : this.logGroupOf(p.LogDestination, true);
    return {
      ...coverage,
      logGroupId: group.logGroupId,
      destination: group.logGroupId
        ? undefined
        : (group.name ?? describe(p.LogDestination ?? p.LogGroupName)),
    };
  }

  private trail(trail: IndexedResource): TrailCoverage {
    const value = trail.properties.CloudWatchLogsLogGroupArn;
    const group = value === undefined ? {} : this.logGroupOf(value, true);
    return {
      logicalId: trail.logicalId,
      logFileValidation: isTrue(trail.properties.EnableLogFileValidation),
      logGroupId: group.logGroupId,
      logGroupArn: value !== undefined && group.logGroupId === undefined ? describe(value) : undefined,
    };
  }

  private shippers(subscriptions: readonly SubscriptionCoverage[]): ShipperCoverage[] {
    const functionIds = [
      ...new Set([
        ...subscriptions.map((s) => s.functionId).filter((id): id is string => !!id),
        ...this.subscribedFromPeers(),
      ]),
    ];
    return functionIds.map((logicalId) => {
      const fn = this.index.get(logicalId)!;
      const config = this.index
        .ofType(INVOKE_CONFIG)
        .find((c) => this.index.resolve(c.properties.FunctionName, FUNCTION)?.logicalId === logicalId);
      const onFailure = config
        ? getPath(config.properties, ['DestinationConfig', 'OnFailure', 'Destination'])
        : undefined;
      const deadLetter = getPath(fn.properties, ['DeadLetterConfig', 'TargetArn']);
      return {
        logicalId,
        functionName: literalString(fn.properties.FunctionName),
        onFailure: onFailure === undefined ? undefined : describe(onFailure),
        deadLetter: deadLetter === undefined ? undefined : describe(deadLetter),
        reservedConcurrency: fn.properties.ReservedConcurrentExecutions,
        logGroups: [
          ...subscriptions
            .filter((s) => s.functionId === logicalId)
            .map((s) => s.logGroupName ?? s.logGroupId ?? '(unknown log group)'),
        ].concat(
          subscriptions.some((s) => s.functionId === logicalId) ? [] : ['log groups of other audited stacks'],
        ),
      };
    });
  }

  /** Functions of this stack that subscription filters of other audited stacks deliver to. */
  private subscribedFromPeers(): string[] {
    const peers = this.index.peers;
    if (!peers) return [];
    return (subscriptionsAcross(peers).get(this.index.template) ?? [])
      .filter((entry) => entry.from !== this.index)
      .map((entry) => entry.logicalId);
  }

  private vpcs(flowLogs: readonly FlowLogCoverage[]): VpcFlowCoverage[] {
    return analyseRoutes(this.index)
      .vpcs.filter((vpc) => vpc.inTemplate)
      .map((vpc) => {
        const own = flowLogs.filter((f) => f.resourceId === vpc.id && (f.resourceType ?? 'VPC') === 'VPC');
        return {
          logicalId: vpc.id,
          role: vpc.role,
          flowLogs: own,
          capturesAllToLogs: own.some(
            (f) => f.trafficType === 'ALL' && f.destinationType === 'cloud-watch-logs',
          ),
        };
      });
  }
}

const ACROSS = new WeakMap<PeerStacks, Map<unknown, Array<{ from: TemplateIndex; logicalId: string }>>>();

/**
 * Every subscription filter of the stacks audited together, by the template of the function it delivers
 * to: linked once per set of stacks, not once per stack (that was quadratic in the number of stacks).
 */
function subscriptionsAcross(
  peers: PeerStacks,
): Map<unknown, Array<{ from: TemplateIndex; logicalId: string }>> {
  let across = ACROSS.get(peers);
  if (!across) {
    across = new Map();
    for (const peer of peers.indexes) {
      for (const filter of peer.ofType(SUBSCRIPTION)) {
        const linked = linkedResource(peer, filter.properties.DestinationArn, FUNCTION);
        if (!linked) continue;
        const entries = across.get(linked.index.template) ?? [];
        entries.push({ from: peer, logicalId: linked.resource.logicalId });
        across.set(linked.index.template, entries);
      }
    }
    ACROSS.set(peers, across);
  }
  return across;
}

const ANALYSES = new WeakMap<TemplateIndex, LoggingAnalysis>();

/** The log coverage of a stack, computed once per index. */
export function analyseLogging(index: TemplateIndex): LoggingAnalysis {
  let analysis = ANALYSES.get(index);
  if (!analysis) {
    analysis = new LoggingAnalyser(index).run();
    ANALYSES.set(index, analysis);
  }
  return analysis;
}

/** Names of the enclave log groups that a shipper of this template subscribes to. */
export function shippedNames(analysis: LoggingAnalysis): Set<string> {
  const names = new Set<string>();
  for (const subscription of analysis.subscriptions) {
    if (!subscription.toFunction) continue;
    const group = subscription.logGroupId ? analysis.logGroup(subscription.logGroupId) : undefined;
    const name = group?.name ?? subscription.logGroupName;
    if (name !== undefined) names.add(name);
  }
  return names;
}

/** The audit report's log-coverage section: one line per log group, shipper, VPC and trail. */
export function formatLogCoverage(analysis: LoggingAnalysis): string[] {
  const lines: string[] = [];
  const shipperOf = (id: string | undefined) => (id ? analysis.shipper(id) : undefined);
  for (const group of analysis.logGroups) {
    const label = group.name ?? group.logicalId ?? '(unnamed)';
    const kind = group.enclaveReasons.length ? ` [enclave: ${group.enclaveReasons.join(', ')}]` : '';
    const retention =
      group.logicalId === undefined
        ? ''
        : group.retentionDays === undefined
          ? ', no retention (kept forever)'
          : `, retention ${describe(group.retentionDays)} days`;
    const key =
      group.logicalId === undefined
        ? ''
        : `, KMS key ${group.kmsKey === undefined ? 'none' : describe(group.kmsKey)}`;
    const shipped = group.subscriptions.map((s) => {
      const shipper = shipperOf(s.functionId);
      if (!shipper) return `subscription ${s.logicalId} → ${s.destination ?? '?'}`;
      const safety = [
        shipper.onFailure && `OnFailure ${shipper.onFailure}`,
        shipper.deadLetter && `DLQ ${shipper.deadLetter}`,
      ]
        .filter(Boolean)
        .join(', ');
      return `shipped by ${shipper.logicalId} (${safety || 'no OnFailure destination or DLQ'})`;
    });
    const status = shipped.length
      ? shipped.join('; ')
      : group.subscribedByName
        ? 'subscribed by name from the enclave Logging stack (checked there)'
        : 'not shipped';
    lines.push(`log group ${label}${kind}${retention}${key}: ${status}`);
  }
  for (const vpc of analysis.vpcs) {
    const flows = vpc.flowLogs.map(
      (f) => `${f.logicalId} ${f.trafficType ?? '?'} → ${f.logGroupId ?? f.destination ?? f.destinationType}`,
    );
    lines.push(`VPC ${vpc.logicalId} (${vpc.role}): ${flows.length ? flows.join('; ') : 'no VPC flow log'}`);
  }
  for (const trail of analysis.trails) {
    lines.push(
      `trail ${trail.logicalId}: log file validation ${trail.logFileValidation ? 'on' : 'OFF'}, CloudWatch Logs ${trail.logGroupId ?? trail.logGroupArn ?? 'none'}`,
    );
  }
  return lines;
}
