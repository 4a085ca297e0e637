// Secure listeners for the test bed broker: SASL_PLAINTEXT (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512),
// SSL, SASL_SSL and mutual TLS (MTLS, an SSL listener that requires a client certificate). The
// certificates come from a test CA made with openssl; the broker reads them as PEM files. Users get
// the same password for PLAIN (in the listeners' JAAS lines) and SCRAM (added when the storage is
// formatted).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { MissingToolError } from './testbed.ts';

export const SECURE_LISTENERS = ['SASL_PLAINTEXT', 'SSL', 'SASL_SSL', 'MTLS'] as const;
export type SecureListener = (typeof SECURE_LISTENERS)[number];
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The security protocol each listener speaks (MTLS is SSL with client certificates required). */
const PROTOCOL: Record<SecureListener, 'SASL_PLAINTEXT' | 'SSL' | 'SASL_SSL'> = {
  SASL_PLAINTEXT: 'SASL_PLAINTEXT',
  SSL: 'SSL',
  SASL_SSL: 'SASL_SSL',
  MTLS: 'SSL',
};

export interface BrokerSecurityOptions {
  /** Listeners opened beside the PLAINTEXT one (which stays for the broker itself and the test bed). */
  listeners: SecureListener[];
  /** name → password, for PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 alike. */
  users?: Record<string, string>;
  /**
   * Kafka's StandardAuthorizer with ACLs: a topic or group with ACLs is open only to the principals
   * they name, one without stays open to all; PLAINTEXT clients (User:ANONYMOUS) may do anything.
   */
  authorizer?: boolean;
}

/** PEM files of the test CA, the broker's certificate and a client certificate (for MTLS). */
export interface TestCertificates {
  caFile: string;
  caKeyFile: string;
  /** The broker's key and certificate chain in one PEM file (Kafka's ssl.keystore.location with PEM). */
  serverKeystoreFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** The client's key and certificate chain in one PEM file, as Java clients take it. */
  clientKeystoreFile: string;
}

/** What the broker state records of its secure listeners. */
export interface BrokerSecurityState {
  /** host:port of each secure listener opened. */
  listeners: Partial<Record<SecureListener, string>>;
  users: Record<string, string>;
  certificates?: TestCertificates;
}

const SAFE = /^[A-Za-z0-9._-]+$/;

/** Refuses names and passwords that would need quoting in JAAS lines or StorageTool's --add-scram. */
export function checkSecurityOptions(security: BrokerSecurityOptions): void {
  const unknown = security.listeners.filter((l) => !SECURE_LISTENERS.includes(l));
  if (unknown.length > 0) {
    throw new Error(`unknown listener ${unknown.join(', ')}: use ${SECURE_LISTENERS.join(', ')}`);
  }
  for (const [name, password] of Object.entries(security.users ?? {})) {
    if (!SAFE.test(name) || !SAFE.test(password)) {
      throw new Error(
        `test bed user "${name}": names and passwords may hold only letters, digits, ".", "_" and "-"`,
      );
    }
  }
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.error) {
    throw new MissingToolError('openssl is needed for the broker certificates (apt-get install openssl).');
  }
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${result.stderr}`);
}

function issue(dir: string, name: string, subject: string, extensions: string[]): void {
  writeFileSync(join(dir, `${name}.ext`), `${extensions.join('\n')}\n`);
  openssl(
    [
      ...['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`],
      ...['-out', `${name}.csr`, '-subj', subject],
    ],
    dir,
  );
  openssl(
    [
      ...['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'],
      ...['-days', '3650', '-out', `${name}.crt`, '-extfile', `${name}.ext`],
    ],
    dir,
  );
  rmSync(join(dir, `${name}.csr`));
  rmSync(join(dir, `${name}.ext`));
  const keystore =
    readFileSync(join(dir, `${name}.key`), 'utf8') + readFileSync(join(dir, `${name}.crt`), 'utf8');
  writeFileSync(join(dir, `${name}.pem`), keystore);
}

/**
 * A test CA, a certificate for the broker at `host` (also localhost and 127.0.0.1) and a client
 * certificate (CN=weir-client), in `dir`. Made once; made again when `host` changes.
 */
