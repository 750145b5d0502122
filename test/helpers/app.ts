import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildCloverApp, CloverApp } from '../../lib/app/clover-app';

/** Context for unit tests: no asset bundling, a fixed date. */
export const TEST_CONTEXT = { 'aws:cdk:bundling-stacks': [], today: '2026-11-23' };

/** Builds the Clover App for a test, with bundling skipped; `context.config` names a config file. */
export function buildTestApp(context: Record<string, unknown> = {}): CloverApp {
  return buildCloverApp({ context: { ...TEST_CONTEXT, ...context } });
}

/** Every stack in a built app (all stages), with its synthesized template. */
export function allStacks(built: CloverApp): Array<{ stack: Stack; template: Template }> {
  const stacks = built.app.node.findAll().filter((construct): construct is Stack => Stack.isStack(construct));
  return stacks.map((stack) => ({ stack, template: Template.fromStack(stack) }));
}
