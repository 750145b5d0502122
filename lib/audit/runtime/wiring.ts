import { parseArn } from '../iam';
import type { IndexedResource } from '../template';
import { asArray, isObject, isTrue } from '../values';
import type { AssemblyCatalog } from './catalog';
import {
  assumeRoleRequest,
  impliedKeyRequests,
  RequestTarget,
  roleRequest,
  serviceRequest,
  targetOf,
  targetOfArn,
} from './requests';
import { logsKeyPrincipal, servicePrincipal } from './services';
import type { Flow, FlowRequest, FlowStack } from './types';

/**
 * Required flows derived from what a template wires, so they hold for any
 * template: who calls whom is written in the resource that connects them.
 * Each deriver reads one resource type and returns the requests the calling
 * service makes at run time, with the context it really sends.
 */
type Deriver = (scope: WiringScope, resource: IndexedResource) => Flow[];

/** What a deriver needs: the catalog, the stack, and a helper to name flows. */
export class WiringScope {
  constructor(
    public readonly catalog: AssemblyCatalog,
    public readonly stack: FlowStack,
  ) {}

  public get env() {
    return this.catalog.resolver.environment(this.stack);
  }

  public props(resource: IndexedResource): Record<string, unknown> {
    return this.catalog.resolver.properties(this.stack, resource);
  }

  public text(value: unknown): string {
    return this.catalog.resolver.text(this.stack, value);
  }

  public service(name: string): string {
    return servicePrincipal(name, this.env.urlSuffix);
  }

  public target(arn: string): RequestTarget {
    return targetOfArn(this.catalog, arn, this.env.account);
  }

  /** Adds the KMS requests each request implies. */
  public withKeys(requests: readonly FlowRequest[]): FlowRequest[] {
    return requests.flatMap((request) => [request, ...impliedKeyRequests(this.catalog, request)]);
  }

  public flow(
    resource: IndexedResource,
    suffix: string,
    title: string,
    requests: readonly FlowRequest[],
    unresolved?: string,
  ): Flow {
    const readable = (text: string) => this.catalog.resolver.describeToken(text);
    const missing =
      unresolved ??
      requests
        .map((request) =>
          this.catalog.resolver.unresolvedIn([request.resource, request.principal, request.context]),
        )
        .find(Boolean);
    return {
      id: `${this.stack.index.context.stackName}/${resource.logicalId}/${suffix}`,
      kind: 'required',
      origin: 'wiring',
      title: readable(title),
      anchor: { stack: this.stack, logicalId: resource.logicalId },
      requests,
      unresolved: missing ? `it names ${missing}` : undefined,
    };
  }
}

/** The last part of an ARN or name, for titles. */
function short(text: string): string {
  const arn = parseArn(text);
  if (!arn) return text;
  return arn.resource
    .replace(/^(log-group|function|key|trail|alarm|secret|table|stream|deliverystream):/, '')
    .replace(/^[a-z-]+\//, '');
}

function logGroupArn(scope: WiringScope, name: string, suffix = ':*'): string {
  const { partition, region, account } = scope.env;
  return `arn:${partition}:logs:${region}:${account}:log-group:${name}${suffix}`;
}

/** A subscription filter: CloudWatch Logs invokes the destination function, or writes to a stream through a role. */
const subscriptionFilter: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  const group = scope.text(props.LogGroupName);
  const destination = scope.text(props.DestinationArn);
  const source = { account: scope.env.account, arn: logGroupArn(scope, group) };
  const title = `CloudWatch Logs subscription of ${group} → ${short(destination)}`;
  const arn = parseArn(destination);
  const logs = scope.service('logs');
  if (arn?.service === 'lambda') {
    return [
      scope.flow(resource, 'invoke', title, [
        serviceRequest(logs, source, 'lambda:InvokeFunction', scope.target(destination), {
          note: 'CloudWatch Logs invokes the function asynchronously',
        }),
      ]),
    ];
  }
  const role = props.RoleArn !== undefined ? scope.text(props.RoleArn) : undefined;
  const put =
    arn?.service === 'kinesis'
      ? 'kinesis:PutRecord'
      : arn?.service === 'firehose'
        ? 'firehose:PutRecordBatch'
        : undefined;
  if (!put || !role) {
    return [
      scope.flow(
        resource,
        'deliver',
        title,
        [],
        `its destination ${destination} is not a function or stream the proof models`,
      ),
    ];
  }
  return [
    scope.flow(
      resource,
      'deliver',
      title,
      scope.withKeys([
        assumeRoleRequest(scope.catalog, logs, role, source),
        roleRequest(role, put, scope.target(destination)),
      ]),
    ),
  ];
};

