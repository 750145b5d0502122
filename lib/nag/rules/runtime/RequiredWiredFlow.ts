import type { RuntimeFlowRule } from '../../../audit/rule';

/** What the templates wire together must work: a service that is told to deliver must be allowed to. */
export const RequiredWiredFlow: RuntimeFlowRule = {
  id: 'CLV-RUN-1',
  family: 'RUN',
  severity: 'error',
  judges:
    'required flows derived from template wiring: subscription filters, flow logs, alarm actions, S3 replication, trails, Lambda destinations, event rule targets, S3 notifications, encrypted log groups and event buses, SNS subscriptions',
  info: 'A flow that the templates wire (a service delivering logs, alarms, events or replicas) is refused by a policy layer at run time.',
  explanation:
    'CloudFormation deploys a subscription, an alarm action or a replication rule whether or not the receiving side lets the service in; the failure only shows at run time, as logs, alarms or replicas that silently never arrive. The proof builds the request the service really sends (principal, action, resource, aws:SourceArn / aws:SourceAccount, encryption context, region) and evaluates it against every policy layer in the inputs with @cloud-copilot/iam-simulate.',
  fix: 'Change the statement the finding names so that it allows the request, scoped by the source the service sends (aws:SourceArn, aws:SourceAccount, or the encryption context for KMS).',
};
