import { App, AppProps, Validations } from 'aws-cdk-lib';
import { checkContextKeys } from '../config/context-keys';
import { loadConfig, LoadedConfig } from '../config/load';
import { CloverAwsSolutionsChecks } from '../nag/aws-solutions';
import { CloverChecks } from '../nag/clover-checks';
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
};

/**
 * The context keys Clover reads. A key that resembles one of them (`conifg`,
 * `Config`, `todya`) fails synth instead of being ignored. `migrationEvidence`
 * is the interim cut-over's evidence (issue 19).
 */
export const CLOVER_CONTEXT_KEYS: readonly string[] = [
  'config',
  'today',
  PIPELINE_CONTEXT_KEY,
  'migrationEvidence',
];

/**
 * Builds the Clover App from context: `config` (a JSON file, else the
 * embedded default), `today` (YYYY-MM-DD) and `pipeline` (`true` adds the CDK
 * Pipelines stack). Throws ConfigError on a bad config, DeployOrderError when a
 * pipeline's stages have no deploy order.
 */
export function buildCloverApp(props: AppProps = {}): CloverApp {
  const app = new App({ ...props, context: { ...CLOVER_APP_CONTEXT, ...props.context } });
  checkContextKeys(app.node.getAllContext(), CLOVER_CONTEXT_KEYS);
  const loaded = loadConfig({
    configPath: app.node.tryGetContext('config'),
    today: app.node.tryGetContext('today'),
  });
  const { config, today } = loaded;
  const withPipeline = pipelineRequested(app.node.tryGetContext(PIPELINE_CONTEXT_KEY));
  const cloverChecks = new CloverChecks(app, {
    verbose: true,
    allowJurisdictions: config.residency.allowJurisdictions,
    today,
  });
  Validations.of(app).addPlugins(new CloverAwsSolutionsChecks(app, { verbose: true }), cloverChecks);

  const enclaveStages = config.enclaves.map(
    (enclave) => new EnclaveStage(app, enclave.name, { enclave, config }),
  );
  const monitoringStage = new MonitoringStage(app, 'monitoring', { config });
  const guardrailsStage = config.guardrails
    ? new GuardrailsStage(app, 'guardrails', { config, guardrails: config.guardrails })
    : undefined;
  const pipeline = withPipeline
    ? addCloverPipeline(app, {
        loaded,
        stages: [...enclaveStages, monitoringStage, ...(guardrailsStage ? [guardrailsStage] : [])],
        configPath: app.node.tryGetContext('config'),
        cliVersion: require('../../package.json').devDependencies['aws-cdk'],
      })
    : undefined;
  return { app, loaded, cloverChecks, enclaveStages, monitoringStage, guardrailsStage, pipeline };
}