/** A VPC flow log: the service assumes the delivery role, which writes the log group (or S3 delivers to the bucket). */
const flowLog: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  const flowLogArn = scope.catalog.resolver.arnOf(scope.stack, resource)!;
  const type = typeof props.LogDestinationType === 'string' ? props.LogDestinationType : 'cloud-watch-logs';
  const { account, partition, region } = scope.env;
  if (type === 'cloud-watch-logs') {
    const destination = props.LogDestination !== undefined ? scope.text(props.LogDestination) : undefined;
    const group =
      props.LogGroupName !== undefined
        ? scope.text(props.LogGroupName)
        : destination?.replace(/^.*:log-group:/, '').replace(/:\*$/, '');
    const role =
      props.DeliverLogsPermissionArn !== undefined ? scope.text(props.DeliverLogsPermissionArn) : undefined;
    if (!group || !role)
      return [
        scope.flow(
          resource,
          'deliver',
          `VPC flow log ${resource.logicalId}`,
          [],
          'it names no log group or no delivery role',
        ),
      ];
    const stream = scope.target(logGroupArn(scope, group, ':log-stream:eni-0123456789abcdef0-all'));
    return [
      scope.flow(resource, 'deliver', `VPC flow log ${resource.logicalId} → log group ${group}`, [
        assumeRoleRequest(scope.catalog, scope.service('vpc-flow-logs'), role, { account, arn: flowLogArn }),
        roleRequest(role, 'logs:CreateLogStream', stream, { note: 'the delivery role creates the stream' }),
        roleRequest(role, 'logs:PutLogEvents', stream, { note: 'the delivery role writes the records' }),
      ]),
    ];
  }
  if (type === 's3' && props.LogDestination !== undefined) {
    const bucketArn = scope.text(props.LogDestination).replace(/\/.*$/, '');
    const prefix = scope.text(props.LogDestination).slice(bucketArn.length).replace(/^\/?/, '');
    const source = { account, arn: `arn:${partition}:logs:${region}:${account}:*` };
    const delivery = scope.service('delivery.logs');
    const objectArn = `${bucketArn}/${prefix ? `${prefix.replace(/\/$/, '')}/` : ''}AWSLogs/${account}/vpcflowlogs/${region}/flowlog.log.gz`;
    return [
      scope.flow(
        resource,
        'deliver',
        `VPC flow log ${resource.logicalId} → ${short(bucketArn)}`,
        scope.withKeys([
          serviceRequest(delivery, source, 's3:GetBucketAcl', scope.target(bucketArn)),
          serviceRequest(delivery, source, 's3:PutObject', scope.target(objectArn), {
            context: { 's3:x-amz-acl': 'bucket-owner-full-control' },
          }),
        ]),
      ),
    ];
  }
  return [];
};

