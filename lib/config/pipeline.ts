import type { ProblemCollector } from './errors';
import { ACCOUNT_ID_PATTERN } from './naming';
import { allowedRegionCodes, findRegion } from './regions';
import type { RawPipeline } from './schema';
import type { PipelineConfig } from './types';

/** `arn:<partition>:codeconnections|codestar-connections:<region>:<account>:connection/<id>`. */
const CONNECTION_ARN_PATTERN =
  /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;
/** `owner/repository`, or a GitLab group path `group/subgroup/repository`. */
const REPOSITORY_PATTERN = /^[\w.-]+(\/[\w.-]+)+$/;
const BRANCH_PATTERN = /^[^\s~^:?*[\\]+$/;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const DEFAULT_PIPELINE_BRANCH = 'main';

export interface PipelineContext {
  readonly allowJurisdictions: readonly string[];
  /** Partition of the monitoring region: a pipeline cannot deploy across partitions. */
  readonly partition?: string;
  /** Accounts of the enclaves and the monitoring plane, with the path that names each. */
  readonly accounts: ReadonlyArray<{ readonly account: string; readonly path: string }>;
}

/**
 * Checks the `pipeline` section and applies its defaults: a 12-digit tooling account of its own, a
 * region in the allowed jurisdictions and partition, and exactly one source.
 */
export function validatePipeline(
  raw: RawPipeline,
  context: PipelineContext,
  problems: ProblemCollector,
): PipelineConfig {
  if (!ACCOUNT_ID_PATTERN.test(raw.account)) {
    problems.add(
      'pipeline.account',
      raw.account,
      'is not a 12-digit AWS account ID',
      'write the tooling account ID as 12 digits',
    );
  }
  const shared = context.accounts.find((entry) => entry.account === raw.account);
  if (shared) {
    problems.add(
      'pipeline.account',
      raw.account,
      `is also ${shared.path}; the pipeline deploys into every account, so it must not share one with what it deploys`,
      'use a separate tooling account',
    );
  }
  const allowed = allowedRegionCodes(context.allowJurisdictions).join(', ');
  const region = findRegion(raw.region);
  if (!region || !context.allowJurisdictions.includes(region.jurisdiction)) {
    problems.add(
      'pipeline.region',
      raw.region,
      region
        ? 'is outside the allowed jurisdictions; the pipeline keeps its artifacts (templates, assets) in its region'
        : 'is not a known AWS region',
      `choose one of: ${allowed}`,
    );
  } else if (context.partition !== undefined && region.partition !== context.partition) {
    problems.add(
      'pipeline.region',
      raw.region,
      `is in partition ${region.partition}, but the stages are in ${context.partition}; a pipeline cannot deploy across partitions`,
      `choose a region of the ${context.partition} partition`,
    );
  }
  const { connection, s3 } = raw.source;
  if ((connection === undefined) === (s3 === undefined)) {
    problems.add(
      'pipeline.source',
      raw.source,
      connection ? 'names both a connection and an S3 bucket' : 'names no source',
      'give exactly one of pipeline.source.connection {arn, repository, branch} or pipeline.source.s3 {bucket, objectKey}',
    );
  }
  if (connection) {
    if (!CONNECTION_ARN_PATTERN.test(connection.arn)) {
      problems.add(
        'pipeline.source.connection.arn',
        connection.arn,
        'is not a CodeConnections connection ARN',
        'copy the ARN from the CodeConnections console: arn:aws:codeconnections:<region>:<account>:connection/<id>',
      );
    }
    if (!REPOSITORY_PATTERN.test(connection.repository)) {
      problems.add(
        'pipeline.source.connection.repository',
        connection.repository,
        'is not owner/repository',
        'write it like "example-org/clover"',
      );
    }
    if (connection.branch !== undefined && !BRANCH_PATTERN.test(connection.branch)) {
      problems.add(
        'pipeline.source.connection.branch',
        connection.branch,
        'is not a branch name',
        'write it like "main"',
      );
    }
    return {
      account: raw.account,
      region: raw.region,
      source: {
        kind: 'connection',
        connectionArn: connection.arn,
        repository: connection.repository,
        branch: connection.branch ?? DEFAULT_PIPELINE_BRANCH,
      },
    };
  }
  if (s3) {
    if (!BUCKET_PATTERN.test(s3.bucket)) {
      problems.add(
        'pipeline.source.s3.bucket',
        s3.bucket,
        'is not an S3 bucket name',
        'use 3-63 lower-case letters, digits, dots and dashes',
      );
    }
    if (s3.objectKey === '' || s3.objectKey.startsWith('/')) {
      problems.add(
        'pipeline.source.s3.objectKey',
        s3.objectKey,
        'is not an object key',
        'give the key of the zip, e.g. "clover/source.zip"',
      );
    }
    return {
      account: raw.account,
      region: raw.region,
      source: { kind: 's3', bucket: s3.bucket, objectKey: s3.objectKey },
    };
  }
  // No source: the problem above makes validation throw, so this value is never used.
  return { account: raw.account, region: raw.region, source: { kind: 's3', bucket: '', objectKey: '' } };
}
