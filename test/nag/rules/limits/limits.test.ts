import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { CfnTemplate } from '../../../../lib/audit/template';
import { CloverChecks } from '../../../../lib/nag/clover-checks';
import { validateTemplate } from '../../../helpers/nag';

const messagesFor = (rule: string, template: CfnTemplate) =>
  validateTemplate(template)
    .findings.filter((finding) => finding.rule === rule)
    .map((finding) => finding.message);

/** A bucket and its policy granting s3:PutObject to `accounts` enclave shipper roles, one statement each. */
function archive(accounts: number): CfnTemplate {
  const statements = Array.from({ length: accounts }, (_, i) => {
    const account = String(100_000_000_000 + i);
    return {
      Sid: `ShipperWrites${i}`,
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] } },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Archive', 'Arn'] }, `/archive/enclave-${i}/*`]] },
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${account}:role/clover-enclave-${i}-log-shipper` },
      },
    };
  });
  return {
    Resources: {
      Archive: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: 'clover-archive-444444444444-eu-west-1' },
      },
      ArchivePolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'Archive' },
          PolicyDocument: { Version: '2012-10-17', Statement: statements },
        },
      },
    },
  };
}

describe('CLV-LIM-1 policy size', () => {
  test('accepts a bucket policy within 20 KB', () => {
    expect(messagesFor('CLV-LIM-1', archive(20))).toEqual([]);
  });

  test('rejects a bucket policy over 20 KB once resolved, naming the resource, its size and the limit', () => {
    const [message] = messagesFor('CLV-LIM-1', archive(80));
    expect(message).toMatch(
      /^S3 bucket policy ArchivePolicy \(PolicyDocument\) is [\d,]+ bytes, over the limit of 20,480 bytes \(S3/,
    );
  });

  test('measures resolved values: the same policy written with long intrinsics but short values fits', () => {
    // 60 statements whose Resource is a GetAtt: the template text is long, the resolved ARNs are short.
    const resolvedSize = Number(
      messagesFor('CLV-LIM-1', archive(80))[0]
        .match(/is ([\d,]+) bytes/)![1]
        .replace(/,/g, ''),
    );
    const templateSize = Buffer.byteLength(
      JSON.stringify(archive(80).Resources.ArchivePolicy.Properties!.PolicyDocument),
    );
    expect(resolvedSize).toBeLessThan(templateSize);
    expect(resolvedSize).toBeGreaterThan(20_480);
  });

  const role = (trust: unknown, policies: unknown[] = []) => ({
    Type: 'AWS::IAM::Role',
    Properties: { RoleName: 'clover-x', AssumeRolePolicyDocument: trust, Policies: policies },
  });
  const trustOf = (principals: number) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: {
          AWS: Array.from({ length: principals }, (_, i) => `arn:aws:iam::${100_000_000_000 + i}:root`),
        },
        Action: 'sts:AssumeRole',
      },
    ],
  });

  test('counts an IAM trust policy in characters without whitespace: 2,048', () => {
    expect(messagesFor('CLV-LIM-1', { Resources: { R: role(trustOf(50)) } })).toEqual([]);
    expect(messagesFor('CLV-LIM-1', { Resources: { R: role(trustOf(80)) } })).toEqual([
      expect.stringMatching(
        /^IAM role trust policy R \(AssumeRolePolicyDocument\) is [\d,]+ characters, over the limit of 2,048 characters/,
      ),
    ]);
  });

  test('adds up a role’s inline policies, those in Policies and the AWS::IAM::Policy resources attached to it', () => {
    const document = (n: number) => ({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${i}/*`),
        },
      ],
    });
    const template = (extra: number): CfnTemplate => ({
      Resources: {
        R: role(trustOf(1), [{ PolicyName: 'a', PolicyDocument: document(150) }]),
        P: {
          Type: 'AWS::IAM::Policy',
          Properties: { PolicyName: 'b', Roles: [{ Ref: 'R' }], PolicyDocument: document(extra) },
        },
      },
    });
    expect(messagesFor('CLV-LIM-1', template(10))).toEqual([]);
    expect(messagesFor('CLV-LIM-1', template(260))).toEqual([
      expect.stringMatching(
        /^IAM role inline policies \(together\) R \(inline policies Policies\[0\], P\) is [\d,]+ characters, over the limit of 10,240/,
      ),
    ]);
  });

  test('rejects an event pattern over 2,048 characters', () => {
    const rule = (names: number): CfnTemplate => ({
      Resources: {
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: {
              detail: {
                userName: Array.from({ length: names }, (_, i) => `clover-enclave-${i}-approved-employee`),
              },
            },
          },
        },
      },
    });
    expect(messagesFor('CLV-LIM-1', rule(10))).toEqual([]);
    expect(messagesFor('CLV-LIM-1', rule(60))[0]).toMatch(
      /^EventBridge event pattern Rule \(EventPattern\) is [\d,]+ characters, over the limit of 2,048/,
    );
  });

  test('rejects an SCP over 5,120 characters, and a KMS key policy over 32 KB', () => {
    const deny = (n: number) => ({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: {
            StringEquals: {
              'aws:PrincipalAccount': Array.from({ length: n }, (_, i) => String(100_000_000_000 + i)),
            },
          },
        },
      ],
    });
    expect(
      messagesFor('CLV-LIM-1', {
        Resources: {
          S: {
            Type: 'AWS::Organizations::Policy',
            Properties: { Name: 's', Type: 'SERVICE_CONTROL_POLICY', Content: deny(400) },
          },
        },
      })[0],
    ).toMatch(/^service control policy S \(Content\) is [\d,]+ characters, over the limit of 5,120/);
    expect(
      messagesFor('CLV-LIM-1', {
        Resources: {
          K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: deny(2_500) } },
        },
      })[0],
    ).toMatch(/^KMS key policy K \(KeyPolicy\) is [\d,]+ bytes, over the limit of 32,768 bytes/);
  });

  test('rejects an SQS queue policy of more than 20 statements', () => {
    const statements = Array.from({ length: 21 }, (_, i) => ({
      Sid: `S${i}`,
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: '*',
    }));
    const messages = messagesFor('CLV-LIM-1', {
      Resources: {
        Q: { Type: 'AWS::SQS::Queue', Properties: {} },
        QP: {
          Type: 'AWS::SQS::QueuePolicy',
          Properties: {
            Queues: [{ Ref: 'Q' }],
            PolicyDocument: { Version: '2012-10-17', Statement: statements },
          },
        },
      },
    });
    expect(messages).toEqual([
      expect.stringMatching(
        /^SQS queue policy QP \(PolicyDocument\) is 21 statements, over the limit of 20 statements/,
      ),
    ]);
  });

  test('rejects a StackSet template body over 51,200 bytes', () => {
    const body = JSON.stringify({ Resources: {}, Description: 'x'.repeat(52_000) });
    expect(
      messagesFor('CLV-LIM-1', {
        Resources: {
          S: {
            Type: 'AWS::CloudFormation::StackSet',
            Properties: { StackSetName: 's', PermissionModel: 'SERVICE_MANAGED', TemplateBody: body },
          },
        },
      })[0],
    ).toMatch(/^StackSet TemplateBody S \(TemplateBody\) is [\d,]+ bytes, over the limit of 51,200 bytes/);
  });
});

