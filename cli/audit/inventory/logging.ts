import { describeValue } from '../../../lib/audit/iam';
import { analyseLogging } from '../../../lib/audit/logging';
import type { TemplateIndex } from '../../../lib/audit/template';

/** How a shipper handles events it cannot deliver. */
export interface ShipperRow {
  /** Logical ID of the shipper function. */
  readonly function: string;
  readonly onFailure: string | null;
  readonly deadLetterQueue: string | null;
}

/** One row of the log coverage: a log group, whether it is shipped, by which function, with which DLQ. */
export interface LogCoverageRow {
  readonly stack: string;
  /** The log group name, or its logical ID when the template names none. */
  readonly logGroup: string;
  /** Logical ID of the log group resource, or null for a group only named by a subscription. */
  readonly resource: string | null;
  /** Why the independent monitor must see it (flow-log destination, trail destination, …); empty otherwise. */
  readonly enclaveReasons: readonly string[];
  readonly retentionDays: string | null;
  readonly kmsKey: string | null;
  /** `shipped`, `subscribed by name` (from the enclave's Logging stack), or `not shipped`. */
  readonly status: 'shipped' | 'subscribed by name' | 'not shipped';
  readonly shippers: readonly ShipperRow[];
}

/** The log coverage of one stack, from the shared analyser the CLV-LOG rules use. */
export function logCoverageRows(index: TemplateIndex): LogCoverageRow[] {
  const analysis = analyseLogging(index);
  return analysis.logGroups.map((group) => {
    const shippers = group.subscriptions.flatMap((subscription): ShipperRow[] => {
      const shipper = subscription.functionId ? analysis.shipper(subscription.functionId) : undefined;
      if (!shipper) {
        return [
          {
            function: subscription.destination ?? subscription.functionId ?? '(unknown)',
            onFailure: null,
            deadLetterQueue: null,
          },
        ];
      }
      return [
        {
          function: shipper.logicalId,
          onFailure: shipper.onFailure ?? null,
          deadLetterQueue: shipper.deadLetter ?? null,
        },
      ];
    });
    return {
      stack: index.context.stackName,
      logGroup: group.name ?? group.logicalId ?? '(unnamed)',
      resource: group.logicalId ?? null,
      enclaveReasons: group.enclaveReasons,
      retentionDays: group.retentionDays === undefined ? null : describeValue(group.retentionDays),
      kmsKey: group.kmsKey === undefined ? null : describeValue(group.kmsKey),
      status: shippers.length > 0 ? 'shipped' : group.subscribedByName ? 'subscribed by name' : 'not shipped',
      shippers,
    };
  });
}
