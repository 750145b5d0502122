import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { deterministicGzip } from './deterministic-gzip';

/** UDP port on which Gateway Load Balancer sends GENEVE to its targets, and to which they reply. */
export const GENEVE_PORT = 6081;
/** TCP port of the appliance's HTTP health endpoint unless configured otherwise. */
export const DEFAULT_HEALTH_CHECK_PORT = 8080;
/** Path of the health endpoint: 200 while the forwarder runs, 503 when it stopped or drains. */
export const HEALTH_CHECK_PATH = '/health';
/** EC2's limit on raw (not yet base64-encoded) user data. */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

/** The appliance's files, shipped beside this module (packaged with the library, read at synth time). */
export const APPLIANCE_FILES = {
  program: path.join(__dirname, 'geneve_passthrough.py'),
  unit: path.join(__dirname, 'clover-gateway.service'),
  userData: path.join(__dirname, 'user-data.sh'),
} as const;

// Upper bounds used to check the size when a value is a token: CloudWatch Logs allows 512-character
// group names; regions and URL suffixes are short; an IPv6 block in CIDR notation has at most 43
// characters.
const LONGEST_RESOLVED_VALUE = {
  LOG_GROUP_NAME: 512,
  REGION: 32,
  URL_SUFFIX: 32,
  HEALTH_CHECK_PORT: 5,
  PROTECTED_IPV6: 43,
};

export interface ApplianceUserDataProps {
  /**
   * CloudWatch Logs group that receives the flow log (one stream per instance, named by its instance
   * id). The instance role needs `logs:CreateLogStream` and `logs:PutLogEvents` on it. May be a token.
   */
  readonly logGroupName: string;
  /** Region of the log group, usually `Stack.of(this).region`. May be a token. */
  readonly region: string;
  /**
   * URL suffix of the partition (`amazonaws.com`, `amazonaws.eu`, …), usually `Stack.of(this).urlSuffix`;
   * the appliance calls `logs.<region>.<urlSuffix>`. May be a token.
   */
  readonly urlSuffix: string;
  /**
   * TCP port of the HTTP health endpoint (`GET /health`) that the target group checks.
   * @default DEFAULT_HEALTH_CHECK_PORT (8080)
   */
  readonly healthCheckPort?: number;
  /**
   * IPv6 block of the enclave VPC (may be a token): the appliance drops IPv6 packets from outside to
   * it unless they belong to a flow started inside (stateful), so the internet gateway's edge route
   * cannot carry unsolicited inbound IPv6 to workloads.
   * @default no IPv6 filtering (an IPv4-only enclave)
   */
  readonly protectedIpv6Cidr?: string;
}

/**
 * Amazon Linux 2023 user data that installs the GENEVE pass-through and its systemd unit (both
 * embedded, nothing is downloaded) and starts it. Tokens in the props are rendered by CloudFormation
 * (`Fn::Join`), so the template stays partition-aware.
 */
export function applianceUserData(props: ApplianceUserDataProps): ec2.UserData {
  const healthCheckPort = props.healthCheckPort ?? DEFAULT_HEALTH_CHECK_PORT;
  validateProps(props, healthCheckPort);
  const script = renderUserDataScript({
    LOG_GROUP_NAME: props.logGroupName,
    REGION: props.region,
    URL_SUFFIX: props.urlSuffix,
    HEALTH_CHECK_PORT: Token.asString(healthCheckPort),
    PROTECTED_IPV6: props.protectedIpv6Cidr ?? '',
  });
  const [shebang, ...commands] = script.split('\n');
  const userData = ec2.UserData.forLinux({ shebang });
  userData.addCommands(...commands);
  return userData;
}

/** The settings that differ per deployment; the program and unit are filled in by the renderer. */
export type ApplianceSettings = Record<keyof typeof LONGEST_RESOLVED_VALUE, string>;

/**
 * The complete user-data script: user-data.sh with its @@NAME@@ placeholders replaced. Values are
 * joined in as they are (tokens stay tokens), never parsed.
 */
