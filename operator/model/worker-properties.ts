// The worker properties (distributed mode) for a KafkaConnect, as a pure function of the resource.
//
// Defaults, chosen per cluster so that several KafkaConnects can share one Kafka cluster:
//   group.id              <namespace>.<name>        (Strimzi: connect-cluster, which collides)
//   config.storage.topic  <name>-connect-configs    (and -offsets, -status)
//   *.replication.factor  -1 (the broker's default), unless spec.config says otherwise
//   key/value.converter   org.apache.kafka.connect.json.JsonConverter
//
// Secrets never sit in the generated file: the pod IP and the tokens come from environment
// variables (${env:…}, Kafka's EnvVarConfigProvider), passwords and keys from files of mounted
// Secrets (${directory:<dir>:<file>}, Kafka's DirectoryConfigProvider), which reads only the folders
// of mounted Secrets and ConfigMaps (allowed.paths; see mounted-folders.ts).
import { matchesKey, OPERATOR_OWNED_WORKER_KEYS } from '../api/reserved-keys.ts';
import type { ConfigValue, KafkaConnect } from '../api/types.ts';
import { mountedSecretFolders } from './mounted-folders.ts';
import {
  CLIENT_CERT_DIR,
  connectNames,
  METRICS_PORT,
  namespaceOf,
  REST_PORT,
  SASL_DIR,
  TRUSTED_DIR,
} from './names.ts';

export const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
export const ENV_PROVIDER = 'org.apache.kafka.common.config.provider.EnvVarConfigProvider';
export const DIRECTORY_PROVIDER = 'org.apache.kafka.common.config.provider.DirectoryConfigProvider';
/** Connectors may read any environment variable through ${env:…} except the operator's tokens. */
export const ENV_ALLOWLIST = '^(?!WEIR_(ADMIN|REST)_TOKEN$).*$';
export const POD_IP_ENV = 'WEIR_POD_IP';

/** Java's default (WorkerConfig): 5 s. */
const DEFAULT_TASK_SHUTDOWN_MS = 5000;

export function defaultGroupId(kc: KafkaConnect): string {
  return `${namespaceOf(kc)}.${kc.metadata.name}`;
}

export function storageTopics(kc: KafkaConnect): { config: string; offset: string; status: string } {
  const base = connectNames(kc.metadata.name).deployment;
  return {
    config: kc.spec.configStorageTopic ?? `${base}-configs`,
    offset: kc.spec.offsetStorageTopic ?? `${base}-offsets`,
    status: kc.spec.statusStorageTopic ?? `${base}-status`,
  };
}

/** What is wrong with the resource that the API server may not have refused (no admission policy). */
export function validateKafkaConnect(kc: KafkaConnect): string[] {
  const problems: string[] = [];
  const config = kc.spec.config ?? {};
  const owned = Object.keys(config).filter((k) => matchesKey(OPERATOR_OWNED_WORKER_KEYS, k));
  if (owned.length > 0) problems.push(`spec.config: the operator owns ${owned.sort().join(', ')}`);
  const nonScalar = Object.keys(config).filter((k) => !isScalar(config[k]));
  if (nonScalar.length > 0)
    problems.push(`spec.config: not a string, number or boolean: ${nonScalar.sort().join(', ')}`);
  const auth = kc.spec.authentication;
  if (auth?.type === 'tls' && !auth.certificateAndKey)
    problems.push('authentication tls needs certificateAndKey');
  if (auth?.type === 'tls' && !kc.spec.tls) problems.push('authentication tls needs spec.tls');
  if (auth && auth.type !== 'tls' && (!auth.username || !auth.passwordSecret)) {
    problems.push(`authentication ${auth.type} needs username and passwordSecret`);
  }
  return problems;
}

