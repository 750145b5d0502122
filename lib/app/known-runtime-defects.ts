import type { IConstruct } from 'constructs';
import { acknowledge } from '../nag/acknowledge';

/** A CLV-RUN finding of today's default that stands for a known defect, until its fix lands. */
interface KnownDefect {
  readonly rule: string;
  /** Construct path inside the stage (`Logging/Trail/Trail`). */
  readonly path: string;
  /** The defect the finding stands for (the issue that fixes it names the same item). */
  readonly defect: string;
}

/**
 * Every CLV-RUN finding of the default synth, each with the defect it stands for,
 * recorded in one place so that `npx cdk synth` keeps passing while the fixes are
 * made. Residency stays unwaivable; each entry goes with its fix.
 */
export const KNOWN_RUNTIME_DEFECTS: readonly KnownDefect[] = [
  {
    rule: 'CLV-RUN-2',
    path: 'Logging/Shipper/Function',
    defect:
      'defect 1: the archive policy denies every write the shipper makes (no SSE header under StringNotEqualsIfExists); defect 2: Hamar’s shipper builds its S3 client in its own region',
  },
  ...[
    'Shipper/DeadLetteredAlarm',
    'Shipper/FailedInvocationsAlarm',
    'Shipper/ParkedAlarm',
    'DataAccessAnomaly/Alarm',
    'SecurityEvents/UndeliveredAlarm',
  ].map((alarm) => ({
    rule: 'CLV-RUN-1',
    path: `Logging/${alarm}`,
    defect: 'defect 3: the Logging stack’s alarm topic refuses CloudWatch',
  })),
  {
    rule: 'CLV-RUN-1',
    path: 'Logging/Trail/Trail',
    defect:
      'defect 4: CloudTrail cannot describe its key (DescribeKey sits under an encryption-context condition)',
  },
  {
    rule: 'CLV-RUN-5',
    path: 'Access/IndependentAuditor',
    defect: 'defect 7: the independent auditor reads raw CloudTrail and flow-log events',
  },
  {
    rule: 'CLV-RUN-3',
    path: 'Access/IndependentAuditor',
    defect: 'defect 7: the auditor role trusts the whole monitoring account',
  },
  {
    rule: 'CLV-RUN-3',
    path: 'Monitoring/AuditorRole',
    defect: 'defect 7: the monitoring auditor role trusts the whole provider account',
  },
  {
    rule: 'CLV-RUN-3',
    path: 'Monitoring/SecurityEvents/Bus',
    defect: 'defect 8: the security bus accepts PutEvents from any principal of the enclave accounts',
  },
  {
    rule: 'CLV-RUN-4',
    path: 'Monitoring/SecurityEvents/Alerts',
    defect: 'defect 8: the alert topic lets EventBridge publish with no source condition',
  },
  {
    rule: 'CLV-RUN-4',
    path: 'Monitoring/AlertKey',
    defect: 'defect 8: the alert key lets EventBridge use it for any topic',
  },
  {
    rule: 'CLV-RUN-4',
    path: 'Logging/Key',
    defect: 'defect 8: the logging key lets CloudWatch and EventBridge use it for any account',
  },
  {
    rule: 'CLV-RUN-4',
    path: 'Logging/SecurityEvents/Role',
    defect: 'defect 8: the forwarding role trusts EventBridge with no source condition',
  },
  {
    rule: 'CLV-RUN-4',
    path: 'Logging/Trail/Trail/LogsRole',
    defect: 'defect 8: the trail’s logs role trusts CloudTrail with no source condition',
  },
  {
    rule: 'CLV-RUN-4',
    path: 'Logging/Trail/Logs',
    defect: 'defect 8: the trail bucket lets CloudTrail write for any account',
  },
  {
    rule: 'CLV-RUN-4',
    path: 'Network/Gateway/Alarms/TopicKey',
    defect: 'defect 8: the gateway alarm key lets CloudWatch use it for any account',
  },
];

/** Last day the known-defect acknowledgments hold: they are meant to go with their fixes, not to stay. */
const FIX_BY = '2026-12-31';

/** Records the known defects on a stage's constructs (only those the stage has). */
export function acknowledgeKnownRuntimeDefects(stage: IConstruct): void {
  for (const known of KNOWN_RUNTIME_DEFECTS) {
    let scope: IConstruct | undefined = stage;
    for (const id of known.path.split('/')) scope = scope?.node.tryFindChild(id);
    if (scope)
      acknowledge(scope, {
        rule: known.rule,
        reason: `Known defect, fix pending: ${known.defect}`,
        expires: FIX_BY,
      });
  }
}