export function renderUserDataScript(settings: ApplianceSettings): string {
  const program = embeddedFile(APPLIANCE_FILES.program);
  const unit = embeddedFile(APPLIANCE_FILES.unit);
  const values: Record<string, string> = {
    ...settings,
    PROGRAM_GZIP_BASE64: program.gzipBase64,
    PROGRAM_SHA256: program.sha256,
    UNIT_GZIP_BASE64: unit.gzipBase64,
    UNIT_SHA256: unit.sha256,
  };
  const template = fs.readFileSync(APPLIANCE_FILES.userData, 'utf8');
  const parts = template.split(/@@([A-Z0-9_]+)@@/);
  const used = parts.filter((_, index) => index % 2 === 1);
  const unknown = used.filter((name) => !(name in values));
  const unused = Object.keys(values).filter((name) => !used.includes(name));
  if (unknown.length > 0 || unused.length > 0) {
    throw new Error(
      `${APPLIANCE_FILES.userData} does not match its renderer: unknown placeholders [${unknown.join(', ')}], ` +
        `unused values [${unused.join(', ')}]`,
    );
  }
  const script = parts.map((part, index) => (index % 2 === 1 ? values[part] : part)).join('');
  const longest = Buffer.byteLength(script) + worstCaseTokenGrowth(settings);
  if (longest > USER_DATA_LIMIT_BYTES) {
    throw new Error(
      `appliance user data can reach ${longest} bytes, over EC2's ${USER_DATA_LIMIT_BYTES}-byte limit; ` +
        `shorten ${path.basename(APPLIANCE_FILES.program)} or the log group name`,
    );
  }
  return script;
}

function worstCaseTokenGrowth(settings: ApplianceSettings): number {
  return (Object.keys(LONGEST_RESOLVED_VALUE) as Array<keyof ApplianceSettings>)
    .filter((name) => Token.isUnresolved(settings[name]))
    .reduce((growth, name) => growth + Math.max(0, LONGEST_RESOLVED_VALUE[name] - settings[name].length), 0);
}

const embeddedCache = new Map<string, { gzipBase64: string; sha256: string }>();

function embeddedFile(file: string): { gzipBase64: string; sha256: string } {
  let embedded = embeddedCache.get(file);
  if (!embedded) {
    const content = fs.readFileSync(file);
    embedded = {
      gzipBase64: deterministicGzip(content).toString('base64'),
      sha256: crypto.createHash('sha256').update(content).digest('hex'),
    };
    embeddedCache.set(file, embedded);
  }
  return embedded;
}

// Values land inside single quotes in the script and in the systemd environment file: allow only what
// AWS itself allows in them, so nothing can break out of the quoting.
const LOG_GROUP_NAME = /^[A-Za-z0-9._\-/#]{1,512}$/;
const REGION = /^[a-z]{2,}(-[a-z]+)+-\d+$/;
const URL_SUFFIX = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

function validateProps(props: ApplianceUserDataProps, healthCheckPort: number): void {
  const errors: string[] = [];
  const check = (value: string, pattern: RegExp, problem: string): void => {
    if (!Token.isUnresolved(value) && !pattern.test(value)) errors.push(problem);
  };
  check(
    props.logGroupName,
    LOG_GROUP_NAME,
    `logGroupName "${props.logGroupName}" is not a CloudWatch Logs group name; use 1-512 of A-Z a-z 0-9 . _ - / #`,
  );
  check(props.region, REGION, `region "${props.region}" is not an AWS region code; use e.g. "eu-west-1"`);
  check(
    props.urlSuffix,
    URL_SUFFIX,
    `urlSuffix "${props.urlSuffix}" is not a domain; use Stack.of(this).urlSuffix (e.g. "amazonaws.com")`,
  );
  const portIsValid = Number.isInteger(healthCheckPort) && healthCheckPort >= 1 && healthCheckPort <= 65535;
  if (!Token.isUnresolved(healthCheckPort) && !portIsValid) {
    errors.push(
      `healthCheckPort ${healthCheckPort} is not a TCP port; use 1-65535 (default ${DEFAULT_HEALTH_CHECK_PORT})`,
    );
  }
  if (errors.length > 0) {
    throw new Error(`Invalid appliance user data props:\n  ${errors.join('\n  ')}`);
  }
}
