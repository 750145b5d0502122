import * as path from 'path';
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { handlerEntry } from '../handler-entry';
import { designDecision } from '../design-decision';
import { alarmOnAny } from '../monitoring/alarms';

/** The handler entry `lambda/migration/<name>.ts` (or the compiled `.js` next to it). */
export function migrationEntry(name: string): string {
  return handlerEntry(path.resolve(__dirname, '..', '..', '..', 'lambda', 'migration'), name);
}

export interface MigrationFunctionProps {
  /** Physical function name; its log group is `/aws/lambda/<name>`. */
  readonly functionName: string;
  readonly roleName: string;
  readonly description: string;
  /** Handler entry file. */
  readonly entry: string;
  /** Key of the function's log group (its policy must allow `logs`). */
  readonly logKey: kms.IKey;
  readonly environment: Readonly<Record<string, string>>;
  readonly statements: readonly iam.PolicyStatement[];
  /** When the function runs: one rule per entry, with the event it receives. */
  readonly schedules: ReadonlyArray<{
    readonly id: string;
    readonly schedule: events.Schedule;
    readonly input?: Readonly<Record<string, string>>;
  }>;
  /** Topic that the errors alarm notifies (the enclave's alarm topic, which the monitor subscribes to). */
  readonly alarmTopic: sns.ITopic;
  readonly timeout: Duration;
  readonly memoryMb: number;
  /**
   * `/tmp` of the function (reports are copied there to be compared).
   * @default 512 MiB
   */
  readonly ephemeralStorage?: Size;
}

/**
 * A scheduled migration function: its own role (only the statements given, plus
 * its log group), a KMS-encrypted log group kept a year, JSON logs, and an alarm
 * on any error, since a failed run leaves the migration without progress or proof.
 */
export class MigrationFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: MigrationFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      encryptionKey: props.logKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
        ...props.statements,
      ],
    });
    this.role.attachInlinePolicy(this.policy);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: props.entry,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      ephemeralStorageSize: props.ephemeralStorage,
      timeout: props.timeout,
      // Scheduled runs are retried by the next run; a failed one alarms instead of retrying blindly.
      retryAttempts: 0,
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: { ...props.environment },
      bundling: { externalModules: ['@aws-sdk/*'], minify: true, sourceMap: false, target: 'node20' },
    });
    this.function.node.addDependency(this.policy);
    // Outside the enclave VPC: in it, the requests to the other enclave's account need endpoint policies
    // that admit that account (open, docs/migration.md).
    designDecision(this.function, 'MIGRATION_FUNCTION_OUTSIDE_VPC');
    for (const schedule of props.schedules) {
      new events.Rule(this, schedule.id, {
        description: `Clover: runs ${props.functionName} (${schedule.id})`,
        schedule: schedule.schedule,
        targets: [
          new targets.LambdaFunction(this.function, {
            event: events.RuleTargetInput.fromObject(schedule.input ?? {}),
            retryAttempts: 2,
          }),
        ],
      });
    }
    alarmOnAny(this, 'ErrorsAlarm', {
      alarmName: `${props.functionName}-errors`,
      description: `${props.functionName} failed: ${props.description}`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      topic: props.alarmTopic,
    });
  }
}
