import { Stage } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct, IConstruct } from 'constructs';
import type { PipelineConfig } from '../config/types';
import { justifyIamWildcards, WildcardJustification } from '../constructs/access/wildcard-justifications';
import { createCloverKey, allowLogGroups, NETWORK_LOG_RETENTION } from '../constructs/enclave-network/keys';
import { ArtifactStoreControls } from '../constructs/pipeline/artifact-store';
import { acknowledge } from '../nag/acknowledge';
import { CloverStack, CloverStackProps } from './clover-stack';

/** Log group of the pipeline's CodeBuild steps. */
export const PIPELINE_BUILD_LOG_GROUP = '/clover/pipeline/codebuild';

/** Last day of the pipeline's acknowledgments below: reviewed at least once a year. */
const REVIEWED_UNTIL = '2027-11-30';

/**
 * The IAM wildcards CDK Pipelines writes into the roles it creates, and why each is acceptable
 * (listed in docs/acknowledgments.md). They come from the library's grants on its own artifact
 * buckets, keys, build projects and log groups.
 */
export const PIPELINE_WILDCARDS: readonly WildcardJustification[] = [
  {
    finding: /^Action::(s3:(Abort|DeleteObject|GetBucket|GetObject|List)|kms:(GenerateDataKey|ReEncrypt))\*$/,
    reason:
      'CDK grant helpers (grantReadWrite) on the pipeline’s own artifact buckets and their KMS keys: the actions are wildcarded, the resources are those buckets and keys',
    expires: REVIEWED_UNTIL,
  },
  {
    finding: /^Resource::<PipelineArtifactsBucket[A-Za-z0-9]+\.Arn>\/\*$/,
    reason: 'Pipeline artifacts are objects with generated keys in the pipeline’s own artifact bucket',
    expires: REVIEWED_UNTIL,
  },
  {
    finding:
      /^Resource::arn:<AWS::Partition>:(logs:[a-z0-9-]+:\d{12}:log-group:\/aws\/codebuild\/(<[A-Za-z0-9]+>:)?\*|codebuild:[a-z0-9-]+:\d{12}:report-group\/(<[A-Za-z0-9]+>-)?\*)$/,
    reason:
      'CodeBuild writes the log streams and test reports of the pipeline’s own build projects; their names are generated per build',
    expires: REVIEWED_UNTIL,
  },
  {
    finding: /^Resource::arn:\*:iam::\d{12}:role\/\*$/,
    reason:
      'Self-mutation assumes the CDK bootstrap roles of the tooling account; the statement is conditioned on the aws-cdk:bootstrap-role tag, so only those roles qualify',
    expires: REVIEWED_UNTIL,
  },
];

/** Objects of the cross-region replication buckets (their names are generated, so the finding is built per bucket). */
export const PIPELINE_REPLICATION_OBJECTS =
  'Pipeline artifacts are objects with generated keys in the pipeline’s cross-region replication bucket of another Region';

/** CLV-ACC-3 on the roles CodePipeline assumes to run actions. */
export const PIPELINE_ACTION_ROLE =
  'A CodePipeline action role: only the pipeline’s own role, which only codepipeline.amazonaws.com can assume, may assume it; no person can. Its policies reach only the pipeline’s artifacts, builds and source connection';

/** Resource `*` in the roles CDK Pipelines creates: what each does with it. */
export const PIPELINE_ANY_RESOURCE: Readonly<Record<'pipelineRole' | 'selfMutation' | 'assets', string>> = {
  pipelineRole:
    'The pipeline role uses the cross-region replication key of each other Region by alias from another stack, which CodePipeline cannot name as a resource; that key’s policy admits the tooling account, and the deployed account’s CDK deploy role to decrypt',
  selfMutation:
    'Self-mutation reads stack status (cloudformation:DescribeStacks) and lists buckets (s3:ListBucket) to find the CDK bootstrap resources; neither reads or changes data',
  assets:
    'Asset publishing starts and watches its own CodeBuild builds (codebuild:StartBuild, BatchGetBuilds, StopBuild), whose project ARNs CDK Pipelines only knows after building the pipeline',
};

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
    super(scope, id, props);
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
    }
  }

  /** The wildcards and action roles of CDK Pipelines, acknowledged one by one with their reasons. */
  private justifyLibraryRoles(): void {
    const replicationBuckets = Object.values(this.pipeline.pipeline.crossRegionSupport)
      .map((support) => this.resolve(support.replicationBucket.bucketName))
      .filter((name): name is string => typeof name === 'string');
    justifyIamWildcards(this, [
      ...PIPELINE_WILDCARDS,
      ...replicationBuckets.map((name) => ({
        finding: new RegExp(`^Resource::arn:<AWS::Partition>:s3:::${name.replace(/\./g, '\\.')}/\\*$`),
        reason: PIPELINE_REPLICATION_OBJECTS,
        expires: REVIEWED_UNTIL,
      })),
    ]);
    const anyResource = (scope: IConstruct | undefined, reason: string) => {
      if (scope) justifyIamWildcards(scope, [{ finding: /^Resource::\*$/, reason, expires: REVIEWED_UNTIL }]);
    };
    anyResource(this.pipeline.pipeline.role, PIPELINE_ANY_RESOURCE.pipelineRole);
    anyResource(this.pipeline.selfMutationProject.role, PIPELINE_ANY_RESOURCE.selfMutation);
    anyResource(this.pipeline.node.tryFindChild('Assets'), PIPELINE_ANY_RESOURCE.assets);
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
      acknowledge(role, {
        rule: 'CLV-ACC-3',
        reason: PIPELINE_ACTION_ROLE,
        expires: REVIEWED_UNTIL,
      });
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
