// aws-cdk-lib runs its "CloudFormation Validate" plugin (cfn-lint, WASM) on
// every synth, including each Template.fromStack; its start-up costs ~2.5 s a
// test file. Unit tests assert on templates, not on cfn-lint, so it is off
// here (CDK_VALIDATION=false is aws-cdk-lib's own switch). The tests that are
// about cfn-lint turn it back on: test/app/default-synth.test.ts synthesizes
// the whole default app with it, as `npx cdk synth` does; the guardrails stack
// test and the audit CLI's cfn-validate pack call the plugin directly. This
// file runs before every test file, so a file that turns it on affects no other.
process.env.CDK_VALIDATION = 'false';

// Every CfnElement records the stack trace of its creation unless context says
// not to; the CDK CLI says so on every `cdk synth`, tests must say it themselves
// (App reads CDK_CONTEXT_JSON as the CLI passes it). Under jest each trace runs
// through jest's source-map support: ~7 s of a run's CPU before this.
process.env.CDK_CONTEXT_JSON = JSON.stringify({
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:disable-stack-trace': true,
});

// cfn-lint runs as WebAssembly. By default V8 recompiles its hot functions
// with its optimizing compiler on background threads, which for a one-shot
// validation is about half of cfn-lint's CPU (6.7 -> 3.3 CPU-s on the default
// app's 13 templates, measured; results identical). Tests keep V8's baseline
// WebAssembly compiler only. The app and the CLI are not affected.
require('v8').setFlagsFromString('--liftoff-only');
