import { actionMatches, routeWritingCalls } from '../../lib/audit/network-route-writers';

describe('route-writing actions', () => {
  test('IAM action patterns match case-insensitively with * and ? wildcards', () => {
    expect(actionMatches('ec2:*', 'ec2:CreateRoute')).toBe(true);
    expect(actionMatches('*', 'ec2:ReplaceRoute')).toBe(true);
    expect(actionMatches('EC2:replace?oute', 'ec2:ReplaceRoute')).toBe(true);
    expect(actionMatches('ec2:Describe*', 'ec2:CreateRoute')).toBe(false);
    expect(actionMatches('ec2:CreateRouteTable', 'ec2:CreateRoute')).toBe(false);
  });

  test('finds route-writing SDK calls in custom resource properties, in v2 and v3 spellings, and nothing else', () => {
    const resource = (properties: Record<string, unknown>) => ({
      logicalId: 'Custom',
      type: 'Custom::AWS',
      properties: { ServiceToken: 'arn:…:function:ReplaceRoute', ...properties },
      json: { Type: 'Custom::AWS' },
    });
    expect(routeWritingCalls(resource({ Create: '{"service":"EC2","action":"replaceRoute"}' }))).toEqual([
      'ec2:ReplaceRoute (in Create)',
    ]);
    expect(
      routeWritingCalls(
        resource({
          Update: {
            'Fn::Join': ['', ['{"action":"ReplaceRouteTableAssociationCommand","x":"', { Ref: 'X' }, '"}']],
          },
        }),
      ),
    ).toEqual(['ec2:ReplaceRouteTableAssociation (in Update.Fn::Join.1.0)']);
    expect(
      routeWritingCalls(
        resource({ Create: '{"action":"createRouteTable"}', Delete: 'acceptVpcEndpointConnections' }),
      ),
    ).toEqual([]);
  });
});
