// aws-cdk-lib runs its "CloudFormation Validate" plugin (cfn-lint, WASM) on
// every synth, including each Template.fromStack; its start-up costs ~2.5 s a
// test file. Unit tests assert on templates, not on cfn-lint, so it is off
// here (CDK_VALIDATION=false is aws-cdk-lib's own switch). The tests that are
// about cfn-lint turn it back on: test/app/default-gate.test.ts synthesizes
// the whole default app with it, as `npx cdk synth` does, and the audit CLI's
// cfn-validate pack calls the plugin directly.
process.env.CDK_VALIDATION = 'false';
