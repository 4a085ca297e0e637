// TLS and SASL for the worker's Kafka clients, from Kafka's client settings: security.protocol,
// sasl.mechanism, sasl.jaas.config, ssl.truststore.* / ssl.keystore.* in PEM form (files or inline),
// ssl.endpoint.identification.algorithm. JKS and PKCS12 stores are not read: the error says to use PEM.
import { globSync, readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { ConfigException } from '../api/index.ts';
import { errorTree } from './kafka-error-tree.ts';

export interface SecurityOptions {
  tls?: TlsOptions;
  sasl?: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string };
}

const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

/** username="…" password="…" from a JAAS line (PlainLoginModule / ScramLoginModule). */
export function parseJaasCredentials(jaas: string): { username: string; password: string } | null {
  const value = (name: string) =>
    new RegExp(`${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(jaas)?.[1]?.replace(/\\(.)/g, '$1');
  const username = value('username');
  const password = value('password');
  return username !== undefined && password !== undefined ? { username, password } : null;
}

function readSetting(setting: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigException(setting, file, `cannot be read (${(error as Error).message})`);
  }
}

/** The PEM files of a comma-separated list of files or globs (a Secret's `*.crt`), each entry matching some. */
function pemFiles(setting: string, locations: string): string[] {
  return locations
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean)
    .flatMap((entry) => {
      if (!/[*?[]/.test(entry)) return [readSetting(setting, entry)];
      const files = globSync(entry).sort();
      if (files.length === 0) throw new ConfigException(setting, entry, 'matches no file');
      return files.map((file) => readSetting(setting, file));
    });
}

const PRIVATE_KEY = /-----BEGIN ((?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/;

/**
 * The client certificate chain and key: ssl.keystore.certificate.chain and ssl.keystore.key, or a
 * PEM keystore file as Java reads it (ssl.keystore.location), the private key and the chain in one.
 */
function clientCertificate(settings: Readonly<Record<string, string>>): { cert?: string; key?: string } {
  const location = settings['ssl.keystore.location'];
  const file = location ? readSetting('ssl.keystore.location', location) : undefined;
  const cert = settings['ssl.keystore.certificate.chain'] ?? file;
  const key = settings['ssl.keystore.key'] ?? (file ? PRIVATE_KEY.exec(file)?.[0] : undefined);
  if (file !== undefined && key === undefined) {
    throw new ConfigException(
      'ssl.keystore.location',
      location,
      'holds no PEM private key: a PEM keystore file holds the private key and the certificate chain (or set ssl.keystore.key)',
    );
  }
  return { ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

/** Security options for a client; `settings` are the client's settings with any prefix removed. */
export function securityOptions(settings: Readonly<Record<string, string>>): SecurityOptions {
  const protocol = (settings['security.protocol'] ?? 'PLAINTEXT').trim().toUpperCase();
  if (!PROTOCOLS.includes(protocol)) {
    throw new ConfigException('security.protocol', protocol, `must be one of ${PROTOCOLS.join(', ')}`);
  }
  const out: SecurityOptions = {};
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const tls: TlsOptions = {};
    for (const [store, kind] of [
      ['ssl.truststore.type', 'truststore'],
      ['ssl.keystore.type', 'keystore'],
    ] as const) {
      const type = settings[store]?.trim().toUpperCase();
      if (type && type !== 'PEM') {
        throw new ConfigException(
          store,
          type,
          `Weir reads ${kind}s in PEM form only: set ${store}=PEM and give PEM files or certificates`,
        );
      }
    }
    const ca = [
      ...(settings['ssl.truststore.location']
        ? pemFiles('ssl.truststore.location', settings['ssl.truststore.location'])
        : []),
      ...(settings['ssl.truststore.certificates'] ? [settings['ssl.truststore.certificates']] : []),
    ];
    if (ca.length > 0) tls.ca = ca;
    Object.assign(tls, clientCertificate(settings));
    if (settings['ssl.key.password']) tls.passphrase = settings['ssl.key.password'];
    if (settings['ssl.endpoint.identification.algorithm']?.trim() === '')
      tls.checkServerIdentity = () => undefined;
    out.tls = tls;
  }
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') {
    const mechanism = (settings['sasl.mechanism'] ?? 'GSSAPI').trim().toUpperCase();
    if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
      throw new ConfigException('sasl.mechanism', mechanism, `Weir supports ${MECHANISMS.join(', ')}`);
    }
    const credentials = parseJaasCredentials(settings['sasl.jaas.config'] ?? '');
    if (!credentials) {
      throw new ConfigException(
        'sasl.jaas.config',
        '[hidden]',
        'needs username="…" password="…" (PlainLoginModule or ScramLoginModule)',
      );
    }
    out.sasl = { mechanism: mechanism as (typeof MECHANISMS)[number], ...credentials };
  }
  return out;
}

/** Node's codes for a broker certificate the client does not accept. */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * What a failed connection says about the client's security settings, as a sentence naming the
 * settings to fix, or undefined when it is not about them (a broker down, a wrong address). These
 * failures are not transient: retrying with the same settings fails the same way.
 */
export function kafkaSecurityProblem(error: unknown): string | undefined {
  const nodes = [...errorTree(error)];
  const refused = nodes.find((e) => e.apiId === 'SASL_AUTHENTICATION_FAILED');
  if (refused) {
    return `the brokers refused the SASL login (${refused.serverErrorMessage ?? refused.message}): check the username and password in sasl.jaas.config and sasl.mechanism`;
  }
  const handshake = nodes.find((e) => e.code === 'PLT_KFK_AUTHENTICATION');
  if (handshake) {
    const detail = nodes.find((e) => e.apiId)?.message ?? handshake.message;
    return `the SASL handshake failed (${detail}): the listener may not take SASL (check security.protocol) or may not enable sasl.mechanism`;
  }
  const untrusted = nodes.find((e) => e.code !== undefined && UNTRUSTED_CERTIFICATE.has(e.code));
  if (untrusted) {
    return `the brokers' TLS certificate is not trusted (${untrusted.code}: ${untrusted.message.replace(/;.*/, '')}): give its CA in PEM with ssl.truststore.location or ssl.truststore.certificates`;
  }
  const name = nodes.find((e) => e.code === 'ERR_TLS_CERT_ALTNAME_INVALID');
  if (name) {
    return `the brokers' TLS certificate does not name the address connected to (${name.message}): use an address it names, or set ssl.endpoint.identification.algorithm= (empty) to skip the check`;
  }
  if (nodes.some((e) => e.message === 'Broker requires TLS.')) {
    return 'the listener speaks TLS: set security.protocol to SSL or SASL_SSL';
  }
  if (nodes.some((e) => e.message.startsWith('TLS handshake failed.'))) {
    return 'the listener did not answer the TLS handshake: it may not speak TLS (check security.protocol), or it wants a client certificate (ssl.keystore.*)';
  }
  return undefined;
}
