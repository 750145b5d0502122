import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import { App, Aws, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  APPLIANCE_FILES,
  applianceUserData,
  ApplianceUserDataProps,
  DEFAULT_HEALTH_CHECK_PORT,
  GENEVE_PORT,
  USER_DATA_LIMIT_BYTES,
} from '../../../../lib/constructs/security-gateway/appliance';
import { hasTool } from '../../../helpers/tools';
import { PYTHON, startAppliance } from './appliance-process';

const SHELLCHECK = hasTool('shellcheck');
const CONCRETE: ApplianceUserDataProps = {
  logGroupName: '/clover/dublin-1/gateway-appliance',
  region: 'eu-west-1',
  urlSuffix: 'amazonaws.com',
};

function shellcheck(script: string): void {
  // Throws with shellcheck's findings when there are any.
  execFileSync('shellcheck', ['--shell=bash', '-'], { input: script, encoding: 'utf8', timeout: 30_000 });
}

function renderConcrete(props: ApplianceUserDataProps): string {
  const stack = new Stack(new App(), 'Concrete', { env: { account: '111111111111', region: 'eu-west-1' } });
  return stack.resolve(applianceUserData(props).render()) as string;
}

/** The value of `name='...'` in the script. */
function assignment(script: string, name: string): string {
  const match = new RegExp(`^${name}='([^']*)'$`, 'm').exec(script);
  if (!match) throw new Error(`no ${name}= in the user data`);
  return match[1];
}

/** Decodes embedded content the way the instance does at boot: system base64 and gunzip. */
function decodeWithSystemTools(gzipBase64: string): Buffer {
  return execFileSync('bash', ['-c', 'set -o pipefail; base64 --decode | gunzip'], {
    input: gzipBase64,
    timeout: 20_000,
  });
}

function freePort(): Promise<number> {
  const server = net.createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    }),
  );
}

// One synthesized stack with tokens for every value, shared by the tests below.
const app = new App();
const stack = new Stack(app, 'Gateway', { env: { account: '111111111111', region: 'eu-west-1' } });
const flowLog = new logs.LogGroup(stack, 'ApplianceFlowLog', {
  logGroupName: '/clover/dublin-1/gateway-appliance',
});
const healthPort = new CfnParameter(stack, 'HealthPort', { type: 'Number', default: 8081 });
new ec2.CfnLaunchTemplate(stack, 'Appliance', {
  launchTemplateData: {
    userData: Fn.base64(
      applianceUserData({
        logGroupName: flowLog.logGroupName,
        region: Aws.REGION,
        urlSuffix: Aws.URL_SUFFIX,
        healthCheckPort: healthPort.valueAsNumber,
      }).render(),
    ),
  },
});
const template = Template.fromStack(stack);
const flowLogId = stack.getLogicalId(flowLog.node.defaultChild as logs.CfnLogGroup);
const joinParts = (): unknown[] => {
  const launchTemplate = Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0];
  const userData = launchTemplate.Properties.LaunchTemplateData.UserData as {
    'Fn::Base64': { 'Fn::Join': [string, unknown[]] };
  };
  return userData['Fn::Base64']['Fn::Join'][1];
};
/** The script CloudFormation would produce in the European Sovereign Cloud. */
const resolvedForEusc = (): string => {
  const values: Record<string, string> = {
    'AWS::Region': 'eusc-de-east-1',
    'AWS::URLSuffix': 'amazonaws.eu',
    [flowLogId]: '/clover/dublin-1/gateway-appliance',
    HealthPort: '8081',
  };
  return joinParts()
    .map((part) => (typeof part === 'string' ? part : values[(part as { Ref: string }).Ref]))
    .join('');
};

