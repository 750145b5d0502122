import { auditJson, clover, FIXTURES } from './cli';

jest.setTimeout(120_000);

const RULE = 'examples/rules/DataClassificationTag.ts';

describe('clover audit --rules', () => {
  test.concurrent(
    'runs the example rule beside CloverChecks: the compliant fixture’s untagged stores fail it',
    async () => {
      const { code, report } = await auditJson([`${FIXTURES}/compliant.json`, '--rules', RULE]);
      expect(code).toBe(1);
      const findings = report!.findings.filter((finding) => finding.rule === 'EXAMPLE-TAG-1');
      expect(findings.map((finding) => finding.resource)).toEqual([
        'ApplianceLogGroup',
        'Bucket',
        'DeadLetterQueue',
        'FlowLogGroup',
        'TrailLogGroup',
      ]);
      // Only the rule of your own fails: CloverChecks still passes the fixture.
      expect(report!.findings.every((finding) => finding.rule === 'EXAMPLE-TAG-1')).toBe(true);
    },
  );

  test.concurrent(
    'a module that exports no valid rule is bad input (exit 2), each problem named',
    async () => {
      const { code, stdout, stderr } = await clover([
        'audit',
        `${FIXTURES}/compliant.json`,
        '--rules',
        'package.json',
      ]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/--rules: rule module package\.json exports no rule; export a CloverRule/);
    },
  );
});
