/**
 * The answer a Lambda-backed custom resource owes CloudFormation: a PUT of a JSON body to the
 * pre-signed `ResponseURL` of the event. Shared by Clover's deploy-time handlers; no CDK.
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';

export interface Outcome {
  readonly physicalResourceId: string;
  readonly error?: Error;
  /** Reason written on success. @default 'done' */
  readonly reason?: string;
}

/** The body CloudFormation expects at the pre-signed response URL. */
export function responseBody(event: CloudFormationCustomResourceEvent, outcome: Outcome): string {
  return JSON.stringify({
    Status: outcome.error ? 'FAILED' : 'SUCCESS',
    Reason: outcome.error ? outcome.error.message.slice(0, 3000) : (outcome.reason ?? 'done'),
    PhysicalResourceId: outcome.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
}

/**
 * Runs `work` and always answers CloudFormation: SUCCESS with the physical ID it returns, or FAILED
 * with its error's message (a failed Create gets a placeholder ID, so the rollback's Delete is a no-op).
 */
export async function answerCloudFormation(
  event: CloudFormationCustomResourceEvent,
  context: Context,
  work: (deadline: number) => Promise<string>,
  successReason: string,
): Promise<void> {
  const fallbackId =
    event.RequestType === 'Create' ? `${event.LogicalResourceId}-failed` : event.PhysicalResourceId;
  let body: string;
  try {
    const physicalResourceId = await work(Date.now() + context.getRemainingTimeInMillis() - 30_000);
    body = responseBody(event, { physicalResourceId, reason: successReason });
  } catch (error) {
    console.error(error);
    body = responseBody(event, { physicalResourceId: fallbackId, error: error as Error });
  }
  const response = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!response.ok) throw new Error(`CloudFormation response failed: HTTP ${response.status}`);
}
