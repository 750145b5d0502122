import { bucketAccessLogGaps } from '../../../audit/audit-logs';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** Data buckets record server access logs. */
export const BucketAccessLogging: CloverRule = {
  id: 'CLV-LOG-8',
  family: 'LOG',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  coverage: {
    'AWS::S3::Bucket': 'LoggingConfiguration.DestinationBucketName (buckets that receive no logs themselves)',
  },
  info: 'A data bucket has no server access logging (LoggingConfiguration).',
  explanation:
    'Server access logs record every request to a bucket — requester, object key, source address, result — including reads that CloudTrail data events do not cover unless configured for that bucket. Without them an auditor cannot tell who read which personal data. Buckets that receive logs themselves (another bucket’s server access logs, a trail, a flow log, a load balancer, a distribution, AWS Config, or a bucket policy that lets a log-delivery service write) are not data buckets and are not judged: logging them into themselves would loop.',
  fix: 'Set LoggingConfiguration { DestinationBucketName: <access-log bucket>, LogFilePrefix } (CDK: serverAccessLogsBucket), with the destination bucket in the same region and account.',
  evaluate({ resource, index }: RuleTarget) {
    return violations(bucketAccessLogGaps(index, resource));
  },
};
