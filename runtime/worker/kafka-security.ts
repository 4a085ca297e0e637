// TLS and SASL for the worker's Kafka clients, from Kafka's client settings: security.protocol,
// sasl.mechanism, sasl.jaas.config, ssl.truststore.* / ssl.keystore.* in PEM form (files or inline),
// ssl.endpoint.identification.algorithm. JKS and PKCS12 stores are not read: the error says to use PEM.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { ConfigException } from '../api/index.ts';

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

function pemFiles(locations: string): string[] {
  return locations
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((file) => readFileSync(file, 'utf8'));
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
      ...(settings['ssl.truststore.location'] ? pemFiles(settings['ssl.truststore.location']) : []),
      ...(settings['ssl.truststore.certificates'] ? [settings['ssl.truststore.certificates']] : []),
    ];
    if (ca.length > 0) tls.ca = ca;
    const cert =
      settings['ssl.keystore.certificate.chain'] ??
      (settings['ssl.keystore.location']
        ? readFileSync(settings['ssl.keystore.location'], 'utf8')
        : undefined);
    const key = settings['ssl.keystore.key'];
    if (cert) tls.cert = cert;
    if (key) tls.key = key;
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
