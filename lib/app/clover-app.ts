import { App, AppProps, Validations } from 'aws-cdk-lib';
import { checkContextKeys } from '../config/context-keys';
import { loadConfig, LoadedConfig } from '../config/load';
import { MIGRATION_EVIDENCE_CONTEXT_KEY } from '../config/migration';
import { CloverAwsSolutionsChecks } from '../nag/aws-solutions';
import * as fs from 'fs';
import * as path from 'path';
import { CloverChecks } from '../nag/clover-checks';
import { ParallelCloudFormationValidatePlugin } from '../nag/cfn-validate/parallel';
import { ALL_RULES } from '../nag/rules';
import { loadUserRules } from '../nag/user-rules';
import { EnclaveStage } from '../stages/enclave-stage';
import { GuardrailsStage } from '../stages/guardrails-stage';
import { MonitoringStage } from '../stages/monitoring-stage';
import { addCloverPipeline, CloverPipeline, PIPELINE_CONTEXT_KEY, pipelineRequested } from './pipeline';

export interface CloverApp {
  readonly app: App;
  readonly loaded: LoadedConfig;
  readonly cloverChecks: CloverChecks;
  readonly enclaveStages: readonly EnclaveStage[];
  readonly monitoringStage: MonitoringStage;
  /** Present only when the config has `guardrails`. */
  readonly guardrailsStage?: GuardrailsStage;
  /** Present only with `-c pipeline=true`. */
  readonly pipeline?: CloverPipeline;
}

/** Context that Clover sets on its App so that its own gate, not the CDK's defaults, decides. */
export const CLOVER_APP_CONTEXT = {
  // Clover's gate reports every stage's findings once; CDK would only report selected stacks.
  '@aws-cdk/core:failSynthOnValidationErrors': false,
  // cfn-validate (the CloudFormation Validate plugin) errors stay errors: they mean a failed deploy.
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  // CfnInclude and large enclaves must not hit the 500-resource cap at synth.
  '@aws-cdk/core:stackResourceLimit': 0,
  // Creation stack traces only with `cdk synth --debug`: at 256 enclaves they were a third of the
  // assembly's metadata (93 → 61 MB). Set here: the CDK CLI warns about `aws:` keys in cdk.json.
  'aws:cdk:disable-creation-stack-traces': true,
};

/** The CDK CLI version Clover is tested with, from its package.json (`lib/app` in a checkout, `dist/lib/app` installed). */
function cdkCliVersion(): string {
  const manifest = [path.join(__dirname, '..', '..'), path.join(__dirname, '..', '..', '..')]
    .map((directory) => path.join(directory, 'package.json'))
    .find((file) => fs.existsSync(file));
  return JSON.parse(fs.readFileSync(manifest!, 'utf8')).devDependencies['aws-cdk'];
}

/** Context key naming rule modules of your own, comma-separated (beside the config's `rules`). */
export const RULES_CONTEXT_KEY = 'rules';

/**
 * The rules of your own: the config's `rules` (relative to the config file),
 * then `-c rules=a.ts,b.js` (relative to the working directory). Throws
 * RuleModuleError naming a module that cannot be loaded.
 */
function rulesOf(fromConfig: readonly string[], configPath: unknown, fromContext: unknown) {
  const configDirectory =
    typeof configPath === 'string' ? path.dirname(path.resolve(configPath)) : process.cwd();
  const contextModules =
    typeof fromContext === 'string'
      ? fromContext
          .split(',')
          .map((module) => module.trim())
          .filter(Boolean)
      : [];
  return loadUserRules([
    ...fromConfig.map((module) => ({ module, base: configDirectory })),
    ...contextModules.map((module) => ({ module, base: process.cwd() })),
  ]);
}

/**
 * The context keys Clover reads. A key that resembles one of them (`conifg`,
 * `Config`, `todya`) fails synth instead of being ignored.
 */
export const CLOVER_CONTEXT_KEYS: readonly string[] = [
  'config',
  'today',
  PIPELINE_CONTEXT_KEY,
  MIGRATION_EVIDENCE_CONTEXT_KEY,
  RULES_CONTEXT_KEY,
];

/** Whether CDK would add its built-in CloudFormation Validate plugin (the App's setting, `CDK_VALIDATION=false`). */
function builtinValidationEnabled(app: App): boolean {
  return app._builtinCloudFormationValidation && process.env.CDK_VALIDATION !== 'false';
}

/**
 * Builds the Clover App from context: `config` (a JSON file, else the
 * embedded default), `today` (YYYY-MM-DD), `pipeline` (`true` adds the CDK
 * Pipelines stack), `rules` (modules of your own rules) and `migrationEvidence`
 * (the cut-over gate's evidence). Throws ConfigError on a bad config,
 * RuleModuleError on a rule module that cannot be loaded, DeployOrderError when
 * a pipeline's stages have no deploy order.
 */
export function buildCloverApp(props: AppProps = {}): CloverApp {
  const app = new App({ ...props, context: { ...CLOVER_APP_CONTEXT, ...props.context } });
  checkContextKeys(app.node.getAllContext(), CLOVER_CONTEXT_KEYS);
  const loaded = loadConfig({
    configPath: app.node.tryGetContext('config'),
    today: app.node.tryGetContext('today'),
    migrationEvidence: app.node.tryGetContext(MIGRATION_EVIDENCE_CONTEXT_KEY),
  });
  const { config, today } = loaded;
  const withPipeline = pipelineRequested(app.node.tryGetContext(PIPELINE_CONTEXT_KEY));
  const userRules = rulesOf(
    config.rules,
    app.node.tryGetContext('config'),
    app.node.tryGetContext(RULES_CONTEXT_KEY),
  );
  const cloverChecks = new CloverChecks(app, {
    verbose: true,
    allowJurisdictions: config.residency.allowJurisdictions,
    today,
    rules: userRules.length ? [...ALL_RULES, ...userRules] : ALL_RULES,
  });
  // CDK's built-in CloudFormation Validate plugin, run on worker threads as the stages synthesize when the
  // assembly is large; registered last, it replaces the built-in one and collects its report after the
  // other packs, so that the workers run beside them too.
  const cfnValidate = builtinValidationEnabled(app) ? new ParallelCloudFormationValidatePlugin() : undefined;
  Validations.of(app).addPlugins(
    new CloverAwsSolutionsChecks(app, { verbose: true }),
    cloverChecks,
    ...(cfnValidate ? [cfnValidate] : []),
  );

  const enclaveStages = config.enclaves.map(
    (enclave) =>
      new EnclaveStage(app, enclave.name, {
        enclave,
        config,
        migrationEvidence: loaded.migrationEvidence.get(enclave.name),
      }),
  );
  const monitoringStage = new MonitoringStage(app, 'monitoring', { config });
  const guardrailsStage = config.guardrails
    ? new GuardrailsStage(app, 'guardrails', { config, guardrails: config.guardrails })
    : undefined;
  for (const stage of [...enclaveStages, monitoringStage, ...(guardrailsStage ? [guardrailsStage] : [])])
    cfnValidate?.validateAsSynthesized(stage);
  const pipeline = withPipeline
    ? addCloverPipeline(app, {
        loaded,
        stages: [...enclaveStages, monitoringStage, ...(guardrailsStage ? [guardrailsStage] : [])],
        configPath: app.node.tryGetContext('config'),
        migrationEvidencePath: app.node.tryGetContext(MIGRATION_EVIDENCE_CONTEXT_KEY),
        cliVersion: cdkCliVersion(),
      })
    : undefined;
  return { app, loaded, cloverChecks, enclaveStages, monitoringStage, guardrailsStage, pipeline };
}
