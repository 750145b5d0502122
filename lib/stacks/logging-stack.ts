import { Duration, Size } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { alarmTopicName, SECURITY_EVENT_BUS_NAME } from '../config/naming';
import { allowedRegionCodes, findRegion } from '../config/regions';
import { dataBucketName } from '../constructs/data-vault/naming';
import { DataAccessAnomaly } from '../constructs/log-shipping/data-access-anomaly';
import { EnclaveTrail } from '../constructs/log-shipping/enclave-trail';
import { enclaveLogSources, LogSource } from '../constructs/log-shipping/log-sources';
import { LogShipping } from '../constructs/log-shipping/log-shipping';
import type { EnclaveNetwork } from '../constructs/enclave-network/enclave-network';
import { SecurityEventForwarding } from '../constructs/monitoring/security-event-forwarding';
import { securityEventCategories } from '../constructs/monitoring/security-events';
import { allowAlarmsToPublish } from '../constructs/monitoring/service-grants';
import { ServiceKey } from '../constructs/monitoring/service-key';
import { InterimPhaseNotice } from '../constructs/migration/phase-notice';
import { designDecision } from '../constructs/design-decision';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface LoggingStackProps extends CloverStackProps {
  readonly enclaveConfig: EnclaveConfig;
  readonly config: CloverConfig;
  /**
   * The enclave network (Network stack): the shipper runs in its workload subnets. Absent only for a
   * decommissioned interim enclave, which has no network left; its shipper forwards the trail alone.
   */
  readonly network?: EnclaveNetwork;
  /**
   * Handler entry of the log shipper.
   * @default lambda/log-shipper/index.ts of this repository
   */
  readonly shipperEntry?: string;
}

/**
 * An enclave's logging: its CloudTrail trail, the log shipper subscribed (by
 * name) to the flow-log, appliance, trail and application log groups, the
 * S3 data-access anomaly alarm, and the forwarding of security events to the
 * monitoring plane's bus.
 */
export class LoggingStack extends CloverStack {
  public readonly key: ServiceKey;
  public readonly alarmTopic: sns.Topic;
  public readonly trail: EnclaveTrail;
  public readonly shipping: LogShipping;
  public readonly logSources: readonly LogSource[];
  public readonly forwarding: SecurityEventForwarding;

  constructor(scope: Construct, id: string, props: LoggingStackProps) {
    super(scope, id, props);
    const { enclaveConfig: enclave, config } = props;
    const { partition } = this;

    this.key = new ServiceKey(this, 'Key', {
      alias: `clover-${enclave.name}-logging`,
      description: `Clover enclave ${enclave.name}: trail, log groups, shipper queues and secrets, alarm topic`,
      services: ['logs', 'cloudtrail'],
    });
    this.alarmTopic = new sns.Topic(this, 'Alarms', {
      topicName: alarmTopicName(enclave.name),
      displayName: `Clover ${enclave.name} logging alarms`,
      masterKey: this.key.key,
      enforceSSL: true,
    });
    allowAlarmsToPublish(this.alarmTopic, this.key.key);
    if (config.monitoring.alertUrl !== undefined) {
      this.alarmTopic.addSubscription(
        new subscriptions.UrlSubscription(config.monitoring.alertUrl, {
          protocol: sns.SubscriptionProtocol.HTTPS,
        }),
      );
    }

    this.trail = new EnclaveTrail(this, 'Trail', {
      enclave: enclave.name,
      encryptionKey: this.key.key,
      // Regions of the allowed jurisdictions in the enclave's partition, and its own (an interim enclave's).
      allowedRegions: [
        ...allowedRegionCodes(config.residency.allowJurisdictions).filter(
          (code) => findRegion(code)?.partition === findRegion(enclave.region)?.partition,
        ),
        enclave.region,
      ],
      alarmTopic: this.alarmTopic,
      s3DataArnPrefixes: enclave.dataClasses.map(
        (dataClass) =>
          `arn:${partition}:s3:::${dataBucketName(enclave.name, dataClass, enclave.account, enclave.region)}/`,
      ),
      // An enclave account holds only the enclave's data: every table of the account and Region is a data store.
      dynamoDbDataArnPrefixes: [`arn:${partition}:dynamodb:${enclave.region}:${enclave.account}:table/`],
    });

    this.shipping = new LogShipping(this, 'Shipper', {
      enclave: enclave.name,
      ingestUrl: config.monitoring.ingestUrl,
      monitoringAccount: config.monitoring.account,
      monitoringRegion: config.monitoring.region,
      encryptionKey: this.key.key,
      alarmTopic: this.alarmTopic,
      memorySize: Size.mebibytes(config.shipper.memoryMb),
      timeout: Duration.seconds(config.shipper.timeoutSeconds),
      reservedConcurrency: config.shipper.reservedConcurrency,
      maxRequestSize: Size.bytes(config.shipper.maxRequestBytes),
      pseudonymisation: config.shipper.pseudonymisation,
      entry: props.shipperEntry,
      network: props.network && {
        vpc: props.network.vpc,
        subnets: { subnets: props.network.vpc.privateSubnets.concat(props.network.vpc.isolatedSubnets) },
        endpoints: props.network.serviceEndpoints,
      },
    });
    if (!props.network) designDecision(this.shipping.function, 'DECOMMISSIONED_SHIPPER_OUTSIDE_VPC');
    // A decommissioned enclave has no network and no workloads left: only its trail is shipped.
    const decommissioned = enclave.interim?.phase === 'decommissioned';
    this.logSources = enclaveLogSources(enclave, config).filter(
      (source) => !decommissioned || source.kind === 'trail',
    );
    for (const source of this.logSources) {
      const filter = this.shipping.subscribe(source.id, source.logGroupName);
      // The trail's log group is created here; the others exist before this stack (Network stack, applications).
      if (source.kind === 'trail') filter.node.addDependency(this.trail.logGroup);
    }

    new DataAccessAnomaly(this, 'DataAccessAnomaly', {
      enclave: enclave.name,
      trailLogGroup: this.trail.logGroup,
      alarmTopic: this.alarmTopic,
    });

    if (enclave.interim) {
      new InterimPhaseNotice(this, 'InterimPhase', {
        enclave: enclave.name,
        region: enclave.region,
        interim: enclave.interim,
        logKey: this.key.key,
      });
    }

    const { account: monitoringAccount, region: monitoringRegion } = config.monitoring;
    this.forwarding = new SecurityEventForwarding(this, 'SecurityEvents', {
      enclave: enclave.name,
      targetBusArn: `arn:${partition}:events:${monitoringRegion}:${monitoringAccount}:event-bus/${SECURITY_EVENT_BUS_NAME}`,
      // This account's trail records its own roles, and the replication roles of enclaves writing into it.
      categories: securityEventCategories({
        enclaves: [
          enclave.name,
          ...config.replication.filter((pair) => pair.to === enclave.name).map((pair) => pair.from),
        ].filter((name, index, names) => names.indexOf(name) === index),
        blockedJurisdictions: config.residency.blockedJurisdictions,
      }),
      encryptionKey: this.key.key,
      alarmTopic: this.alarmTopic,
    });
  }
}