describe('CLV-LIM-2 template limits', () => {
  const topics = (n: number): CfnTemplate => ({
    Resources: Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        `Topic${i}`,
        { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'alias/x' } },
      ]),
    ),
  });

  test('accepts 500 resources and rejects 501, naming the stack', () => {
    expect(messagesFor('CLV-LIM-2', topics(500))).toEqual([]);
    expect(messagesFor('CLV-LIM-2', topics(501))).toEqual([
      expect.stringMatching(
        /^CloudFormation stack Fixture \(Resources\) is 50[1-9] resources, over the limit of 500 resources/,
      ),
    ]);
  });

  test('measures the template body as written: ~1.06 MB indented fails, the same stack written without indentation passes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-template-body-'));
    try {
      const findings = (suppressTemplateIndentation: boolean) => {
        const app = new App({ outdir: path.join(dir, String(suppressTemplateIndentation)) });
        const stack = new Stack(app, 'Big', {
          env: { account: '111111111111', region: 'eu-west-1' },
          analyticsReporting: false,
          suppressTemplateIndentation,
        });
        // 490 parameters of 66 tags each: 1,058,311 bytes indented by one space, 810,365 without.
        for (let i = 0; i < 490; i++) {
          const tags = Object.fromEntries(
            Array.from({ length: 66 }, (_, j) => [`tag-key-${j}`, `value-${j}`]),
          );
          new CfnResource(stack, `P${i}`, {
            type: 'AWS::SSM::Parameter',
            properties: { Type: 'String', Value: 'v', Tags: tags },
          });
        }
        const pack = new CloverChecks(app, { today: '2026-11-23' });
        Validations.of(app).addPlugins(pack);
        // An error-level finding fails the synth (after the template is written).
        let failed = false;
        try {
          app.synth();
        } catch {
          failed = true;
        }
        const written = fs.statSync(path.join(app.outdir, stack.templateFile)).size;
        return {
          failed,
          written,
          messages: pack.findings.filter((f) => f.rule === 'CLV-LIM-2').map((f) => f.message),
        };
      };
      const indented = findings(false);
      expect(indented.written).toBeGreaterThan(1_000_000);
      expect(indented.failed).toBe(true);
      expect(indented.messages).toEqual([
        expect.stringContaining(
          `is ${indented.written.toLocaleString('en-US')} bytes, over the limit of 1,000,000 bytes`,
        ),
      ]);
      const compact = findings(true);
      expect(compact.written).toBeLessThan(1_000_000);
      expect(compact.failed).toBe(false);
      expect(compact.messages).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rejects a sixth SCP on one target (FullAWSAccess is the first)', () => {
    const scp = (i: number) => [
      `Scp${i}`,
      {
        Type: 'AWS::Organizations::Policy',
        Properties: {
          Name: `p${i}`,
          Type: 'SERVICE_CONTROL_POLICY',
          TargetIds: ['ou-ab12-cdef3456'],
          Content: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }] },
        },
      },
    ];
    const template = (n: number): CfnTemplate => ({
      Resources: Object.fromEntries(Array.from({ length: n }, (_, i) => scp(i))),
    });
    expect(messagesFor('CLV-LIM-2', template(4))).toEqual([]);
    expect(messagesFor('CLV-LIM-2', template(5))).toEqual([
      expect.stringMatching(
        /^organisation root, OU or account ou-ab12-cdef3456 \(SCPs attached, FullAWSAccess included\) is 6 policies, over the limit of 5 policies/,
      ),
    ]);
  });
});