describe('user data in a stack', () => {
  test('renders region, URL suffix, log group and port tokens through Fn::Join, with no partition hard-coded', () => {
    const references = joinParts()
      .filter((part) => typeof part !== 'string')
      .map((part) => (part as { Ref: string }).Ref);
    expect(new Set(references)).toEqual(new Set(['AWS::Region', 'AWS::URLSuffix', flowLogId, 'HealthPort']));
    expect(JSON.stringify(template.toJSON())).not.toMatch(/amazonaws\.com|arn:aws:/);
    const script = resolvedForEusc();
    expect(assignment(script, 'region')).toBe('eusc-de-east-1');
    expect(assignment(script, 'url_suffix')).toBe('amazonaws.eu');
    expect(assignment(script, 'log_group')).toBe('/clover/dublin-1/gateway-appliance');
    expect(assignment(script, 'health_check_port')).toBe('8081');
  });

  test('installs the shipped program and unit byte-for-byte, checked by SHA-256', () => {
    const script = resolvedForEusc();
    for (const [prefix, file] of [
      ['program', APPLIANCE_FILES.program],
      ['unit', APPLIANCE_FILES.unit],
    ]) {
      const shipped = fs.readFileSync(file);
      expect(decodeWithSystemTools(assignment(script, `${prefix}_gzip_base64`)).equals(shipped)).toBe(true);
      expect(assignment(script, `${prefix}_sha256`)).toBe(
        crypto.createHash('sha256').update(shipped).digest('hex'),
      );
    }
  });

  (SHELLCHECK ? test : test.skip)('the rendered script passes shellcheck', () => {
    expect(() => shellcheck(resolvedForEusc())).not.toThrow();
  });
});

describe('user-data script', () => {
  (SHELLCHECK ? test : test.skip)('the user-data.sh template passes shellcheck', () => {
    expect(() => shellcheck(fs.readFileSync(APPLIANCE_FILES.userData, 'utf8'))).not.toThrow();
  });

  test("stays under EC2's 16 KB user-data limit, even with a 512-character log group name", () => {
    const longest = renderConcrete({ ...CONCRETE, logGroupName: `/clover/${'x'.repeat(504)}` });
    expect(Buffer.byteLength(longest)).toBeLessThan(USER_DATA_LIMIT_BYTES);
  });

  test('is byte-identical on every render (no timestamps, deterministic compression)', () => {
    expect(renderConcrete(CONCRETE)).toBe(renderConcrete(CONCRETE));
  });

  test('starts with bash strict mode and passes the settings to the service', () => {
    const script = renderConcrete(CONCRETE);
    expect(script.split('\n').slice(0, 6)).toEqual(
      expect.arrayContaining(['#!/bin/bash', 'set -euo pipefail']),
    );
    expect(assignment(script, 'health_check_port')).toBe(String(DEFAULT_HEALTH_CHECK_PORT));
    expect(script).toContain('CLOVER_HEALTH_PORT="$health_check_port"');
    expect(script).toContain('CLOVER_LOG_GROUP="$log_group"');
    expect(script).toContain('systemctl enable --now "$service.service"');
    expect(DEFAULT_HEALTH_CHECK_PORT).toBe(8080);
    expect(GENEVE_PORT).toBe(6081);
  });

  test('writes the service environment that configures the program (variable names match)', async () => {
    const healthCheckPort = await freePort();
    const script = renderConcrete({
      region: 'eusc-de-east-1',
      urlSuffix: 'amazonaws.eu',
      logGroupName: '/clover/x',
      healthCheckPort,
      protectedIpv6Cidr: '2a05:d018:1234:5600::/56',
    });
    const environmentFile = /<<ENVIRONMENT\n([\s\S]*?)\nENVIRONMENT\n/.exec(script)?.[1] ?? '';
    // Each line is NAME="$variable"; the variable is assigned at the top of the script.
    const env = Object.fromEntries(
      environmentFile.split('\n').map((line) => {
        const [, name, variable] = /^(CLOVER_[A-Z0-9_]+)="\$([a-z0-9_]+)"$/.exec(line) ?? [line, line, ''];
        return [name, variable ? assignment(script, variable) : ''];
      }),
    );
    expect(Object.keys(env).sort()).toEqual([
      'CLOVER_HEALTH_PORT',
      'CLOVER_LOG_GROUP',
      'CLOVER_PROTECTED_IPV6',
      'CLOVER_REGION',
      'CLOVER_URL_SUFFIX',
    ]);

    const appliance = await startAppliance([], { env, ephemeralHealthPort: false });
    try {
      expect(appliance.ready).toMatchObject({
        healthPort: healthCheckPort,
        logGroup: '/clover/x',
        logsEndpoint: 'https://logs.eusc-de-east-1.amazonaws.eu',
        protectedIpv6: ['2a05:d018:1234:5600::/56'],
      });
    } finally {
      await appliance.stop();
    }
  });

  test('rejects bad props with one error naming every bad value', () => {
    const bad = {
      logGroupName: 'flow log; rm -rf /',
      region: "eu-west-1'",
      urlSuffix: 'amazonaws',
      healthCheckPort: 70000,
    };
    expect(() => renderConcrete(bad)).toThrow(
      /logGroupName "flow log; rm -rf \/"[\s\S]*region "eu-west-1'"[\s\S]*urlSuffix "amazonaws"[\s\S]*healthCheckPort 70000/,
    );
  });
});

