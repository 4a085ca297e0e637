// The local cluster's credentials, made with openssl: a CA, the API server's serving certificate,
// client certificates for the admin and for each control-plane component, and the service-account
// signing key. Made once per state folder and kept across restarts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MissingToolError } from '../../tools/kafka/testbed.ts';

export interface Credential {
  cert: string;
  key: string;
}

export interface ClusterCredentials {
  dir: string;
  ca: Credential;
  apiserver: Credential;
  admin: Credential;
  controllerManager: Credential;
  scheduler: Credential;
  /** The service-account signing key (private) and its public half. */
  serviceAccountKey: string;
  serviceAccountPub: string;
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.error) {
    throw new MissingToolError(
      'openssl is needed to make the cluster certificates (apt-get install openssl).',
    );
  }
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed:\n${result.stderr}`);
}

function issue(dir: string, name: string, subject: string, extensions: string[], ca: Credential): Credential {
  const cred = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, `${extensions.join('\n')}\n`);
  openssl(
    ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', cred.key, '-out', csr, '-subj', subject],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-days',
      '3650',
      '-out',
      cred.cert,
      '-extfile',
      ext,
    ],
    dir,
  );
  rmSync(csr);
  rmSync(ext);
  return cred;
}

function paths(dir: string): ClusterCredentials {
  const pair = (name: string): Credential => ({
    cert: join(dir, `${name}.crt`),
    key: join(dir, `${name}.key`),
  });
  return {
    dir,
    ca: pair('ca'),
    apiserver: pair('apiserver'),
    admin: pair('admin'),
    controllerManager: pair('controller-manager'),
    scheduler: pair('scheduler'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
  };
}

/**
 * Makes the credentials in `dir` unless they exist. `serverAddresses` are the IP addresses the API
 * server is reached at (loopback, the pod network's host address, the `kubernetes` Service IP).
 */
export function ensureCredentials(dir: string, serverAddresses: string[]): ClusterCredentials {
  const creds = paths(dir);
  const marker = join(dir, '.complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === serverAddresses.join(',')) return creds;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '3650',
      '-keyout',
      creds.ca.key,
      '-out',
      creds.ca.cert,
      '-subj',
      '/CN=weir-local-ca',
    ],
    dir,
  );
  const dns = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'];
  dns.push('kubernetes.default.svc.cluster.local');
  const san = [...dns.map((d) => `DNS:${d}`), ...serverAddresses.map((ip) => `IP:${ip}`)].join(',');
  issue(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    [`subjectAltName=${san}`, 'extendedKeyUsage=serverAuth'],
    creds.ca,
  );
  const client = ['extendedKeyUsage=clientAuth'];
  issue(dir, 'admin', '/O=system:masters/CN=weir-admin', client, creds.ca);
  issue(dir, 'controller-manager', '/CN=system:kube-controller-manager', client, creds.ca);
  issue(dir, 'scheduler', '/CN=system:kube-scheduler', client, creds.ca);
  openssl(
    ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', creds.serviceAccountKey],
    dir,
  );
  openssl(['pkey', '-in', creds.serviceAccountKey, '-pubout', '-out', creds.serviceAccountPub], dir);
  writeFileSync(marker, serverAddresses.join(','));
  return creds;
}

/** A kubeconfig for `user` against the API server at `server`, with the certificates inlined. */
export function kubeconfig(server: string, ca: Credential, user: Credential, name = 'weir-local'): string {
  const b64 = (file: string): string => readFileSync(file).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(ca.cert)}`,
    'users:',
    `- name: ${name}`,
    '  user:',
    `    client-certificate-data: ${b64(user.cert)}`,
    `    client-key-data: ${b64(user.key)}`,
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    `    user: ${name}`,
    `current-context: ${name}`,
    '',
  ].join('\n');
}