/** Alarm actions on SNS topics: CloudWatch publishes as itself, for the alarm's account. */
const alarm: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  const alarmArn = scope.catalog.resolver.arnOf(scope.stack, resource)!;
  const actions = new Set(
    [
      ...asArray(props.AlarmActions),
      ...asArray(props.OKActions),
      ...asArray(props.InsufficientDataActions),
    ].map((value) => scope.text(value)),
  );
  return [...actions]
    .filter((action) => parseArn(action)?.service === 'sns')
    .map((topic) =>
      scope.flow(
        resource,
        `notify:${short(topic)}`,
        `alarm ${short(alarmArn)} → topic ${short(topic)}`,
        scope.withKeys([
          serviceRequest(
            scope.service('cloudwatch'),
            { account: scope.env.account, arn: alarmArn },
            'sns:Publish',
            scope.target(topic),
          ),
        ]),
      ),
    );
};

/** S3 replication: S3 assumes the role, which reads the source and writes the replicas with the destination's key. */
const replication: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  const configuration = isObject(props.ReplicationConfiguration) ? props.ReplicationConfiguration : undefined;
  if (!configuration) return [];
  const role = scope.text(configuration.Role);
  const source = targetOf(scope.catalog, {
    stack: scope.stack,
    resource,
    arn: scope.catalog.resolver.arnOf(scope.stack, resource)!,
  });
  const flows: Flow[] = [];
  asArray(configuration.Rules).forEach((rule, position) => {
    if (!isObject(rule) || rule.Status === 'Disabled' || !isObject(rule.Destination)) return;
    const destination = rule.Destination;
    const bucketArn = String(destination.Bucket);
    const destinationTarget = scope.target(bucketArn);
    // An object the rule replicates: under its filter's prefix, if it has one.
    const prefix =
      isObject(rule.Filter) && typeof rule.Filter.Prefix === 'string'
        ? rule.Filter.Prefix
        : typeof rule.Prefix === 'string'
          ? rule.Prefix
          : '';
    const objectArn = `${bucketArn}/${prefix}replicated-object`;
    const sourceObject = `${source.arn}/${prefix}replicated-object`;
    const keyId = isObject(destination.EncryptionConfiguration)
      ? destination.EncryptionConfiguration.ReplicaKmsKeyID
      : undefined;
    const sseKms =
      isObject(rule.SourceSelectionCriteria) &&
      isObject(rule.SourceSelectionCriteria.SseKmsEncryptedObjects) &&
      rule.SourceSelectionCriteria.SseKmsEncryptedObjects.Status === 'Enabled';
    const writes = ['s3:ReplicateObject', 's3:ReplicateTags'];
    if (isObject(rule.DeleteMarkerReplication) && rule.DeleteMarkerReplication.Status === 'Enabled')
      writes.push('s3:ReplicateDelete');
    if (isObject(destination.AccessControlTranslation)) writes.push('s3:ObjectOwnerOverrideToBucketOwner');
    const requests: FlowRequest[] = [
      assumeRoleRequest(scope.catalog, scope.service('s3'), role, {
        account: scope.env.account,
        arn: source.arn,
      }),
      roleRequest(role, 's3:GetReplicationConfiguration', source),
      roleRequest(role, 's3:ListBucket', source),
      ...scope.withKeys([
        roleRequest(
          role,
          's3:GetObjectVersionForReplication',
          { ...source, arn: sourceObject },
          { context: sseKms ? { 's3:x-amz-server-side-encryption': 'aws:kms' } : {} },
        ),
      ]),
      roleRequest(role, 's3:GetObjectVersionAcl', { ...source, arn: sourceObject }),
      roleRequest(role, 's3:GetObjectVersionTagging', { ...source, arn: sourceObject }),
      ...writes.map((action) => roleRequest(role, action, { ...destinationTarget, arn: objectArn })),
    ];
    if (typeof keyId === 'string') {
      const replicaKey = scope.catalog.key(scope.stack, keyId);
      const keyArn = replicaKey?.arn ?? keyId;
      const keyTarget = replicaKey ? targetOf(scope.catalog, replicaKey) : scope.target(keyId);
      const destinationRegion = destinationTarget.region ?? scope.env.region;
      const destinationBucket = scope.catalog.find(bucketArn);
      const bucketKey = destinationBucket
        ? bucketKeyEnabled(scope, destinationBucket.stack, destinationBucket.resource)
        : false;
      for (const action of ['kms:Encrypt', 'kms:GenerateDataKey']) {
        requests.push(
          roleRequest(
            role,
            action,
            { ...keyTarget, arn: keyArn },
            {
              context: {
                'kms:ViaService': `s3.${destinationRegion}.${scope.env.urlSuffix}`,
                'kms:CallerAccount': scope.env.account,
                'kms:EncryptionContext:aws:s3:arn': bucketKey ? bucketArn : objectArn,
              },
              note: 'S3 encrypts the replica with the destination key on the role’s behalf',
            },
          ),
        );
      }
    }
    flows.push(
      scope.flow(
        resource,
        `replication:${position}`,
        `replication of ${short(source.arn)} → ${short(bucketArn)}`,
        requests,
      ),
    );
  });
  return flows;
};

