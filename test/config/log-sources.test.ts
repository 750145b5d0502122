import { loadConfig } from '../../lib/config/load';
import type { CloverConfig } from '../../lib/config/types';
import {
  enclaveLogSources,
  organizationTrailReader,
  parseOrganizationTrailLogGroup,
} from '../../lib/config/log-sources';

const base = loadConfig({ today: '2026-11-23' }).config;
const withMonitoring = (organizationTrailLogGroup: string | undefined): CloverConfig => ({
  ...base,
  monitoring: { ...base.monitoring, organizationTrailLogGroup },
});

describe('enclaveLogSources', () => {
  test('lists flow logs, appliance logs and the trail of every enclave, by Clover’s fixed names', () => {
    expect(enclaveLogSources(base.enclaves[2], base)).toEqual([
      { id: 'FlowLogs', kind: 'flow', logGroupName: '/clover/hamar/vpc-flow-logs' },
      { id: 'ApplianceLogs', kind: 'appliance', logGroupName: '/clover/hamar/gateway-appliance' },
      { id: 'TrailLogs', kind: 'trail', logGroupName: '/clover/hamar/cloudtrail' },
    ]);
  });

  test('adds application access log groups with IDs derived from their names', () => {
    const enclave = { ...base.enclaves[0], applicationLogGroups: ['/app/orders/access'] };
    expect(enclaveLogSources(enclave, base)).toContainEqual({
      id: 'ApplicationLogsAppOrdersAccess',
      kind: 'application',
      logGroupName: '/app/orders/access',
    });
  });

  test('rejects an application log group that repeats one of Clover’s own', () => {
    const enclave = { ...base.enclaves[0], applicationLogGroups: ['/clover/dublin-1/cloudtrail'] };
    expect(() => enclaveLogSources(enclave, base)).toThrow(
      /log group \/clover\/dublin-1\/cloudtrail would be subscribed twice/,
    );
  });

  test('rejects two application log groups whose names give the same subscription ID', () => {
    const enclave = { ...base.enclaves[0], applicationLogGroups: ['/app/orders', '/app-orders'] };
    expect(() => enclaveLogSources(enclave, base)).toThrow(
      /gives the subscription ID ApplicationLogsAppOrders of another log group/,
    );
  });
});

describe('the organisation trail', () => {
  test('parses a log group ARN into account, region and name, and accepts a bare name', () => {
    expect(
      parseOrganizationTrailLogGroup('arn:aws:logs:eu-west-1:222222222222:log-group:org/trail:*'),
    ).toEqual({
      region: 'eu-west-1',
      account: '222222222222',
      logGroupName: 'org/trail',
    });
    expect(parseOrganizationTrailLogGroup('aws-controltower/CloudTrailLogs')).toEqual({
      logGroupName: 'aws-controltower/CloudTrailLogs',
    });
    expect(parseOrganizationTrailLogGroup('not a log group!')).toBeUndefined();
  });

  test('is read by the enclave of the account and region its ARN names, and by no other', () => {
    const config = withMonitoring('arn:aws:logs:eu-north-1:333333333333:log-group:org-trail');
    expect(organizationTrailReader(config)?.name).toBe('hamar');
    expect(enclaveLogSources(config.enclaves[2], config).map((s) => s.logGroupName)).toContain('org-trail');
    expect(enclaveLogSources(config.enclaves[0], config).map((s) => s.logGroupName)).not.toContain(
      'org-trail',
    );
  });

  test('by bare name, is read by the first enclave in the monitoring region only', () => {
    const config = withMonitoring('org-trail');
    expect(organizationTrailReader(config)?.name).toBe('dublin-1');
    expect(enclaveLogSources(config.enclaves[1], config).map((s) => s.logGroupName)).not.toContain(
      'org-trail',
    );
  });

  test('is read by nobody when its ARN names an account no enclave has (never forwarded from us-east-1)', () => {
    expect(
      organizationTrailReader(withMonitoring('arn:aws:logs:us-east-1:999999999999:log-group:org-trail')),
    ).toBeUndefined();
    expect(organizationTrailReader(withMonitoring(undefined))).toBeUndefined();
  });
});
