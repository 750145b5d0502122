import * as path from 'path';
import { ArnFormat, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { handlerEntry } from '../handler-entry';
import {
  type PseudonymisationRule,
  SHIPPER_METRICS_NAMESPACE,
  SHIPPER_VARIABLES,
  shipperEnvironment,
} from '../../config/shipper-contract';
import { archiveBucketName, shipperRoleName } from '../../config/naming';
import {
  archiveKey,
  archiveClientSettings,
  archivePutObjectInput,
  putObjectConditionKeys,
} from '../../../lambda/log-shipper/requests';
import { declareFlows } from '../flows';
import { designDecision } from '../design-decision';
import { networkInterfaceStatements, ServiceEndpoints } from '../enclave-network/service-endpoints';
import { alarmOnAny, alarmOnQueueDepth } from '../monitoring/alarms';
import { archiveKeyStatement, shipperPrefix } from '../monitoring/evidence-archive';
import { cloverAlarmName } from '../monitoring/security-events';

export { SHIPPER_METRICS_NAMESPACE };

/** Physical name of an enclave's shipper function. */
export function shipperFunctionName(enclave: string): string {
  return `clover-${enclave}-log-shipper`;
}

/** The handler entry `lambda/log-shipper/index.ts` (or the compiled `index.js` next to it). */
export function defaultShipperEntry(): string {
  return handlerEntry(path.resolve(__dirname, '..', '..', '..', 'lambda', 'log-shipper'), 'index');
}

export interface LogShippingProps {
  /** Enclave name: names the function, its role (`shipperRoleName`), secrets and alarms. */
  readonly enclave: string;
  /** HTTPS ingest endpoint of the independent monitor. */
  readonly ingestUrl: string;
  /** Account of the monitoring plane, which owns the archive bucket and its key. */
  readonly monitoringAccount: string;
  /** Region of the monitoring plane (European). */
  readonly monitoringRegion: string;
  /** Key of the function's log group, the queues and the secrets; its policy must allow `logs`. */
  readonly encryptionKey: kms.IKey;
  /** Topic that the shipper's alarms notify. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Memory of the function.
   * @default Size.mebibytes(1024)
   */
  readonly memorySize?: Size;
  /**
   * Timeout of one invocation (whole seconds).
   * @default Duration.seconds(120)
   */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency. Lambda keeps an account's unreserved pool at its minimum, so in an account
   * whose concurrency quota is still the new-account default any reservation fails to deploy: raise
   * the "Concurrent executions" quota first (docs/deploy.md).
   * @default no reservation (the function shares the account's pool)
   */
  readonly reservedConcurrency?: number;
  /**
   * Largest request to the monitor, in uncompressed NDJSON.
   * @default Size.bytes(5_000_000)
   */
  readonly maxRequestSize?: Size;
  /**
   * Timeout of one request to the monitor (whole milliseconds).
   * @default Duration.seconds(10)
   */
  readonly requestTimeout?: Duration;
  /** Pseudonymisation rules handed to the function. @default [] (the function's built-in defaults) */
  readonly pseudonymisation?: readonly PseudonymisationRule[];
  /** Retention of the function's own log group. @default ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** Handler entry file. @default {@link defaultShipperEntry} */
  readonly entry?: string;
  /**
   * The enclave network the shipper runs in: its traffic to the monitor (and to an archive in
   * another Region) leaves through the same-AZ security gateway like any workload's, and it reaches
   * Secrets Manager, SQS and a same-Region archive through the enclave's interface endpoints.
   * @default outside any VPC (only for tests of the shipper alone: an enclave's shipper always runs in it)
   */
  readonly network?: ShipperNetwork;
}

/** Where the shipper runs: the enclave VPC's workload subnets and the enclave's service endpoints. */
export interface ShipperNetwork {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly endpoints: ServiceEndpoints;
}

/**
 * One enclave's log shipper: a Node.js (arm64) function with reserved
 * concurrency, fed by CloudWatch Logs subscriptions, that delivers to the
 * independent monitor and the EU archive. Nothing is lost silently: events it
 * gives up on go to an event-level dead-letter queue, whole invocations that
 * fail are retried twice and then kept by an `OnFailure` queue, and alarms
 * fire on either.
 */
export class LogShipping extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** Event-level dead-letter queue (`CLOVER_DLQ_URL`): events the handler could not deliver, with reasons. */
  public readonly deadLetterQueue: sqs.Queue;
  /** `OnFailure` destination: invocations that failed after Lambda's async retries. */
  public readonly failureQueue: sqs.Queue;
  /** Where messages of the two queues go after repeated failed redrives. */
  public readonly parkingQueue: sqs.Queue;
  /** Bearer token of the monitor; operators put its value. */
  public readonly tokenSecret: secretsmanager.Secret;
  /** HMAC key of pseudonymisation (generated). */
  public readonly hmacSecret: secretsmanager.Secret;
  public readonly deadLetteredAlarm: cloudwatch.Alarm;
  public readonly failedInvocationsAlarm: cloudwatch.Alarm;
  /** Subscription filters by construct ID. */
  public readonly subscriptions: Readonly<Record<string, logs.CfnSubscriptionFilter>> = {};
  private readonly subscribed = new Map<string, string>();

  constructor(scope: Construct, id: string, props: LogShippingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { partition, region } = stack;
    const enclave = props.enclave;
    const archiveBucket = archiveBucketName(props.monitoringAccount, props.monitoringRegion);
    const key = props.encryptionKey;

    const queue = (queueId: string, extra: Partial<sqs.QueueProps> = {}) =>
      new sqs.Queue(this, queueId, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        ...extra,
      });
    this.parkingQueue = queue('Parked');
    designDecision(this.parkingQueue, 'TERMINAL_QUEUE');
    const redrive = { queue: this.parkingQueue, maxReceiveCount: 10 };
    this.deadLetterQueue = queue('DeadLetters', {
      deadLetterQueue: redrive,
      visibilityTimeout: Duration.minutes(5),
    });
    this.failureQueue = queue('FailedInvocations', {
      deadLetterQueue: redrive,
      visibilityTimeout: Duration.minutes(5),
    });

    this.tokenSecret = new secretsmanager.Secret(this, 'MonitorToken', {
      secretName: `clover/${enclave}/monitor-ingest-token`,
      description: `Bearer token of the independent monitor for enclave ${enclave}. Operators put the real value (aws secretsmanager put-secret-value); until then the monitor answers 401 and events are dead-lettered, which alarms.`,
      encryptionKey: key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.hmacSecret = new secretsmanager.Secret(this, 'PseudonymisationKey', {
      secretName: `clover/${enclave}/pseudonymisation-hmac-key`,
      description: `HMAC-SHA256 key that pseudonymises personal data in enclave ${enclave}'s logs (64 random characters). Changing it changes every token.`,
      encryptionKey: key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const secret of [this.tokenSecret, this.hmacSecret]) designDecision(secret, 'SHIPPER_SECRETS');

    const functionName = shipperFunctionName(enclave);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      encryptionKey: key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.role = new iam.Role(this, 'Role', {
      roleName: shipperRoleName(enclave),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Clover log shipper of enclave ${enclave}: reads its two secrets, writes the archive and its dead-letter queues`,
    });
    const via = (service: string) => ({
      StringEquals: { 'kms:ViaService': `${service}.${region}.${stack.urlSuffix}` },
    });
    const archiveObjects = `arn:${partition}:s3:::${archiveBucket}/${shipperPrefix(enclave, stack.account)}*`;
    const statements = [
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${this.logGroup.logGroupArn}`],
      }),
      new iam.PolicyStatement({
        sid: 'ReadSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.tokenSecret.secretArn, this.hmacSecret.secretArn],
      }),
      new iam.PolicyStatement({
        sid: 'DecryptSecrets',
        actions: ['kms:Decrypt'],
        resources: [key.keyArn],
        conditions: via('secretsmanager'),
      }),
      new iam.PolicyStatement({
        sid: 'DeadLetterEvents',
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn, this.failureQueue.queueArn],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptQueueMessages',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: via('sqs'),
      }),
      new iam.PolicyStatement({
        sid: 'WriteArchive',
        actions: ['s3:PutObject'],
        resources: [archiveObjects],
      }),
      archiveKeyStatement(stack, 'EncryptArchive', {
        account: props.monitoringAccount,
        region: props.monitoringRegion,
      }),
    ];
    if (props.network) statements.push(...networkInterfaceStatements(this));
    const policy = new iam.Policy(this, 'Policy', { statements });
    this.role.attachInlinePolicy(policy);
    designDecision(policy, 'SHIPPER_WILDCARDS');
    const environment: Record<string, string> = {
      ...shipperEnvironment({
        enclave,
        account: stack.account,
        ingestUrl: props.ingestUrl,
        tokenSecretArn: this.tokenSecret.secretArn,
        hmacSecretArn: this.hmacSecret.secretArn,
        archiveBucket,
        archiveBucketOwner: props.monitoringAccount,
        archiveRegion: props.monitoringRegion,
        deadLetterQueueUrl: this.deadLetterQueue.queueUrl,
        maxRequestBytes: props.maxRequestSize?.toBytes(),
        requestTimeoutMs: props.requestTimeout?.toMilliseconds(),
        pseudonymisation: props.pseudonymisation,
      }),
      POWERTOOLS_METRICS_NAMESPACE: SHIPPER_METRICS_NAMESPACE,
      POWERTOOLS_SERVICE_NAME: 'log-shipper',
      // A small young generation keeps peak memory for a maximum-size payload under 3× its
      // decompressed size at no measured speed cost (bench/shipper, docs/BENCHMARKS.md).
      NODE_OPTIONS: '--max-semi-space-size=2',
    };
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      description: `Clover log shipper of enclave ${enclave}: CloudWatch Logs subscriptions → pseudonymise → monitor (HTTPS) + EU archive`,
      entry: props.entry ?? defaultShipperEntry(),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: (props.memorySize ?? Size.mebibytes(1024)).toMebibytes(),
      timeout: props.timeout ?? Duration.seconds(120),
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new QueueFailureDestination(this.failureQueue),
      environment,
      ...(props.network ? this.placement(enclave, props.network) : {}),
      bundling: {
        externalModules: ['@aws-sdk/*'],
        minify: true,
        sourceMap: false,
        target: 'node20',
      },
    });
    this.function.node.addDependency(policy);
    this.function.node.addDependency(this.logGroup);
    if (props.network) designDecision(this.function, 'SHIPPER_IN_IMPORTED_VPC');
    this.declareShipperFlows(environment, archiveBucket, props.monitoringAccount, props.network?.endpoints);

    this.deadLetteredAlarm = alarmOnAny(this, 'DeadLetteredAlarm', {
      alarmName: cloverAlarmName(enclave, 'log-shipper-dead-lettered'),
      description: `The log shipper of enclave ${enclave} dead-lettered events (they did not reach the monitor; see ${this.deadLetterQueue.node.path})`,
      metric: new cloudwatch.Metric({
        namespace: SHIPPER_METRICS_NAMESPACE,
        metricName: 'DeadLettered',
        dimensionsMap: { enclave },
        statistic: 'Sum',
        period: Duration.minutes(1),
      }),
      topic: props.alarmTopic,
    });
    this.failedInvocationsAlarm = alarmOnQueueDepth(this, 'FailedInvocationsAlarm', {
      alarmName: cloverAlarmName(enclave, 'log-shipper-failed-invocations'),
      description: `Invocations of the log shipper of enclave ${enclave} failed after retries; payloads wait in the OnFailure queue for clover redrive`,
      queue: this.failureQueue,
      topic: props.alarmTopic,
    });
    alarmOnQueueDepth(this, 'ParkedAlarm', {
      alarmName: cloverAlarmName(enclave, 'log-shipper-parked'),
      description: `Messages of enclave ${enclave}'s shipper queues failed repeated redrives and were parked`,
      queue: this.parkingQueue,
      topic: props.alarmTopic,
    });
  }

  /** Workload subnets, and a security group that lets out HTTPS only (monitor, AWS endpoints, archive). */
  private placement(enclave: string, network: ShipperNetwork): Partial<nodejs.NodejsFunctionProps> {
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: network.vpc,
      description: `Clover log shipper of enclave ${enclave}: HTTPS out only, through the security gateway or to the AWS service endpoints`,
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the monitor and the archive (through the security gateway) and to the AWS service endpoints',
    );
    return { vpc: network.vpc, vpcSubnets: network.subnets, securityGroups: [securityGroup] };
  }

  /**
   * The calls the shipper's code makes, declared from the same definitions the
   * code builds them with (lambda/log-shipper/requests.ts), for the runtime flow proof.
   */
  private declareShipperFlows(
    environment: Record<string, string>,
    archiveBucket: string,
    monitoringAccount: string,
    endpoints: ServiceEndpoints | undefined,
  ): void {
    const stack = Stack.of(this);
    // Private DNS sends every call to a service of this Region through the enclave's endpoint.
    const through = (service: 's3' | 'sqs' | 'secretsmanager', region: string) =>
      endpoints && region === stack.region ? { vpcEndpoint: endpoints.endpoint(service).vpcEndpointId } : {};
    const role = this.role.roleArn;
    const endpointRegion = archiveClientSettings(environment).region ?? stack.region;
    const key = archiveKey(
      environment[SHIPPER_VARIABLES.enclave],
      environment[SHIPPER_VARIABLES.account],
      ['0'],
      0,
    );
    const put = archivePutObjectInput(
      { bucket: archiveBucket, expectedOwner: monitoringAccount },
      key,
      new Uint8Array(),
      0,
    );
    declareFlows(this.function.node.defaultChild as lambda.CfnFunction, [
      {
        id: 'archive-write',
        kind: 'required',
        description: `the log shipper of ${environment[SHIPPER_VARIABLES.enclave]} writes a batch to the evidence archive`,
        principal: role,
        action: 's3:PutObject',
        resource: `arn:${stack.partition}:s3:::${archiveBucket}/${key}`,
        context: putObjectConditionKeys(put),
        endpointRegion,
        ...through('s3', endpointRegion),
      },
      {
        id: 'dead-letter',
        kind: 'required',
        description: `the log shipper of ${environment[SHIPPER_VARIABLES.enclave]} dead-letters events it could not deliver`,
        principal: role,
        action: 'sqs:SendMessage',
        resource: this.deadLetterQueue.queueArn,
        endpointRegion: stack.region,
        ...through('sqs', stack.region),
      },
      ...[this.tokenSecret, this.hmacSecret].map((secret, position) => ({
        id: position === 0 ? 'monitor-token' : 'pseudonymisation-key',
        kind: 'required' as const,
        description: `the log shipper of ${environment[SHIPPER_VARIABLES.enclave]} reads its ${position === 0 ? 'monitor token' : 'pseudonymisation key'}`,
        principal: role,
        action: 'secretsmanager:GetSecretValue',
        resource: secret.secretArn,
        endpointRegion: stack.region,
        ...through('secretsmanager', stack.region),
      })),
    ]);
  }

  /**
   * Subscribes the shipper to a log group of this account and region, by name: a
   * `lambda:InvokeFunction` permission for CloudWatch Logs limited to that log
   * group (`SourceArn`) and account (`SourceAccount`), then the filter.
   */
  public subscribe(id: string, logGroupName: string): logs.CfnSubscriptionFilter {
    const earlier = this.subscribed.get(logGroupName);
    if (earlier !== undefined) {
      throw new Error(
        `log group ${logGroupName} is already subscribed as "${earlier}"; subscribe each log group once`,
      );
    }
    const stack = Stack.of(this);
    const sourceArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${logGroupName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const permission = new lambda.CfnPermission(this, `${id}Invoke`, {
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionArn,
      principal: new iam.ServicePrincipal('logs.amazonaws.com').service,
      sourceArn,
      sourceAccount: stack.account,
    });
    const filter = new logs.CfnSubscriptionFilter(this, id, {
      logGroupName,
      destinationArn: this.function.functionArn,
      // No fixed filter name: a replaced subscription then never deletes its successor.
      filterPattern: '',
    });
    filter.node.addDependency(permission);
    this.subscribed.set(logGroupName, id);
    (this.subscriptions as Record<string, logs.CfnSubscriptionFilter>)[id] = filter;
    return filter;
  }
}

/** An `OnFailure` destination that grants exactly what Lambda needs to put a failed event on an encrypted queue. */
class QueueFailureDestination implements lambda.IDestination {
  constructor(private readonly queue: sqs.IQueue) {}

  public bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    // Lambda sends with the execution role; the policy statements above already cover this queue and its key.
    void fn;
    return { destination: this.queue.queueArn };
  }
}