function bucketKeyEnabled(scope: WiringScope, stack: FlowStack, bucket: IndexedResource): boolean {
  const props = scope.catalog.resolver.properties(stack, bucket);
  const rule = asArray(
    isObject(props.BucketEncryption) ? props.BucketEncryption.ServerSideEncryptionConfiguration : undefined,
  )[0];
  return isObject(rule) && isTrue(rule.BucketKeyEnabled);
}

/** A trail: CloudTrail checks and writes the bucket, encrypts with the key, and delivers to CloudWatch Logs through a role. */
const trail: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  const trailArn = scope.catalog.resolver.arnOf(scope.stack, resource)!;
  const { account, partition } = scope.env;
  const cloudtrail = scope.service('cloudtrail');
  const source = { account, arn: trailArn };
  const bucket = scope.text(props.S3BucketName);
  const prefix =
    typeof props.S3KeyPrefix === 'string' && props.S3KeyPrefix !== '' ? `${props.S3KeyPrefix}/` : '';
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const requests: FlowRequest[] = [
    serviceRequest(cloudtrail, source, 's3:GetBucketAcl', scope.target(bucketArn), {
      note: 'CloudTrail checks the bucket before it writes',
    }),
    serviceRequest(
      cloudtrail,
      source,
      's3:PutObject',
      scope.target(`${bucketArn}/${prefix}AWSLogs/${account}/CloudTrail/log-file.json.gz`),
      {
        context: { 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    ),
  ];
  if (props.KMSKeyId !== undefined) {
    const key = scope.catalog.key(scope.stack, props.KMSKeyId);
    const keyTarget = key ? targetOf(scope.catalog, key) : scope.target(scope.text(props.KMSKeyId));
    requests.push(
      serviceRequest(cloudtrail, source, 'kms:GenerateDataKey', keyTarget, {
        context: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn },
        note: 'CloudTrail encrypts each log file (encryption context: the trail ARN)',
      }),
      serviceRequest(cloudtrail, source, 'kms:DescribeKey', keyTarget, {
        note: 'CloudTrail describes the key when the trail is created or updated (no encryption context)',
      }),
    );
  }
  if (props.CloudWatchLogsLogGroupArn !== undefined && props.CloudWatchLogsRoleArn !== undefined) {
    const role = scope.text(props.CloudWatchLogsRoleArn);
    const group = scope
      .text(props.CloudWatchLogsLogGroupArn)
      .replace(/^.*:log-group:/, '')
      .replace(/:\*$/, '');
    const stream = scope.target(
      logGroupArn(scope, group, `:log-stream:${account}_CloudTrail_${scope.env.region}`),
    );
    requests.push(
      assumeRoleRequest(scope.catalog, cloudtrail, role, source),
      roleRequest(role, 'logs:CreateLogStream', stream),
      roleRequest(role, 'logs:PutLogEvents', stream),
    );
  }
  return [
    scope.flow(
      resource,
      'deliver',
      `trail ${short(trailArn)} → bucket ${bucket}${props.KMSKeyId !== undefined ? ' and its key' : ''}`,
      requests,
    ),
  ];
};

