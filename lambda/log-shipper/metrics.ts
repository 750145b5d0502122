import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SHIPPER_METRICS_NAMESPACE } from '../../lib/config/shipper-contract';
import type { Counters } from './types';

export const METRICS_NAMESPACE = SHIPPER_METRICS_NAMESPACE;

/** Metric names the wiring alarms on (DeadLettered Sum ≥ 1). */
export const METRIC_NAMES = {
  eventsIn: 'EventsIn',
  delivered: 'Delivered',
  archived: 'Archived',
  retries: 'Retried',
  deadLettered: 'DeadLettered',
} as const;

/**
 * EMF metrics with `enclave` as the only dimension: Powertools adds `service`
 * by default, which would make the wiring's alarm (dimension enclave) match
 * nothing, so the defaults are cleared.
 */
export function createMetrics(
  enclave: string,
  namespace = process.env.POWERTOOLS_METRICS_NAMESPACE,
): Metrics {
  const metrics = new Metrics({ namespace: namespace || METRICS_NAMESPACE });
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ enclave });
  return metrics;
}

/** Writes one EMF document with the run's counters to stdout. */
export function publishRunMetrics(metrics: Metrics, counters: Counters): void {
  for (const [field, name] of Object.entries(METRIC_NAMES) as Array<[keyof typeof METRIC_NAMES, string]>) {
    metrics.addMetric(name, MetricUnit.Count, counters[field]);
  }
  metrics.publishStoredMetrics();
}