function isScalar(v: unknown): v is ConfigValue {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** A property value as users mean it: numbers and booleans as YAML wrote them ("1000", "false"). */
export function propertyString(v: ConfigValue): string {
  return typeof v === 'string' ? v : String(v);
}

/** The SASL/TLS client settings, for the worker and copied under producer., consumer. and admin. */
export function securityProperties(kc: KafkaConnect): Record<string, string> {
  const { tls, authentication: auth } = kc.spec;
  const sasl = auth !== undefined && auth.type !== 'tls';
  const out: Record<string, string> = {
    'security.protocol': `${sasl ? 'SASL_' : ''}${tls ? 'SSL' : 'PLAINTEXT'}`,
  };
  const trusted = trustedCertificatePaths(kc);
  if (trusted.length > 0) {
    out['ssl.truststore.type'] = 'PEM';
    // Weir extension: a list of PEM files or globs (Java takes one file), one entry per Secret.
    out['ssl.truststore.location'] = trusted.join(',');
  }
  if (auth?.type === 'tls' && auth.certificateAndKey) {
    out['ssl.keystore.type'] = 'PEM';
    out['ssl.keystore.certificate.chain'] =
      `\${directory:${CLIENT_CERT_DIR}:${auth.certificateAndKey.certificate}}`;
    out['ssl.keystore.key'] = `\${directory:${CLIENT_CERT_DIR}:${auth.certificateAndKey.key}}`;
  }
  if (sasl && auth.username !== undefined) {
    const module =
      auth.type === 'plain'
        ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
        : 'org.apache.kafka.common.security.scram.ScramLoginModule';
    out['sasl.mechanism'] = auth.type === 'plain' ? 'PLAIN' : auth.type.toUpperCase();
    out['sasl.jaas.config'] =
      `${module} required username="${jaasEscape(auth.username)}" password="\${directory:${SASL_DIR}:password}";`;
  }
  return out;
}

function jaasEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Where each trusted certificate entry is mounted: one directory per Secret. */
export function trustedCertificatePaths(kc: KafkaConnect): string[] {
  return (kc.spec.tls?.trustedCertificates ?? []).map(
    (c) => `${TRUSTED_DIR}/${c.secretName}/${c.certificate ?? c.pattern ?? ''}`,
  );
}

/**
 * The worker properties, in the order they are written: operator defaults, then the user's
 * spec.config (minus keys the operator owns), then what the operator owns.
 */
export function workerProperties(kc: KafkaConnect): Record<string, string> {
  const topics = storageTopics(kc);
  const allowedPaths = mountedSecretFolders(kc).join(',');
  const out: Record<string, string> = {
    'key.converter': JSON_CONVERTER,
    'value.converter': JSON_CONVERTER,
    'config.storage.replication.factor': '-1',
    'offset.storage.replication.factor': '-1',
    'status.storage.replication.factor': '-1',
  };
  const user = kc.spec.config ?? {};
  for (const key of Object.keys(user).sort()) {
    const value = user[key];
    if (matchesKey(OPERATOR_OWNED_WORKER_KEYS, key) || key === 'config.providers' || !isScalar(value))
      continue;
    out[key] = propertyString(value);
  }
  const userProviders = isScalar(user['config.providers'])
    ? propertyString(user['config.providers'])
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '' && p !== 'env' && p !== 'directory')
    : [];
  Object.assign(out, {
    'bootstrap.servers': kc.spec.bootstrapServers,
    'group.id': kc.spec.groupId ?? defaultGroupId(kc),
    'config.storage.topic': topics.config,
    'offset.storage.topic': topics.offset,
    'status.storage.topic': topics.status,
    listeners: `http://:${REST_PORT}`,
    'rest.advertised.listener': 'http',
    'rest.advertised.host.name': `\${env:${POD_IP_ENV}}`,
    'rest.advertised.port': String(REST_PORT),
    'weir.metrics.port': String(METRICS_PORT),
    'config.providers': ['env', 'directory', ...userProviders].join(','),
    'config.providers.env.class': ENV_PROVIDER,
    'config.providers.env.param.allowlist.pattern': ENV_ALLOWLIST,
    'config.providers.directory.class': DIRECTORY_PROVIDER,
    'config.providers.directory.param.allowed.paths': allowedPaths,
  });
  // A file or directory provider of the user's own reads only there too, unless told otherwise.
  for (const name of userProviders) {
    const className = out[`config.providers.${name}.class`] ?? '';
    const simpleName = className.slice(className.lastIndexOf('.') + 1);
    if (simpleName === 'FileConfigProvider' || simpleName === 'DirectoryConfigProvider')
      out[`config.providers.${name}.param.allowed.paths`] ??= allowedPaths;
  }
  const security = securityProperties(kc);
  for (const prefix of ['', 'producer.', 'consumer.', 'admin.']) {
    for (const [k, v] of Object.entries(security)) out[`${prefix}${k}`] = v;
  }
  return out;
}

/** task.shutdown.graceful.timeout.ms in effect (the user may set it). */
export function taskShutdownTimeoutMs(kc: KafkaConnect): number {
  const raw = kc.spec.config?.['task.shutdown.graceful.timeout.ms'];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_TASK_SHUTDOWN_MS;
}

/** A .properties file: keys and values escaped as java.util.Properties reads them. */
export function propertiesText(props: Record<string, string>, header?: string): string {
  const escape = (s: string, key: boolean) =>
    s
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .replace(/\f/g, '\\f')
      .replace(key ? /[=: #!]/g : /^[ #!]/, (c) => `\\${c}`);
  const lines = Object.entries(props).map(([k, v]) => `${escape(k, true)}=${escape(v, false)}`);
  return `${header ? `${header.replace(/^/gm, '# ')}\n` : ''}${lines.join('\n')}\n`;
}
