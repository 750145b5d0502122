import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** PEM material for one local HTTPS server. */
export interface ServerIdentity {
  readonly key: string;
  readonly cert: string;
}

export interface TestCertificates {
  readonly directory: string;
  /** The CA the client is told to trust. */
  readonly caPem: string;
  readonly caFile: string;
  /** 127.0.0.1 / localhost, signed by the trusted CA. */
  readonly trusted: ServerIdentity;
  /** The same names, signed by a CA the client does not know. */
  readonly untrusted: ServerIdentity;
}

/** Makes two CAs and a server certificate from each with openssl (EC P-256: fast), in a temp dir. */
export function makeCertificates(): TestCertificates {
  const directory = mkdtempSync(join(tmpdir(), 'clover-shipper-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: directory, stdio: 'pipe' });
  writeFileSync(
    join(directory, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  const identity = (name: string): ServerIdentity => {
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}-ca.key`);
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}-ca.key`,
      '-sha256',
      '-days',
      '2',
      '-subj',
      `/CN=${name} test CA`,
      '-out',
      `${name}-ca.pem`,
    );
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}-server.key`);
    openssl(
      'req',
      '-new',
      '-key',
      `${name}-server.key`,
      '-subj',
      '/CN=127.0.0.1',
      '-out',
      `${name}-server.csr`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}-server.csr`,
      '-CA',
      `${name}-ca.pem`,
      '-CAkey',
      `${name}-ca.key`,
      '-CAcreateserial',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      'server.ext',
      '-out',
      `${name}-server.pem`,
    );
    return {
      key: readFileSync(join(directory, `${name}-server.key`), 'utf8'),
      cert: readFileSync(join(directory, `${name}-server.pem`), 'utf8'),
    };
  };
  const trusted = identity('trusted');
  const untrusted = identity('rogue');
  const caFile = join(directory, 'trusted-ca.pem');
  return { directory, caPem: readFileSync(caFile, 'utf8'), caFile, trusted, untrusted };
}
