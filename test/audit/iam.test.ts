import {
  actionsMatch,
  appliesToEveryone,
  conditionValues,
  findConditions,
  hasCondition,
  isWildcardPrincipal,
  parseArn,
  parseOperator,
  policyDocument,
  principalEntries,
  renderString,
  statementCoversAction,
  statementCoversService,
  statements,
  wildcardMatch,
} from '../../lib/audit/iam';

const CONTEXT = { region: 'eu-west-1', account: '111111111111' };

describe('statements', () => {
  test('reads Statement written as a single object', () => {
    const list = statements({ Statement: { Effect: 'Deny', Action: 's3:*', Sid: 'One' } });
    expect(list).toEqual([
      expect.objectContaining({ position: 0, effect: 'Deny', sid: 'One', action: 's3:*' }),
    ]);
  });
  test('reads Statement written as a list, keeping positions and skipping non-objects', () => {
    const list = statements({ Statement: [{ Effect: 'Allow' }, 'junk', { Effect: 'Maybe' }] });
    expect(list.map((s) => [s.position, s.effect])).toEqual([
      [0, 'Allow'],
      [2, undefined],
    ]);
  });
  test('returns nothing for a value that is no document', () => {
    expect(statements(undefined)).toEqual([]);
    expect(statements('text')).toEqual([]);
  });
});

describe('policyDocument', () => {
  test('parses a document given as JSON text', () => {
    expect(policyDocument('{"Statement":[{"Effect":"Allow"}]}')).toEqual({
      Statement: [{ Effect: 'Allow' }],
    });
  });
  test('parses a document built with Fn::Join, rendering references as ${LogicalId}', () => {
    const doc = policyDocument(
      {
        'Fn::Join': [
          '',
          ['{"Statement":[{"Effect":"Allow","Resource":"', { 'Fn::GetAtt': ['Group', 'Arn'] }, '"}]}'],
        ],
      },
      CONTEXT,
    );
    expect(statements(doc)[0].resource).toBe('${Group.Arn}');
  });
  test('returns undefined for text that is not JSON', () => {
    expect(policyDocument('not json')).toBeUndefined();
  });
});

describe('principals', () => {
  test.each<[string, unknown, boolean]>([
    ['"*"', '*', true],
    ['{AWS: "*"}', { AWS: '*' }, true],
    ['{AWS: [account, "*"]}', { AWS: ['arn:aws:iam::111111111111:root', '*'] }, true],
    ['{AWS: account}', { AWS: '111111111111' }, false],
    ['{Service: lambda}', { Service: 'lambda.amazonaws.com' }, false],
    ['{Federated: provider}', { Federated: 'arn:aws:iam::111111111111:saml-provider/idp' }, false],
    ['{Service: "*"} (not an AWS principal)', { Service: '*' }, false],
    ['absent', undefined, false],
  ])('isWildcardPrincipal(%s) is %s', (_name, principal, expected) => {
    expect(isWildcardPrincipal(principal)).toBe(expected);
  });
  test('lists every principal with its kind, keeping an intrinsic as one value', () => {
    const join = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] };
    expect(
      principalEntries({ AWS: join, Service: ['a.amazonaws.com', 'b.amazonaws.com'], CanonicalUser: 'abc' }),
    ).toEqual([
      { kind: 'aws', value: join },
      { kind: 'service', value: 'a.amazonaws.com' },
      { kind: 'service', value: 'b.amazonaws.com' },
      { kind: 'canonical-user', value: 'abc' },
    ]);
  });
  test('treats an Allow with NotPrincipal as applying to everyone', () => {
    const [statement] = statements({ Statement: { Effect: 'Allow', NotPrincipal: { AWS: '111111111111' } } });
    expect(appliesToEveryone(statement)).toBe(true);
  });
});

