import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  ACKNOWLEDGMENT_METADATA_TYPE,
  designDecisionProblems,
  isExpired,
} from '../../lib/audit/acknowledgments';
import { designDecision, MARKED_DESIGN_DECISIONS } from '../../lib/constructs/design-decision';
import { applyDesignDecisions, DESIGN_DECISIONS, markedDecision } from '../../lib/stacks/design-decisions';
import { renderAcknowledgmentsDoc } from '../../lib/stacks/design-decisions-doc';
import { designDecisionSites } from '../../scripts/design-decision-sites';

const REPO = path.join(__dirname, '..', '..');

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

function recorded(construct: { node: { metadata: Array<{ type: string; data: unknown }> } }) {
  return construct.node.metadata
    .filter((entry) => entry.type === ACKNOWLEDGMENT_METADATA_TYPE)
    .map((entry) => entry.data as Record<string, unknown>);
}

function stack(options: { markedOnly?: boolean } = {}): Stack {
  const result = new Stack(new App(), 'Decisions', { env: { account: '111111111111', region: 'eu-west-1' } });
  applyDesignDecisions(result, options);
  return result;
}

describe('the register of design decisions', () => {
  test('docs/acknowledgments.md is current (regenerate with `npm run docs:acknowledgments`)', () => {
    const committed = fs.readFileSync(path.join(REPO, 'docs', 'acknowledgments.md'), 'utf8');
    expect(committed).toBe(renderAcknowledgmentsDoc(DESIGN_DECISIONS, designDecisionSites(REPO)));
  });

  test('has one entry per ID, each with a reason per rule and the AWS documentation it rests on', () => {
    const ids = DESIGN_DECISIONS.map((decision) => decision.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const decision of DESIGN_DECISIONS) {
      expect(decision.title.length).toBeGreaterThan(10);
      expect(decision.appliesTo.length).toBeGreaterThan(10);
      expect(decision.documentation.length).toBeGreaterThan(0);
      for (const url of decision.documentation) expect(url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      const wildcards = 'wildcards' in decision ? (decision.wildcards ?? []) : [];
      expect((decision.answers ?? []).length + wildcards.length).toBeGreaterThan(0);
      for (const answer of decision.answers ?? []) {
        expect({
          rule: answer.rule,
          problems: designDecisionProblems({ ...answer, decision: decision.id }),
        }).toEqual({
          rule: answer.rule,
          problems: [],
        });
      }
      for (const wildcard of wildcards) expect(wildcard.reason.length).toBeGreaterThan(10);
    }
  });

  test('holds every decision that can be marked, and each is marked somewhere in lib/', () => {
    const sites = designDecisionSites(REPO);
    for (const id of MARKED_DESIGN_DECISIONS) {
      expect(markedDecision(id).id).toBe(id);
      expect({ id, marked: (sites.get(id) ?? []).length > 0 }).toEqual({ id, marked: true });
    }
    const registered: readonly string[] = MARKED_DESIGN_DECISIONS;
    expect([...sites.keys()].filter((id) => !registered.includes(id))).toEqual([]);
  });

  test('no construct under lib/constructs acknowledges a finding or carries a date of its own', () => {
    const offenders = sourceFiles(path.join(REPO, 'lib', 'constructs')).flatMap((file) => {
      const text = fs.readFileSync(file, 'utf8');
      const relative = path.relative(REPO, file);
      return [
        ...(/\backnowledge\(|nag\/acknowledge'/.test(text) ? [`${relative} calls acknowledge`] : []),
        ...(/\bexpires:\s*'\d{4}-\d{2}-\d{2}'/.test(text) ? [`${relative} has a dated expiry`] : []),
        ...(/\b(REVIEWED_UNTIL|ACKNOWLEDGMENT_EXPIRY|acknowledgmentExpiry)\b/.test(text)
          ? [`${relative} has an acknowledgment expiry`]
          : []),
      ];
    });
    expect(offenders).toEqual([]);
  });
});

describe('applying the register', () => {
  test('records a marked decision on the marked construct, with its ID and no expiry', () => {
    const scope = stack();
    const queue = new sqs.Queue(scope, 'Parked', { encryption: sqs.QueueEncryption.SQS_MANAGED });
    designDecision(queue, 'TERMINAL_QUEUE');
    Template.fromStack(scope);
    expect(recorded(queue)).toEqual([
      {
        rule: 'CT.SQS.PR.1',
        reason: markedDecision('TERMINAL_QUEUE').answers![0].reason,
        decision: 'TERMINAL_QUEUE',
      },
    ]);
  });

  test('records nothing where no decision is marked', () => {
    const scope = stack();
    const queue = new sqs.Queue(scope, 'Work', { encryption: sqs.QueueEncryption.SQS_MANAGED });
    Template.fromStack(scope);
    expect(recorded(queue)).toEqual([]);
  });

  test('applies a decision selected by resource type and properties without any mark', () => {
    const scope = stack();
    const bucket = new s3.Bucket(scope, 'AccessLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
    Template.fromStack(scope);
    const rules = recorded(bucket.node.defaultChild as s3.CfnBucket).map((data) => data.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        'NIST.800.53.R5-S3DefaultEncryptionKMS',
        'HIPAA.Security-S3DefaultEncryptionKMS',
        'PCI.DSS.321-S3DefaultEncryptionKMS',
      ]),
    );
  });

  test('a stack that is not Clover’s (a pipeline support stack) takes only the decisions marked in it', () => {
    const scope = stack({ markedOnly: true });
    const bucket = new s3.Bucket(scope, 'AccessLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
    designDecision(bucket, 'PIPELINE_ACCESS_LOG_BUCKET');
    Template.fromStack(scope);
    expect(recorded(bucket.node.defaultChild as s3.CfnBucket)).toEqual([]);
    expect(recorded(bucket).map((data) => data.decision)).toEqual(
      markedDecision('PIPELINE_ACCESS_LOG_BUCKET').answers!.map(() => 'PIPELINE_ACCESS_LOG_BUCKET'),
    );
  });

  describe('IAM wildcards', () => {
    function answered(resources: string[]): string[] {
      const scope = stack();
      const role = new iam.Role(scope, 'Role', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        inlinePolicies: {
          P: new iam.PolicyDocument({
            statements: [new iam.PolicyStatement({ actions: ['ec2:DescribeVpcs'], resources })],
          }),
        },
      });
      designDecision(scope, 'ACCESS_ROLE_WILDCARDS');
      Template.fromStack(scope);
      return recorded(role.node.defaultChild as iam.CfnRole)
        .filter((data) => String(data.rule).startsWith('AwsSolutions-IAM5'))
        .map((data) => `${data.rule} ${data.decision}`);
    }

    test('answers a wildcard that an entry of a marked decision matches, naming the exact finding', () => {
      expect(answered(['*'])).toEqual(['AwsSolutions-IAM5[Resource::*] ACCESS_ROLE_WILDCARDS']);
    });

    test('leaves an unexplained wildcard for the gate to fail', () => {
      expect(answered(['arn:aws:ec2:eu-west-1:111111111111:vpc/*'])).toEqual([]);
    });
  });

  test('a design decision never expires; a user acknowledgment does', () => {
    expect(isExpired({ expires: undefined }, '2999-12-31')).toBe(false);
    expect(isExpired({ expires: '2027-05-31' }, '2027-06-01')).toBe(true);
  });

  test('refuses a malformed decision record: a residency rule, or no decision ID', () => {
    expect(
      designDecisionProblems({ rule: 'CLV-RES-1', reason: 'a long enough reason', decision: 'X' }),
    ).toEqual([expect.stringMatching(/residency rule and can never be acknowledged/)]);
    expect(designDecisionProblems({ rule: 'CLV-ENC-1', reason: 'a long enough reason' })).toEqual([
      expect.stringMatching(/is not a design decision ID/),
    ]);
  });
});