/** Where a function's failed (or succeeded) asynchronous invocations go: its execution role sends there. */
function destinationRequests(scope: WiringScope, role: string, destination: string): FlowRequest[] {
  const service = parseArn(destination)?.service;
  const action =
    service === 'sqs'
      ? 'sqs:SendMessage'
      : service === 'sns'
        ? 'sns:Publish'
        : service === 'lambda'
          ? 'lambda:InvokeFunction'
          : service === 'events'
            ? 'events:PutEvents'
            : undefined;
  return action
    ? scope.withKeys([
        roleRequest(role, action, scope.target(destination), {
          note: 'Lambda sends the invocation record with the execution role',
        }),
      ])
    : [];
}

function functionRole(scope: WiringScope, functionValue: unknown): string | undefined {
  const located = scope.catalog.locate(scope.stack, functionValue);
  if (!located || located.resource.type !== 'AWS::Lambda::Function') return undefined;
  return scope.catalog.resolver.text(located.stack, located.resource.json.Properties?.Role);
}

const eventInvokeConfig: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  const role = functionRole(scope, resource.json.Properties?.FunctionName);
  const config = isObject(props.DestinationConfig) ? props.DestinationConfig : {};
  const flows: Flow[] = [];
  for (const kind of ['OnFailure', 'OnSuccess'] as const) {
    const entry = config[kind];
    if (!isObject(entry) || entry.Destination === undefined) continue;
    const destination = String(entry.Destination);
    const title = `${kind} destination of ${scope.text(props.FunctionName)} → ${short(destination)}`;
    flows.push(
      role
        ? scope.flow(resource, kind, title, destinationRequests(scope, role, destination))
        : scope.flow(resource, kind, title, [], 'a function that is not among the inputs'),
    );
  }
  return flows;
};

const functionDeadLetter: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  const target = isObject(props.DeadLetterConfig) ? props.DeadLetterConfig.TargetArn : undefined;
  if (typeof target !== 'string') return [];
  const role = scope.text(props.Role);
  return [
    scope.flow(
      resource,
      'dead-letter',
      `dead-letter queue of ${resource.logicalId} → ${short(target)}`,
      destinationRequests(scope, role, target),
    ),
  ];
};

/** Event rule targets: EventBridge delivers as itself (SNS, SQS, Lambda) or through the target's role (other buses, streams). */
const eventRule: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  const ruleArn = scope.catalog.resolver.arnOf(scope.stack, resource)!;
  const events = scope.service('events');
  const source = { account: scope.env.account, arn: ruleArn };
  const flows: Flow[] = [];
  asArray(props.Targets).forEach((target) => {
    if (!isObject(target) || typeof target.Arn !== 'string') return;
    const arn = target.Arn;
    const service = parseArn(arn)?.service;
    const title = `event rule ${short(ruleArn)} → ${short(arn)}`;
    const id = `target:${String(target.Id ?? short(arn))}`;
    const direct: Record<string, string> = {
      sns: 'sns:Publish',
      sqs: 'sqs:SendMessage',
      lambda: 'lambda:InvokeFunction',
    };
    const viaRole: Record<string, string> = {
      events: 'events:PutEvents',
      kinesis: 'kinesis:PutRecord',
      firehose: 'firehose:PutRecordBatch',
      states: 'states:StartExecution',
    };
    let requests: FlowRequest[] = [];
    if (service && typeof target.RoleArn === 'string' && viaRole[service]) {
      const role = target.RoleArn;
      requests = scope.withKeys([
        assumeRoleRequest(scope.catalog, events, role, source),
        roleRequest(role, viaRole[service], scope.target(arn)),
      ]);
    } else if (service && direct[service]) {
      requests = scope.withKeys([serviceRequest(events, source, direct[service], scope.target(arn))]);
    } else {
      flows.push(
        scope.flow(resource, id, title, [], `a ${service ?? 'unknown'} target the proof does not model`),
      );
      return;
    }
    flows.push(scope.flow(resource, id, title, requests));
    const deadLetter = isObject(target.DeadLetterConfig) ? target.DeadLetterConfig.Arn : undefined;
    if (typeof deadLetter === 'string') {
      flows.push(
        scope.flow(
          resource,
          `${id}:dead-letter`,
          `event rule ${short(ruleArn)} dead letters → ${short(deadLetter)}`,
          scope.withKeys([
            serviceRequest(events, source, 'sqs:SendMessage', scope.target(deadLetter), {
              note: 'EventBridge keeps undeliverable events',
            }),
          ]),
        ),
      );
    }
  });
  return flows;
};

