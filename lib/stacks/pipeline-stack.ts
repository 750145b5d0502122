import { Stage } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import type { PipelineConfig } from '../config/types';
import { designDecision } from '../constructs/design-decision';
import { createCloverKey, allowLogGroups, NETWORK_LOG_RETENTION } from '../constructs/enclave-network/keys';
import { ArtifactStoreControls } from '../constructs/pipeline/artifact-store';
import { CloverStack, CloverStackProps } from './clover-stack';
import { applyDesignDecisions } from './design-decisions';

/** Log group of the pipeline's CodeBuild steps. */
export const PIPELINE_BUILD_LOG_GROUP = '/clover/pipeline/codebuild';

/** One pipeline wave: stages deployed in parallel, after an approval when `approval` says why. */
export interface PipelineWaveProps {
  /** Wave ID, also the CodePipeline stage name (`Wave1`). */
  readonly id: string;
  /** The app's own Stage constructs: the pipeline deploys exactly what `cdk synth` builds. */
  readonly stages: readonly Stage[];
  /**
   * Comment of a manual approval before the wave (a production enclave is in it).
   * @default no approval
   */
  readonly approval?: string;
}

export interface PipelineStackProps extends CloverStackProps {
  readonly pipeline: PipelineConfig;
  /** The waves in order; the app computes them from the stages' templates (`clover plan`). */
  readonly waves: readonly PipelineWaveProps[];
  /** Commands of the synth step: install, test, synthesize (the policy gate), audit. */
  readonly synthCommands: readonly string[];
  /** CDK CLI version for self-mutation, the one this repository pins. */
  readonly cliVersion: string;
  /**
   * Node.js major version of the CodeBuild steps.
   * @default 20
   */
  readonly nodeVersion?: number;
}

/**
 * The CDK Pipelines app's pipeline, in a European tooling account: the source, a synth step that
 * tests and synthesizes the app behind the policy gate, self-mutation, and one pipeline wave per
 * computed deploy wave. Artifacts stay in the pipeline's region (and in the Region of each stage),
 * encrypted under the tooling account's rotating KMS keys (crossAccountKeys).
 */
export class PipelineStack extends CloverStack {
  public readonly pipeline: pipelines.CodePipeline;
  public readonly waves: readonly pipelines.Wave[];
  /** The log group of every CodeBuild step (synth, self-mutation, assets). */
  public readonly buildLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    // Written without indentation: its template holds every deploy action of every enclave and meets
    // CloudFormation's 1 MB first (128 enclaves: 1,248,359 bytes indented, 778,476 without).
    super(scope, id, { suppressTemplateIndentation: true, ...props });
    const nodeVersion = props.nodeVersion ?? 20;
    // Every build's log, encrypted under a key of the tooling account, kept for the audit year.
    const buildLogKey = createCloverKey(this, 'BuildLogKey', {
      description: 'Clover pipeline: CodeBuild logs',
    });
    allowLogGroups(buildLogKey, [PIPELINE_BUILD_LOG_GROUP]);
    this.buildLogs = new logs.LogGroup(this, 'BuildLogs', {
      logGroupName: PIPELINE_BUILD_LOG_GROUP,
      encryptionKey: buildLogKey,
      retention: NETWORK_LOG_RETENTION,
    });
    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: 'clover',
      pipelineType: codepipeline.PipelineType.V2,
      crossAccountKeys: true,
      enableKeyRotation: true,
      selfMutation: true,
      cliVersion: props.cliVersion,
      synth: new pipelines.ShellStep('Synth', {
        input: source(this, props.pipeline),
        commands: [...props.synthCommands],
      }),
      codeBuildDefaults: {
        buildEnvironment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0 },
        logging: { cloudWatch: { logGroup: this.buildLogs } },
        partialBuildSpec: codebuild.BuildSpec.fromObject({
          phases: { install: { 'runtime-versions': { nodejs: nodeVersion } } },
        }),
      },
    });
    this.waves = props.waves.map((wave) => {
      const pre = wave.approval
        ? [new pipelines.ManualApprovalStep(`Approve${wave.id}`, { comment: wave.approval })]
        : [];
      const added = this.pipeline.addWave(wave.id, { pre });
      for (const stage of wave.stages) added.addStage(stage);
      return added;
    });
    this.pipeline.buildPipeline();
    this.controlArtifactStores();
    this.justifyLibraryRoles();
  }

  /** Versioning, expiry, access logs and key policy for the artifact bucket here and in every other Region. */
  private controlArtifactStores(): void {
    const codePipeline = this.pipeline.pipeline;
    new ArtifactStoreControls(this, 'ArtifactStore', { bucket: codePipeline.artifactBucket });
    for (const support of Object.values(codePipeline.crossRegionSupport)) {
      if (support.stack === this) continue;
      new ArtifactStoreControls(support.stack, 'ReplicationArtifactStore', {
        bucket: support.replicationBucket,
      });
      // A support stack is CodePipeline's, not a Clover stack: the decisions marked in it apply here.
      if (!(support.stack instanceof CloverStack)) applyDesignDecisions(support.stack, { markedOnly: true });
    }
  }

  /** The wildcards and action roles of CDK Pipelines: design decisions of the register. */
  private justifyLibraryRoles(): void {
    designDecision(this, 'PIPELINE_WILDCARDS');
    if (Object.values(this.pipeline.pipeline.crossRegionSupport).length > 0) {
      designDecision(this, 'PIPELINE_REPLICATION_BUCKET_WILDCARDS');
    }
    designDecision(this.pipeline.pipeline.role, 'PIPELINE_ROLE_ANY_RESOURCE');
    if (this.pipeline.selfMutationProject.role) {
      designDecision(this.pipeline.selfMutationProject.role, 'PIPELINE_SELF_MUTATION_ANY_RESOURCE');
    }
    const assets = this.pipeline.node.tryFindChild('Assets');
    if (assets) designDecision(assets, 'PIPELINE_ASSETS_ANY_RESOURCE');
    // CodePipeline runs each action as an action role that only the pipeline's role may assume.
    const pipelineRoleArn = JSON.stringify(this.resolve(this.pipeline.pipeline.role.roleArn));
    for (const role of this.node.findAll().filter((node): node is iam.Role => node instanceof iam.Role)) {
      const trust = this.resolve(role.assumeRolePolicy?.toJSON()) as
        { Statement?: Array<{ Principal?: Record<string, unknown> }> } | undefined;
      const principals = (trust?.Statement ?? []).map((statement) => statement.Principal ?? {});
      const onlyPipeline =
        principals.length > 0 &&
        principals.every((p) => Object.keys(p).length === 1 && JSON.stringify(p.AWS) === pipelineRoleArn);
      if (!onlyPipeline) continue;
      designDecision(role, 'PIPELINE_ACTION_ROLE');
    }
  }
}

function source(scope: Construct, config: PipelineConfig): pipelines.CodePipelineSource {
  const from = config.source;
  if (from.kind === 'connection') {
    return pipelines.CodePipelineSource.connection(from.repository, from.branch, {
      connectionArn: from.connectionArn,
    });
  }
  const bucket = s3.Bucket.fromBucketAttributes(scope, 'SourceBucket', {
    bucketName: from.bucket,
    account: config.account,
    region: config.region,
  });
  return pipelines.CodePipelineSource.s3(bucket, from.objectKey);
}
