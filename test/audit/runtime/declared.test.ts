import { FLOWS_METADATA_KEY } from '../../../lib/config/flow-declaration';
import { proveRuntimeFlows } from '../../../lib/audit/runtime/prove';
import { SIMULATOR_MISSING } from '../../../lib/audit/runtime/simulate';
import { doc, findingLines, flowsTitled, prove, stackOf, TODAY } from './support';

/** A function that declares its PutObject to a bucket in another stack and region. */
function writerAndBucket(declaration: Record<string, unknown>, bucketStatements: Record<string, unknown>[]) {
  const writer = stackOf(
    {
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            RoleName: 'writer',
            AssumeRolePolicyDocument: doc({
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            }),
            Policies: [
              {
                PolicyName: 'write',
                PolicyDocument: doc({
                  Effect: 'Allow',
                  Action: 's3:PutObject',
                  Resource: 'arn:aws:s3:::evidence/*',
                }),
              },
            ],
          },
        },
        Writer: {
          Type: 'AWS::Lambda::Function',
          Metadata: {
            [FLOWS_METADATA_KEY]: [
              {
                id: 'write',
                kind: 'required',
                description: 'the writer stores evidence',
                principal: 'self',
                action: 's3:PutObject',
                resource: 'arn:aws:s3:::evidence/batch.gz',
                ...declaration,
              },
            ],
          },
          Properties: {
            Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
            Runtime: 'nodejs20.x',
            Handler: 'index.handler',
            Code: { ZipFile: 'x' },
          },
        },
      },
    },
    { name: 'Writer', region: 'eu-north-1' },
  );
  const bucket = stackOf(
    {
      Resources: {
        Evidence: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'evidence' } },
        EvidencePolicy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: { Bucket: { Ref: 'Evidence' }, PolicyDocument: doc(...bucketStatements) },
        },
      },
    },
    { name: 'Archive', region: 'eu-north-1' },
  );
  return [writer, bucket];
}

const SAME_ACCOUNT_WRITE = {
  Sid: 'Writer',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111111111111:role/writer' },
  Action: 's3:PutObject',
  Resource: 'arn:aws:s3:::evidence/*',
};

describe('flows declared in the cloud assembly (clover:flows)', () => {
  test('"self" on a function is its execution role; the request is judged with the headers the code declares', async () => {
    const deny = {
      Sid: 'OnlyKms',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::evidence/*',
      Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    };
    const withoutHeader = await prove(...writerAndBucket({}, [SAME_ACCOUNT_WRITE, deny]));
    expect(findingLines(withoutHeader.findings)).toEqual([
      'CLV-RUN-2 Writer: required flow "the writer stores evidence" is refused: role writer s3:PutObject arn:aws:s3:::evidence/batch.gz — bucket policy EvidencePolicy (Archive) statement OnlyKms denies: the request carries no s3:x-amz-server-side-encryption',
    ]);
    const withHeader = await prove(
      ...writerAndBucket({ context: { 's3:x-amz-server-side-encryption': 'aws:kms' } }, [
        SAME_ACCOUNT_WRITE,
        deny,
      ]),
    );
    expect(withHeader.findings).toEqual([]);
  });

  test('a client in another region than the bucket fails before IAM: S3 answers 301 and SDK v3 does not follow it', async () => {
    const proof = await prove(...writerAndBucket({ endpointRegion: 'eu-west-1' }, [SAME_ACCOUNT_WRITE]));
    expect(proof.findings[0].message).toMatch(
      /the client sends s3:PutObject to the S3 endpoint of eu-west-1, but bucket evidence is in eu-north-1: S3 answers 301 PermanentRedirect/,
    );
  });

  test('a malformed declaration is listed as not judged, naming the entry and the fix', async () => {
    const proof = await prove(
      ...writerAndBucket({ action: 'PutObject', kind: 'sometimes' }, [SAME_ACCOUNT_WRITE]),
    );
    const [flow] = flowsTitled(proof, /flows declared on Writer/);
    expect(flow.status).toBe('not-judged');
    expect(flow.deciding?.reason).toMatch(
      /clover:flows\[0\].action "PutObject" is not an IAM action; write it as service:Action; clover:flows\[0\].kind "sometimes" is not one of: required, forbidden/,
    );
    expect(proof.findings).toEqual([]);
  });

  test('without the simulator every flow is listed, none judged, and one line says how to enable the proof', async () => {
    const proof = await proveRuntimeFlows(writerAndBucket({}, [SAME_ACCOUNT_WRITE]), {
      today: TODAY,
      simulator: null,
    });
    expect(proof.judged).toBe(false);
    expect(proof.note).toBe(SIMULATOR_MISSING);
    expect(SIMULATOR_MISSING).toMatch(/npm i -D @cloud-copilot\/iam-simulate/);
    expect(proof.results.length).toBeGreaterThan(0);
    expect(proof.results.every((result) => result.status === 'not-judged')).toBe(true);
    expect(proof.findings).toEqual([]);
  });
});