describe('actions', () => {
  test.each<[unknown, string, boolean]>([
    ['*', 'ec2:CreateRoute', true],
    ['ec2:*', 'ec2:CreateRoute', true],
    [['s3:GetObject', 'ec2:Create*'], 'ec2:CreateRoute', true],
    ['EC2:createroute', 'ec2:CreateRoute', true],
    ['ec2:Create?oute', 'ec2:CreateRoute', true],
    ['ec2:Delete*', 'ec2:CreateRoute', false],
    ['ec2:CreateRoute*', 'ec2:CreateRouteTable', true],
    ['ec2:CreateRoute', 'ec2:CreateRouteTable', false],
    [{ Ref: 'Param' }, 'ec2:CreateRoute', false],
  ])('actionsMatch(%j, %s) is %s', (actions, action, expected) => {
    expect(actionsMatch(actions, action)).toBe(expected);
  });
  test('a NotAction statement covers the actions it does not name', () => {
    const [statement] = statements({ Statement: { Effect: 'Deny', NotAction: ['iam:*', 'sts:*'] } });
    expect(statementCoversAction(statement, 'ec2:CreateRoute')).toBe(true);
    expect(statementCoversAction(statement, 'sts:AssumeRole')).toBe(false);
  });
  test.each<[Record<string, unknown>, boolean]>([
    [{ Action: 's3:*' }, true],
    [{ Action: '*' }, true],
    [{ Action: ['s3:GetObject', 'S3:*'] }, true],
    [{ Action: 's3:Get*' }, false],
    [{ NotAction: 'iam:*' }, true],
    [{ NotAction: 's3:GetObject' }, false],
  ])('statementCoversService(%j, "s3") is %s', (raw, expected) => {
    expect(statementCoversService(statements({ Statement: raw })[0], 's3')).toBe(expected);
  });
  test('wildcardMatch backtracks over several stars', () => {
    expect(wildcardMatch('arn:aws:s3:::*/*', 'arn:aws:s3:::bucket/a/b')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::*/*', 'arn:aws:s3:::bucket')).toBe(false);
    expect(wildcardMatch('a*b*c', 'aXbYbZc')).toBe(true);
    expect(wildcardMatch('A*', 'abc')).toBe(false);
    expect(wildcardMatch('A*', 'abc', true)).toBe(true);
  });
});

describe('conditions', () => {
  const [statement] = statements({
    Statement: {
      Effect: 'Allow',
      Condition: {
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        StringEquals: { 'aws:RequestTag/clover:approved': 'true', 'sts:ExternalId': ['a', 'b'] },
        'ForAnyValue:StringLikeIfExists': { 'aws:PrincipalOrgPaths': 'o-1/*' },
      },
    },
  });
  test('hasCondition compares keys case-insensitively and operators exactly', () => {
    expect(hasCondition(statement, 'Bool', 'AWS:multifactorauthpresent')).toBe(true);
    expect(hasCondition(statement, 'BoolIfExists', 'aws:MultiFactorAuthPresent')).toBe(false);
    expect(hasCondition(statement, ['BoolIfExists', 'bool'], 'aws:MultiFactorAuthPresent')).toBe(true);
  });
  test('a key ending in "/" matches every key with that prefix', () => {
    expect(findConditions(statement, 'StringEquals', 'aws:RequestTag/').map((c) => c.key)).toEqual([
      'aws:RequestTag/clover:approved',
    ]);
  });
  test('conditionValues flattens single values and lists', () => {
    expect(conditionValues(statement, 'StringEquals', 'sts:ExternalId')).toEqual(['a', 'b']);
    expect(conditionValues(statement, 'Bool', 'aws:MultiFactorAuthPresent')).toEqual(['true']);
  });
  test.each([
    ['StringEquals', { base: 'StringEquals', ifExists: false }],
    ['BoolIfExists', { base: 'Bool', ifExists: true }],
    ['ForAnyValue:StringLikeIfExists', { set: 'ForAnyValue', base: 'StringLike', ifExists: true }],
    ['forallvalues:StringEquals', { set: 'ForAllValues', base: 'StringEquals', ifExists: false }],
  ])('parseOperator(%s)', (operator, expected) => {
    expect(parseOperator(operator)).toEqual({ set: undefined, ...expected });
  });
});

describe('renderString and parseArn', () => {
  test('renders Fn::Join with pseudo parameters from the context', () => {
    const value = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':kms:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':alias/aws/s3',
        ],
      ],
    };
    expect(renderString(value, CONTEXT)).toBe('arn:aws:kms:eu-west-1:111111111111:alias/aws/s3');
  });
  test('renders the sovereign-cloud partition from the region', () => {
    expect(renderString({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b' }, { region: 'eusc-de-east-1' })).toBe(
      'arn:aws-eusc:s3:::b',
    );
  });
  test('renders Fn::Sub with attributes, local variables and escaped ${!Literal}', () => {
    const value = { 'Fn::Sub': ['${Bucket.Arn}/${Prefix}/${!Keep}', { Prefix: 'logs' }] };
    expect(renderString(value, CONTEXT)).toBe('${Bucket.Arn}/logs/${Keep}');
  });
  test('lets the context decide how references render, or refuse them', () => {
    expect(renderString({ Ref: 'Name' }, { reference: () => 'chosen' })).toBe('chosen');
    expect(
      renderString({ 'Fn::Join': ['', ['a', { Ref: 'Name' }]] }, { reference: () => undefined }),
    ).toBeUndefined();
  });
  test('cannot render Fn::If or Fn::ImportValue', () => {
    expect(renderString({ 'Fn::ImportValue': 'x' })).toBeUndefined();
    expect(renderString({ 'Fn::If': ['c', 'a', 'b'] })).toBeUndefined();
  });
  test('parseArn splits an ARN and keeps colons in the resource part', () => {
    expect(parseArn('arn:aws:logs:eu-west-1:111111111111:log-group:/clover/flow:*')).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'eu-west-1',
      account: '111111111111',
      resource: 'log-group:/clover/flow:*',
    });
    expect(parseArn('alias/aws/s3')).toBeUndefined();
  });
});
