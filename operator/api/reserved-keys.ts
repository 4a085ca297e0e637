// Configuration keys users may not set because the operator owns them. One list feeds the CRDs' CEL
// rules (the API server refuses such resources) and the model (which never lets one through).
import { celKeyMatches } from './openapi.ts';

export interface KeyPattern {
  exact: string[];
  prefixes: string[];
  suffixes: string[];
}

/** Worker properties the operator writes itself (KafkaConnect spec.config may not hold them). */
export const OPERATOR_OWNED_WORKER_KEYS: KeyPattern = {
  exact: [
    'group.id',
    'bootstrap.servers',
    'listeners',
    'plugin.path',
    'weir.admin.token',
    // The pods' metrics port (9404) and the NetworkPolicy opening it follow this one value.
    'weir.metrics.port',
  ],
  prefixes: [
    'ssl.',
    'sasl.',
    'security.',
    'rest.',
    'listeners.',
    'weir.rest.',
    'config.providers.env.',
    'config.providers.directory.',
  ],
  suffixes: ['.storage.topic'],
};

/** Connector settings that have fields of their own (KafkaConnector spec.config may not hold them). */
export const CONNECTOR_OWNED_KEYS: KeyPattern = {
  exact: ['name', 'connector.class', 'tasks.max'],
  prefixes: [],
  suffixes: [],
};

export function matchesKey(pattern: KeyPattern, key: string): boolean {
  return (
    pattern.exact.includes(key) ||
    pattern.prefixes.some((p) => key.startsWith(p)) ||
    pattern.suffixes.some((s) => key.endsWith(s))
  );
}

/** The same test as a CEL expression over the variable `k`. */
export function celMatchesKey(pattern: KeyPattern, k = 'k'): string {
  return celKeyMatches(pattern, k);
}

/** How the patterns read in descriptions and messages: `group.id, ssl.*, *.storage.topic`. */
export function describeKeys(pattern: KeyPattern): string {
  return [
    ...pattern.exact,
    ...pattern.prefixes.map((p) => `${p}*`),
    ...pattern.suffixes.map((s) => `*${s}`),
  ].join(', ');
}
