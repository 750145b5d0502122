import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { bucketPublicAccessProblems } from '../../../audit/access';

/** Buckets must block public access, use no public canned ACL, and have no public bucket policy. */
export const PublicBucket: CloverRule = {
  id: 'CLV-ACC-1',
  family: 'ACC',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  coverage: {
    'AWS::S3::Bucket':
      'PublicAccessBlockConfiguration (all four true), AccessControl, statements of its bucket policy',
  },
  info: 'An S3 bucket may be public: Block Public Access is not fully on, a public canned ACL is set, or its bucket policy allows every principal.',
  explanation:
    'A public bucket hands personal data to anyone on the internet, and it takes one ACL or one policy statement. All four Block Public Access settings (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) make S3 refuse and ignore public grants; S3 turns them on for new buckets, but only a template that declares them gives the auditor evidence and keeps them on. The canned ACLs PublicRead, PublicReadWrite and AuthenticatedRead (every AWS account) grant beyond the owner. A bucket policy statement that allows "*" without an aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount or aws:SourceArn condition is public read (or write).',
  fix: 'Declare PublicAccessBlockConfiguration with all four settings true (CDK: blockPublicAccess: BlockPublicAccess.BLOCK_ALL), remove AccessControl (or use Private with ObjectOwnership BucketOwnerEnforced), and grant named principals in the bucket policy.',
  evaluate({ resource, index }: RuleTarget) {
    return violations(bucketPublicAccessProblems(index, resource.logicalId));
  },
};