export function testCertificates(dir: string, host: string): TestCertificates {
  const files: TestCertificates = {
    caFile: join(dir, 'ca.crt'),
    caKeyFile: join(dir, 'ca.key'),
    serverKeystoreFile: join(dir, 'server.pem'),
    clientCertFile: join(dir, 'client.crt'),
    clientKeyFile: join(dir, 'client.key'),
    clientKeystoreFile: join(dir, 'client.pem'),
  };
  const hostFile = join(dir, 'host');
  if (existsSync(hostFile) && readFileSync(hostFile, 'utf8') === host) return files;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  openssl(
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt'],
      ...['-days', '3650', '-subj', '/CN=weir-test-ca'],
      ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    ],
    dir,
  );
  const names = new Set(['DNS:localhost', 'IP:127.0.0.1', `${isIP(host) ? 'IP' : 'DNS'}:${host}`]);
  issue(dir, 'server', '/CN=weir-test-broker', [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${[...names].join(',')}`,
  ]);
  issue(dir, 'client', '/CN=weir-client', [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=clientAuth',
  ]);
  writeFileSync(hostFile, host);
  return files;
}

/** The broker settings that open the secure listeners, keyed by listener; PLAINTEXT stays as it is. */
export function secureListenerProperties(
  security: BrokerSecurityOptions,
  host: string,
  ports: Partial<Record<SecureListener, number>>,
  certificates: TestCertificates | undefined,
): { listeners: string[]; protocolMap: string[]; lines: string[] } {
  const users = Object.entries(security.users ?? {});
  const lines: string[] = [];
  const listeners = security.listeners.map((l) => `${l}://${host}:${ports[l]}`);
  const protocolMap = security.listeners.map((l) => `${l}:${PROTOCOL[l]}`);
  const sasl = security.listeners.filter((l) => PROTOCOL[l].startsWith('SASL_'));
  if (sasl.length > 0) lines.push(`sasl.enabled.mechanisms=${SASL_MECHANISMS.join(',')}`);
  for (const listener of sasl) {
    const prefix = `listener.name.${listener.toLowerCase()}`;
    const plainUsers = users.map(([name, password]) => ` user_${name}="${password}"`).join('');
    lines.push(
      `${prefix}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required${plainUsers};`,
    );
    for (const scram of ['scram-sha-256', 'scram-sha-512']) {
      lines.push(
        `${prefix}.${scram}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
      );
    }
  }
  if (security.authorizer) {
    lines.push(
      'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users=User:ANONYMOUS',
      'allow.everyone.if.no.acl.found=true',
    );
  }
  if (certificates) {
    lines.push(
      'ssl.keystore.type=PEM',
      `ssl.keystore.location=${certificates.serverKeystoreFile}`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${certificates.caFile}`,
    );
    if (security.listeners.includes('MTLS')) lines.push('listener.name.mtls.ssl.client.auth=required');
  }
  return { listeners, protocolMap, lines };
}

/** Whether any listener needs certificates. */
export const needsCertificates = (security: BrokerSecurityOptions): boolean =>
  security.listeners.some((l) => PROTOCOL[l] !== 'SASL_PLAINTEXT');

/** StorageTool arguments that add every user for both SCRAM mechanisms. */
export function scramFormatArgs(security: BrokerSecurityOptions): string[] {
  return Object.entries(security.users ?? {}).flatMap(([name, password]) =>
    ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => [
      '--add-scram',
      `${m}=[name=${name},password=${password}]`,
    ]),
  );
}

export interface ClientLogin {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/**
 * Kafka client settings (as a Java client or a Weir worker takes them) for one secure listener:
 * the broker's CA as a PEM truststore file; for MTLS the client certificate as a PEM keystore
 * file; for SASL listeners the login.
 */
export function clientSecuritySettings(
  state: { security?: BrokerSecurityState },
  listener: SecureListener,
  login?: ClientLogin,
): { bootstrap: string; settings: Record<string, string> } {
  const bootstrap = state.security?.listeners[listener];
  if (!bootstrap) throw new Error(`the broker has no ${listener} listener; start it with that listener`);
  const protocol = PROTOCOL[listener];
  const settings: Record<string, string> = { 'security.protocol': protocol };
  const certificates = state.security?.certificates;
  if (protocol !== 'SASL_PLAINTEXT' && certificates) {
    settings['ssl.truststore.type'] = 'PEM';
    settings['ssl.truststore.location'] = certificates.caFile;
  }
  if (listener === 'MTLS' && certificates) {
    settings['ssl.keystore.type'] = 'PEM';
    settings['ssl.keystore.location'] = certificates.clientKeystoreFile;
  }
  if (protocol.startsWith('SASL_')) {
    if (!login) throw new Error(`the ${listener} listener needs a login (mechanism, username, password)`);
    const module =
      login.mechanism === 'PLAIN'
        ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
        : 'org.apache.kafka.common.security.scram.ScramLoginModule';
    settings['sasl.mechanism'] = login.mechanism;
    settings['sasl.jaas.config'] =
      `${module} required username="${login.username}" password="${login.password}";`;
  }
  return { bootstrap, settings };
}
