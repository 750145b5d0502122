import { collectGateFindings, GateResult } from '../../lib/app/gate';
import { buildTestApp } from '../helpers/app';

/**
 * The one synth of the whole default app with every validation plugin on, as
 * `npx cdk synth` runs it: CloverChecks, AwsSolutions and CloudFormation
 * Validate (cfn-lint). Other test files skip cfn-validate to stay fast.
 */
describe('the policy gate on the default synth', () => {
  let gate: GateResult;
  beforeAll(() => {
    // test/setup-env.js turns cfn-lint off for unit tests; this is the test that keeps it on.
    delete process.env.CDK_VALIDATION;
    const built = buildTestApp();
    gate = collectGateFindings(built.app.synth({ force: true }).directory, built.cloverChecks);
  });

  test('finds no error from any pack in any stack', () => {
    expect(
      gate.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} at ${f.path}: ${f.message}`),
    ).toEqual([]);
    expect(gate.errors).toBe(0);
  });

  test('warns only about the real AZ names in the network stacks (cfn-lint W3010), on purpose', () => {
    const warnings = gate.findings.filter((f) => f.severity === 'warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect([...new Set(warnings.map((f) => f.rule))]).toEqual(['W3010']);
    expect(warnings.filter((f) => !/^[a-z0-9-]+\/Network\//.test(f.path ?? ''))).toEqual([]);
  });
});
