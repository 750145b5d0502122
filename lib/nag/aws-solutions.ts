import { IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Runs `fn` with jsii deprecation warnings off, then restores the user's
 * JSII_DEPRECATED mode. For cdk-nag's rule walk only: its EventBusOpenAccess
 * rule reads `CfnEventBusPolicy#principal`, a deprecated property that Clover
 * never sets, and every synth printed "[WARNING] aws-cdk-lib.aws_events.
 * CfnEventBusPolicy#principal is deprecated": a warning about cdk-nag's code,
 * shown to the user as if about theirs. Deprecations in Clover's or the
 * user's constructs are reported as before, when those constructs are built.
 */
export function withoutJsiiDeprecationWarnings<T>(fn: () => T): T {
  const mode = process.env.JSII_DEPRECATED;
  process.env.JSII_DEPRECATED = 'quiet';
  try {
    return fn();
  } finally {
    if (mode === undefined) delete process.env.JSII_DEPRECATED;
    else process.env.JSII_DEPRECATED = mode;
  }
}

/** cdk-nag's AwsSolutions pack, as registered on the Clover App: its rules run without jsii deprecation warnings. */
export class CloverAwsSolutionsChecks extends AwsSolutionsChecks {
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return withoutJsiiDeprecationWarnings(() => super.validate(context));
  }
}
