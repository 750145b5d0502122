// A Clover app with a workload of your own in every enclave: an ECS service
// and an RDS database (docs/workloads.md). From the installed package, import
// from 'clover-enclave' instead of '../lib'. Synthesize it with
//   npx cdk synth --app 'node -r ./scripts/register-ts.js examples/workload-app.ts'
import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, CloverApp, runCloverApp } from '../lib';

export interface OrdersStackProps extends StackProps {
  /** The enclave's VPC: its private subnets route through the security gateway. */
  readonly vpc: ec2.IVpc;
  /** The enclave's queue, to which the service sends each order. */
  readonly queue: sqs.IQueue;
  /** The enclave key that encrypts the queue. */
  readonly queueKey: kms.IKey;
}

/**
 * An orders service: a Fargate service that sends to the enclave's queue, and
 * its PostgreSQL database. Both run in the enclave's private subnets.
 */
export class OrdersStack extends Stack {
  public readonly service: ecs.FargateService;
  public readonly database: rds.DatabaseInstance;

  constructor(scope: Construct, id: string, props: OrdersStackProps) {
    super(scope, id, props);
    // The enclave keys serve S3, DynamoDB, SQS and SNS only; the database and the logs get a key of their own.
    const key = new kms.Key(this, 'Key', {
      description: 'Orders: database, its secret and the service logs',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs may use it for this account's log groups only (CLV-RUN proves no other account can).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*`,
          },
        },
      }),
    );

    this.database = new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      vpc: props.vpc,
      storageEncrypted: true,
      storageEncryptionKey: key,
      // RDS keeps and rotates the password: addRotationSingleUser() deploys a rotation application from
      // the Serverless Application Repository in us-east-1, which CLV-RES-2 rejects.
      manageMasterUserPassword: true,
      credentials: rds.Credentials.fromUsername('orders', { encryptionKey: key }),
      multiAz: true,
      port: 5433,
      iamAuthentication: true,
      deletionProtection: true,
      backupRetention: Duration.days(35),
      cloudwatchLogsExports: ['postgresql'],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const task = new ecs.FargateTaskDefinition(this, 'Task', { cpu: 256, memoryLimitMiB: 512 });
    task.addContainer('Orders', {
      image: ecs.ContainerImage.fromEcrRepository(
        ecr.Repository.fromRepositoryName(this, 'Image', 'orders'),
        '1.0.0',
      ),
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'orders',
        logGroup: new logs.LogGroup(this, 'Logs', {
          encryptionKey: key,
          retention: logs.RetentionDays.ONE_YEAR,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
      }),
      secrets: { DATABASE: ecs.Secret.fromSecretsManager(this.database.secret!) },
      command: ['--queue', props.queue.queueUrl],
    });
    // Exact actions: grantSendMessages would add kms:GenerateDataKey* (a wildcard AwsSolutions-IAM5 rejects).
    task.addToTaskRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.queue.queueArn] }),
    );
    task.addToTaskRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.queueKey.keyArn],
      }),
    );
    acknowledge(task.obtainExecutionRole(), {
      rule: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken, which pulls the image, supports no resource-level permissions',
      expires: '2027-06-30',
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: 2,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
    });
    this.database.connections.allowDefaultPortFrom(this.service);
  }
}

/** Adds the orders workload to every enclave that still has a network. */
export function addOrders(built: CloverApp): void {
  for (const stage of built.enclaveStages) {
    if (!stage.network) continue;
    stage.addWorkload('Orders', (scope, enclave) => {
      return new OrdersStack(scope, 'Orders', {
        vpc: enclave.network.vpc,
        queue: enclave.vault.queue,
        queueKey: enclave.vault.keys[enclave.vault.primaryDataClass],
      });
    });
  }
}

if (require.main === module) {
  void runCloverApp({ workloads: addOrders }).then((code) => {
    process.exitCode = code;
  });
}
