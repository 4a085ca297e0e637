// Connector client config overrides: producer.override.*, consumer.override.* and admin.override.*
// in a connector config set the Kafka client settings of its tasks (a connector's own credentials,
// say), as far as the workers' connector.client.config.override.policy allows. The policies are
// Apache Kafka Connect's: All (the default), None, Principal (security.protocol, sasl.mechanism,
// sasl.jaas.config only; deprecated) and Allowlist (connector.client.config.override.allowlist).
import type { Props } from '../api/index.ts';
import { ConfigException, ConnectException } from '../api/index.ts';

export type ClientKind = 'producer' | 'consumer' | 'admin';
export const CLIENT_KINDS: readonly ClientKind[] = ['producer', 'consumer', 'admin'];

export const POLICY_SETTING = 'connector.client.config.override.policy';
export const ALLOWLIST_SETTING = 'connector.client.config.override.allowlist';
const POLICY_NAMES = ['All', 'None', 'Principal', 'Allowlist'] as const;
export type OverridePolicyName = (typeof POLICY_NAMES)[number];

export interface ClientOverridePolicy {
  readonly name: OverridePolicyName;
  /** The settings Allowlist lets connectors override. */
  readonly allowlist: readonly string[];
}

export const ALL_OVERRIDES: ClientOverridePolicy = { name: 'All', allowlist: [] };

const PRINCIPAL_SETTINGS = ['sasl.jaas.config', 'sasl.mechanism', 'security.protocol'];
const POLICY_PACKAGE = 'org.apache.kafka.connect.connector.policy.';
const POLICY_SUFFIX = 'ConnectorClientConfigOverridePolicy';

/** The policy's alias for `value`: All, AllConnectorClientConfigOverridePolicy or its fully qualified name. */
export function policyName(value: string): OverridePolicyName | undefined {
  const simple = value.trim().startsWith(POLICY_PACKAGE)
    ? value.trim().slice(POLICY_PACKAGE.length)
    : value.trim();
  const alias = simple.endsWith(POLICY_SUFFIX) ? simple.slice(0, -POLICY_SUFFIX.length) : simple;
  return POLICY_NAMES.find((name) => name === alias);
}

export function parseOverridePolicy(value: string, allowlist: readonly string[]): ClientOverridePolicy {
  const name = policyName(value);
  if (!name) {
    throw new ConfigException(
      POLICY_SETTING,
      value,
      `Weir knows the policies ${POLICY_NAMES.join(', ')} (or their class names, e.g. ${POLICY_PACKAGE}None${POLICY_SUFFIX})`,
    );
  }
  const duplicate = allowlist.find((setting, i) => allowlist.indexOf(setting) !== i);
  if (duplicate !== undefined)
    throw new ConfigException(ALLOWLIST_SETTING, allowlist.join(','), `${duplicate} is listed twice`);
  return { name, allowlist };
}

export const overridePrefix = (kind: ClientKind): string => `${kind}.override.`;

/** The connector's overrides for one kind of client, without their prefix. */
export function clientOverrides(connector: Props, kind: ClientKind): Record<string, string> {
  const prefix = overridePrefix(kind);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(connector)) {
    if (key.startsWith(prefix) && key.length > prefix.length) out[key.slice(prefix.length)] = value;
  }
  return out;
}

function allows(policy: ClientOverridePolicy, setting: string): boolean {
  switch (policy.name) {
    case 'All':
      return true;
    case 'None':
      return false;
    case 'Principal':
      return PRINCIPAL_SETTINGS.includes(setting);
    case 'Allowlist':
      return policy.allowlist.includes(setting);
  }
}

/** Java's sentence for an override the policy refuses (a client setting, without its prefix), and how to fix it. */
export function refusal(policy: ClientOverridePolicy, kind: ClientKind, setting: string): string | undefined {
  if (allows(policy, setting)) return undefined;
  const fix =
    policy.name === 'Allowlist'
      ? `add ${setting} to ${ALLOWLIST_SETTING} on the workers`
      : `allow it with ${POLICY_SETTING} on the workers`;
  return (
    `The '${policy.name}' policy does not allow '${setting}' to be overridden in the connector configuration. ` +
    `Remove ${overridePrefix(kind)}${setting} or ${fix}.`
  );
}

/**
 * The clients whose overrides validation checks, as Java counts them: sources use a producer (and an
 * admin with topic.creation.* settings; an admin and a consumer with `offsetsTopicClients`, Java's
 * distributed connectorUsesSeparateOffsetsTopicClients), sinks a consumer (and a producer and an admin
 * with a dead letter queue).
 */
export function clientsOf(
  type: 'source' | 'sink',
  connector: Props,
  offsetsTopicClients = false,
): ClientKind[] {
  if (type === 'source') {
    if (offsetsTopicClients) return ['producer', 'admin', 'consumer'];
    const topicCreation = Object.keys(connector).some((k) => k.startsWith('topic.creation.'));
    return topicCreation ? ['producer', 'admin'] : ['producer'];
  }
  const dlq = (connector['errors.deadletterqueue.topic.name'] ?? '') !== '';
  return dlq ? ['producer', 'consumer', 'admin'] : ['consumer'];
}

/**
 * The clients a task creates whose overrides must pass the policy before it starts: a source's producer
 * (and, with an offsets topic of its own or exactly-once, the admin and consumer for that topic, as
 * Java's offset stores for tasks), a sink's consumer.
 */
export function taskClients(type: 'source' | 'sink', ownOffsetsTopic: boolean): ClientKind[] {
  if (type === 'sink') return ['consumer'];
  return ownOffsetsTopic ? ['producer', 'admin', 'consumer'] : ['producer'];
}

/** The connector's overrides for a client its task creates; throws when the policy refuses any. */
export function allowedOverrides(
  policy: ClientOverridePolicy,
  connector: Props,
  kind: ClientKind,
): Record<string, string> {
  const overrides = clientOverrides(connector, kind);
  const refused = Object.keys(overrides).flatMap((setting) => refusal(policy, kind, setting) ?? []);
  if (refused.length > 0)
    throw new ConnectException(`Client config overrides not allowed: ${refused.join(' ')}`);
  return overrides;
}