/** S3 event notifications: S3 publishes as itself, for the bucket. */
const bucketNotifications: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  const notifications = isObject(props.NotificationConfiguration)
    ? props.NotificationConfiguration
    : undefined;
  if (!notifications) return [];
  const bucketArn = scope.catalog.resolver.arnOf(scope.stack, resource)!;
  const s3 = scope.service('s3');
  const source = { account: scope.env.account, arn: bucketArn };
  const kinds: Array<[string, string, string]> = [
    ['TopicConfigurations', 'Topic', 'sns:Publish'],
    ['QueueConfigurations', 'Queue', 'sqs:SendMessage'],
    ['LambdaConfigurations', 'Function', 'lambda:InvokeFunction'],
  ];
  return kinds.flatMap(([list, field, action]) =>
    asArray(notifications[list]).flatMap((entry, position) => {
      if (!isObject(entry) || typeof entry[field] !== 'string') return [];
      const target = entry[field] as string;
      return [
        scope.flow(
          resource,
          `notification:${field}:${position}`,
          `S3 notifications of ${short(bucketArn)} → ${short(target)}`,
          scope.withKeys([serviceRequest(s3, source, action, scope.target(target))]),
        ),
      ];
    }),
  );
};

/**
 * S3 Inventory: S3 writes each report to the destination bucket as itself, for the source bucket
 * (`aws:SourceArn`, `aws:SourceAccount`), with `x-amz-acl: bucket-owner-full-control`, and encrypts it
 * with the destination's default key (S3 user guide, "Configuring Amazon S3 Inventory").
 */
const inventoryDelivery: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  const bucketArn = scope.catalog.resolver.arnOf(scope.stack, resource)!;
  const bucketName = bucketArn.replace(/^arn:[^:]+:s3:::/, '');
  const source = { account: scope.env.account, arn: bucketArn };
  return asArray(props.InventoryConfigurations).flatMap((entry, position) => {
    if (!isObject(entry) || !isTrue(entry.Enabled) || !isObject(entry.Destination)) return [];
    const destination = scope.text(entry.Destination.BucketArn);
    const prefix = typeof entry.Destination.Prefix === 'string' ? `${entry.Destination.Prefix}/` : '';
    const report = `${destination}/${prefix}${bucketName}/${String(entry.Id)}/data/report.csv.gz`;
    return [
      scope.flow(
        resource,
        `inventory:${position}`,
        `S3 Inventory of ${short(bucketArn)} → ${short(destination)}`,
        scope.withKeys([
          serviceRequest(scope.service('s3'), source, 's3:PutObject', scope.target(report), {
            context: { 's3:x-amz-acl': 'bucket-owner-full-control' },
          }),
        ]),
      ),
    ];
  });
};