describe('systemd unit', () => {
  const unit = fs.readFileSync(APPLIANCE_FILES.unit, 'utf8');
  const settings = unit.split('\n').filter((line) => /^[A-Za-z]+=/.test(line));

  test('runs the program as a dedicated user with no capabilities, always restarted, hardened', () => {
    expect(settings).toEqual(
      expect.arrayContaining([
        'User=clover-gateway',
        'Restart=always',
        'StartLimitIntervalSec=0',
        'CapabilityBoundingSet=',
        'AmbientCapabilities=',
        'NoNewPrivileges=yes',
        'ProtectSystem=strict',
        'PrivateTmp=yes',
        'EnvironmentFile=/etc/clover-gateway/gateway.env',
        'ExecStart=/usr/bin/python3 -I -u /opt/clover-gateway/geneve_passthrough.py',
      ]),
    );
    expect(settings.filter((line) => line.startsWith('User='))).not.toContain('User=root');
  });

  const systemdAnalyze = (() => {
    try {
      execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      process.stderr.write('SKIP: systemd-analyze is not installed; the unit is not verified\n');
      return false;
    }
  })();
  (systemdAnalyze ? test : test.skip)('passes systemd-analyze verify without warnings', () => {
    const directory = fs.mkdtempSync('/tmp/clover-unit-');
    try {
      fs.copyFileSync(APPLIANCE_FILES.unit, `${directory}/clover-gateway.service`);
      const result = execFileSync(
        'bash',
        ['-c', `systemd-analyze verify ${directory}/clover-gateway.service 2>&1`],
        {
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      expect(result.trim()).toBe('');
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('program', () => {
  test('uses only the Python standard library, in Python 3.9 syntax (Amazon Linux 2023)', () => {
    const script = [
      'import ast, sys',
      'tree = ast.parse(open(sys.argv[1]).read(), feature_version=(3, 9))',
      'names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}',
      'names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}',
      'print(",".join(sorted(names - set(sys.stdlib_module_names))))',
    ].join('\n');
    const nonStandard = execFileSync(PYTHON, ['-B', '-c', script, APPLIANCE_FILES.program], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(nonStandard.trim()).toBe('');
  });

  test('hard-codes no partition: the CloudWatch endpoint comes from region and URL suffix', () => {
    const program = fs.readFileSync(APPLIANCE_FILES.program, 'utf8');
    expect(program).not.toMatch(/amazonaws|arn:aws/);
    expect(program).toContain('"https://logs.%s.%s" % (args.region, args.url_suffix)');
  });
});
