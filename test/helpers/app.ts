import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildCloverApp, CloverApp } from '../../lib/app/clover-app';

/** The context of cdk.json (feature flags), which the CDK CLI passes to the app: tests see what `cdk synth` sees. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

/** Context for unit tests: cdk.json's flags, no asset bundling, a fixed date. */
export const TEST_CONTEXT = { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], today: '2026-11-23' };

/**
 * Builds the Clover App for a test, with bundling skipped; `context.config` names a config file.
 * cfn-lint does not run (test/setup-env.js); test/app/default-synth.test.ts runs it on the default app.
 */
export function buildTestApp(context: Record<string, unknown> = {}): CloverApp {
  return buildCloverApp({ context: { ...TEST_CONTEXT, ...context } });
}

/** Every stack in a built app (all stages), with its synthesized template. */
export function allStacks(built: CloverApp): Array<{ stack: Stack; template: Template }> {
  const stacks = built.app.node.findAll().filter((construct): construct is Stack => Stack.isStack(construct));
  return stacks.map((stack) => ({ stack, template: Template.fromStack(stack) }));
}
