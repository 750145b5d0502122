import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { tlsOnlyCoverage } from '../../../audit/encryption';

/** Every bucket's policy must deny requests that do not use TLS. */
export const BucketTlsOnly: CloverRule = {
  id: 'CLV-ENC-7',
  family: 'ENC',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  reads: ['AWS::S3::BucketPolicy'],
  coverage: {
    'AWS::S3::Bucket':
      'statements of its AWS::S3::BucketPolicy: Deny s3:* to * when aws:SecureTransport is false, on the bucket and its objects',
  },
  info: 'An S3 bucket’s policy does not deny requests without TLS on the bucket and its objects.',
  explanation:
    'S3 answers plain HTTP, so object data and presigned credentials could cross a network in clear. Only a bucket policy statement that denies s3:* to every principal (Principal "*") when aws:SecureTransport is false — on the bucket ARN and on <bucket ARN>/* — refuses such requests for every caller, including other accounts. A Deny with principal "*" is the correct form of this statement. The policy is found through its Bucket property (Ref to the bucket, or the bucket’s literal name).',
  fix: 'Attach an AWS::S3::BucketPolicy with { Effect: Deny, Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, "<bucket ARN>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } } (CDK: enforceSSL: true; add minimumTLSVersion: 1.2 to also refuse old TLS).',
  evaluate({ resource, index }: RuleTarget) {
    const coverage = tlsOnlyCoverage(index, resource.logicalId);
    const policies = coverage.policies.length
      ? `bucket policy ${coverage.policies.join(', ')}`
      : 'no bucket policy is attached';
    const missing = [
      ...(coverage.bucket ? [] : ['the bucket']),
      ...(coverage.objects ? [] : ['its objects']),
    ];
    return violations(
      missing.length
        ? [
            `${policies}: no Deny of s3:* to "*" when aws:SecureTransport is false covers ${missing.join(' and ')}`,
          ]
        : [],
    );
  },
};
