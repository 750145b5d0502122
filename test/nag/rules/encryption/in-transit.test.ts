import { TRANSIT_SETTINGS, TransitSetting } from '../../../../lib/audit/coverage/in-transit';
import { findingsOf, resource, setAt } from '../../../helpers/rules';

/** CLV-ENC-9 findings of one resource (`Res`) among others. */
function plaintext(
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>,
): string[] {
  return findingsOf({ Resources: resources })
    .filter((finding) => finding.rule === 'CLV-ENC-9')
    .map((finding) => `${finding.resource}: ${finding.message}`);
}

function within(setting: TransitSetting, property: string): string {
  return setting.at ? `${setting.at}.${property}` : property;
}

function safeProperties(settings: readonly TransitSetting[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const setting of settings) {
    if (setting.onlyWhen) setAt(properties, setting.onlyWhen.property, setting.onlyWhen.values[0]);
    setAt(properties, within(setting, setting.property), setting.safe);
  }
  return properties;
}

const cases = Object.entries(TRANSIT_SETTINGS).flatMap(([type, settings]) =>
  settings.map((setting, i) => [`${type} ${within(setting, setting.property)}`, type, settings, i] as const),
);

describe('CLV-ENC-9 plaintext settings of the registry table', () => {
  test.each(Object.entries(TRANSIT_SETTINGS))(
    'accepts %s with every setting refusing plaintext',
    (type, settings) => {
      expect(plaintext({ Res: resource(type, safeProperties(settings)) })).toEqual([]);
    },
  );

  test.each(cases)('rejects %s set to accept plaintext', (_name, type, settings, i) => {
    const setting = settings[i];
    const properties = setAt(
      safeProperties(settings),
      within(setting, setting.property),
      setting.plaintext[0],
    );
    expect(plaintext({ Res: resource(type, properties) })).toEqual([
      expect.stringMatching(
        new RegExp(`^Res: .*${setting.property.split('.').pop()} is .*(can travel in clear)`),
      ),
    ]);
  });

  test.each(
    cases.filter(
      ([, , settings, i]) =>
        settings[i].default !== undefined && settings[i].plaintext.includes(settings[i].default!),
    ),
  )('rejects %s when absent, because its default accepts plaintext', (_name, type, settings, i) => {
    const setting = settings[i];
    const properties = safeProperties(settings);
    const parent = setting.at ? undefined : properties;
    if (parent) delete parent[setting.property.split('.')[0]];
    else setAt(properties, within(setting, setting.property), undefined);
    const found = plaintext({ Res: resource(type, JSON.parse(JSON.stringify(properties))) });
    expect(found).toEqual([expect.stringMatching(/is not set \(default .*can travel in clear/)]);
  });

  test('reads real booleans as well as the strings CloudFormation accepts', () => {
    expect(
      plaintext({ Res: resource('AWS::ElastiCache::CacheCluster', { TransitEncryptionEnabled: false }) }),
    ).toHaveLength(1);
    expect(
      plaintext({ Res: resource('AWS::ElastiCache::CacheCluster', { TransitEncryptionEnabled: true }) }),
    ).toEqual([]);
  });

  test('judges a DMS endpoint’s SslMode only for database engines (S3 targets take only none)', () => {
    expect(
      plaintext({ Res: resource('AWS::DMS::Endpoint', { EngineName: 's3', EndpointType: 'target' }) }),
    ).toEqual([]);
    expect(
      plaintext({ Res: resource('AWS::DMS::Endpoint', { EngineName: 'postgres', EndpointType: 'source' }) }),
    ).toEqual(['Res: SslMode is not set (default none): the connection to the database can travel in clear']);
  });

  test('rejects a Transfer Family server that offers FTP among its protocols', () => {
    expect(
      plaintext({ Res: resource('AWS::Transfer::Server', { Protocols: ['SFTP', 'FTP'] }) }),
    ).toHaveLength(1);
    expect(plaintext({ Res: resource('AWS::Transfer::Server', { Protocols: ['SFTP', 'FTPS'] }) })).toEqual(
      [],
    );
  });

  test('says when a setting cannot be proven (a parameter without a value)', () => {
    const found = findingsOf({
      Parameters: { Tls: { Type: 'String' } },
      Resources: { Res: resource('AWS::MemoryDB::Cluster', { TLSEnabled: { Ref: 'Tls' } }) },
    }).filter((f) => f.rule === 'CLV-ENC-9');
    expect(found.map((f) => f.message)).toEqual([
      'TLSEnabled is ${Tls}, which cannot be proven to refuse plaintext client connections',
    ]);
  });
});

const LB = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/0123456789abcdef';
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/web/0123456789abcdef';
const listener = (protocol: string, actions: unknown[]) =>
  resource('AWS::ElasticLoadBalancingV2::Listener', {
    LoadBalancerArn: LB,
    Port: 80,
    Protocol: protocol,
    DefaultActions: actions,
  });
const redirect = {
  Type: 'redirect',
  RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
};
const forward = { Type: 'forward', TargetGroupArn: TG };

describe('CLV-ENC-9 listeners and distributions', () => {
  test('rejects an HTTP listener that forwards, and accepts one that only redirects to HTTPS or answers a fixed response', () => {
    expect(plaintext({ Http: listener('HTTP', [forward]) })).toEqual([
      'Http: listener Http accepts HTTP and its default action is forward, not a redirect to HTTPS: requests and responses travel in clear',
    ]);
    expect(plaintext({ Http: listener('HTTP', [redirect]) })).toEqual([]);
    expect(
      plaintext({
        Http: listener('HTTP', [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '403' } }]),
      }),
    ).toEqual([]);
    expect(plaintext({ Https: listener('HTTPS', [forward]) })).toEqual([]);
  });

  test('rejects a redirect to plain HTTP', () => {
    expect(
      plaintext({
        Http: listener('HTTP', [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTP', Port: '8080' } }]),
      }),
    ).toHaveLength(1);
  });

  test('rejects a listener rule that forwards requests arriving on an HTTP listener', () => {
    const rule = (listenerId: string) =>
      resource('AWS::ElasticLoadBalancingV2::ListenerRule', {
        ListenerArn: { Ref: listenerId },
        Priority: 1,
        Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
        Actions: [forward],
      });
    expect(plaintext({ Http: listener('HTTP', [redirect]), Rule: rule('Http') })).toEqual([
      'Rule: listener rule Rule on HTTP listener Http answers with forward: those requests travel in clear',
    ]);
    expect(plaintext({ Https: listener('HTTPS', [forward]), Rule: rule('Https') })).toEqual([]);
  });

  test('rejects a distribution that allows HTTP viewers or talks HTTP to its origin', () => {
    const distribution = (viewer: string, origin: string) =>
      resource('AWS::CloudFront::Distribution', {
        DistributionConfig: {
          Enabled: true,
          DefaultCacheBehavior: { TargetOriginId: 'o', ViewerProtocolPolicy: viewer },
          Origins: [
            { Id: 'o', DomainName: 'api.example.com', CustomOriginConfig: { OriginProtocolPolicy: origin } },
          ],
        },
      });
    expect(plaintext({ Cdn: distribution('allow-all', 'http-only') })).toEqual([
      'Cdn: DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy is allow-all: viewers may use plain HTTP',
      'Cdn: DistributionConfig.Origins[0].CustomOriginConfig.OriginProtocolPolicy is http-only: requests to the origin travel in clear',
    ]);
    expect(plaintext({ Cdn: distribution('redirect-to-https', 'https-only') })).toEqual([]);
  });
});

describe('CLV-ENC-9 database parameter groups', () => {
  test.each<[string, string, unknown, unknown]>([
    [
      'PostgreSQL rds.force_ssl',
      'AWS::RDS::DBParameterGroup',
      { 'rds.force_ssl': '0' },
      { 'rds.force_ssl': '1' },
    ],
    [
      'MySQL require_secure_transport',
      'AWS::RDS::DBClusterParameterGroup',
      { require_secure_transport: 'OFF' },
      { require_secure_transport: 'ON' },
    ],
    ['DocumentDB tls', 'AWS::DocDB::DBClusterParameterGroup', { tls: 'disabled' }, { tls: 'enabled' }],
    [
      'Redshift require_ssl',
      'AWS::Redshift::ClusterParameterGroup',
      [{ ParameterName: 'require_ssl', ParameterValue: 'false' }],
      [{ ParameterName: 'require_ssl', ParameterValue: 'true' }],
    ],
  ])('rejects %s switched off, accepts it on', (_name, type, off, on) => {
    expect(plaintext({ Group: resource(type, { Family: 'x', Description: 'd', Parameters: off }) })).toEqual([
      expect.stringMatching(/^Group: parameter .* database clients may connect without TLS$/),
    ]);
    expect(plaintext({ Group: resource(type, { Family: 'x', Description: 'd', Parameters: on }) })).toEqual(
      [],
    );
  });
});
