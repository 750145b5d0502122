import { loadInputs } from './inputs';
import type { AuditOptions } from './options';
import type { AuditResult } from './report';

/**
 * Audits the inputs named in the options. Inputs are read and checked first,
 * so bad input fails fast (AuditInputError) before the rules are loaded.
 */
export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const inputs = loadInputs(options.inputs, { region: options.region });
  const { evaluateInputs } = await import('./evaluate');
  return evaluateInputs(inputs, options);
}