/** An encrypted log group: CloudWatch Logs (regional principal) uses the key with the group ARN as encryption context. */
const encryptedLogGroup: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  if (props.KmsKeyId === undefined) return [];
  const name =
    props.LogGroupName !== undefined
      ? scope.text(props.LogGroupName)
      : scope.catalog.resolver.refOf(scope.stack, resource.logicalId);
  const key = scope.catalog.key(scope.stack, props.KmsKeyId);
  const keyTarget = key ? targetOf(scope.catalog, key) : scope.target(scope.text(props.KmsKeyId));
  const principal = logsKeyPrincipal(scope.env.region, scope.env.urlSuffix);
  const context = { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(scope, name, '') };
  return [
    scope.flow(
      resource,
      'key',
      `log group ${name} → its key`,
      ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({
        principal: { kind: 'service' as const, service: principal },
        action,
        resource: keyTarget.arn,
        resourceAccount: keyTarget.account,
        resourceRegion: keyTarget.region,
        context,
        identity: 'templates' as const,
        note: 'CloudWatch Logs encrypts and decrypts the group’s events',
      })),
    ),
  ];
};

/** A bus encrypted with a customer managed key: EventBridge uses it with the bus ARN as source and encryption context. */
const encryptedEventBus: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  if (props.KmsKeyIdentifier === undefined) return [];
  const busArn = scope.catalog.resolver.arnOf(scope.stack, resource)!;
  const key = scope.catalog.key(scope.stack, props.KmsKeyIdentifier);
  const keyTarget = key ? targetOf(scope.catalog, key) : scope.target(scope.text(props.KmsKeyIdentifier));
  const source = { account: scope.env.account, arn: busArn };
  return [
    scope.flow(
      resource,
      'key',
      `event bus ${short(busArn)} → its key`,
      ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) =>
        serviceRequest(scope.service('events'), source, action, keyTarget, {
          context: { 'kms:EncryptionContext:aws:events:event-bus:arn': busArn },
          note: 'EventBridge encrypts events on the bus',
        }),
      ),
    ),
  ];
};

/** SNS subscriptions of queues and functions: SNS delivers as itself, for the topic. */
const snsSubscription: Deriver = (scope, resource) => {
  const props = scope.props(resource);
  const protocol = String(props.Protocol ?? '');
  const action =
    protocol === 'sqs' ? 'sqs:SendMessage' : protocol === 'lambda' ? 'lambda:InvokeFunction' : undefined;
  if (!action || typeof props.Endpoint !== 'string') return [];
  const topic = scope.text(props.TopicArn);
  return [
    scope.flow(
      resource,
      'deliver',
      `topic ${short(topic)} → ${short(props.Endpoint)}`,
      scope.withKeys([
        serviceRequest(
          scope.service('sns'),
          { account: parseArn(topic)?.account ?? scope.env.account, arn: topic },
          action,
          scope.target(props.Endpoint),
        ),
      ]),
    ),
  ];
};

const DERIVERS: Readonly<Record<string, Deriver>> = {
  'AWS::Logs::SubscriptionFilter': subscriptionFilter,
  'AWS::EC2::FlowLog': flowLog,
  'AWS::CloudWatch::Alarm': alarm,
  'AWS::CloudTrail::Trail': trail,
  'AWS::Lambda::EventInvokeConfig': eventInvokeConfig,
  'AWS::Lambda::Function': functionDeadLetter,
  'AWS::Events::Rule': eventRule,
  'AWS::Logs::LogGroup': encryptedLogGroup,
  'AWS::Events::EventBus': encryptedEventBus,
  'AWS::SNS::Subscription': snsSubscription,
};

/** Resource types whose wiring implies flows (for docs/runtime-flows.md). */
export const WIRED_TYPES: readonly string[] = [...Object.keys(DERIVERS), 'AWS::S3::Bucket'].sort();

/** Every required flow the templates' wiring implies. */
export function wiringFlows(catalog: AssemblyCatalog): Flow[] {
  const flows: Flow[] = [];
  for (const stack of catalog.resolver.stacks) {
    const scope = new WiringScope(catalog, stack);
    for (const resource of stack.index.all()) {
      if (resource.type === 'AWS::S3::Bucket')
        flows.push(
          ...replication(scope, resource),
          ...bucketNotifications(scope, resource),
          ...inventoryDelivery(scope, resource),
        );
      const derive = DERIVERS[resource.type];
      if (derive) flows.push(...derive(scope, resource));
    }
  }
  return flows;
}
