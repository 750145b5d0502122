import { collectGateFindings } from '../../lib/app/gate';
import { buildTestApp } from '../helpers/app';
import { CDK_JSON_CONTEXT } from './cdk-json-context';

/**
 * Gate findings (CloverChecks, AwsSolutions) on the Logging and Monitoring stacks of one synth;
 * cfn-validate runs once for every stack in test/app/default-gate.test.ts.
 */
function loggingGateFindings(context: Record<string, unknown>) {
  const built = buildTestApp(context, { cfnValidate: false });
  const assembly = built.app.synth({ force: true });
  const { findings } = collectGateFindings(assembly.directory, built.cloverChecks);
  return findings.filter((f) => /(^|\/)(Logging|Monitoring)(\/|$)/.test(f.path ?? f.stack));
}

describe('the policy gate on the Logging and Monitoring stacks', () => {
  test('finds nothing with cdk.json’s context (as `cdk synth` runs)', () => {
    expect(loggingGateFindings(CDK_JSON_CONTEXT).map((f) => `${f.rule} at ${f.path}: ${f.message}`)).toEqual(
      [],
    );
  });
});
