import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crdFiles, kafkaConnectCrd, kafkaConnectorCrd } from './crds.ts';
import { walkSchema, type Schema } from './openapi.ts';
import { fullKafkaConnect, fullKafkaConnector, minimalKafkaConnect } from './testing/examples.ts';
import { CONNECTOR_OWNED_KEYS, matchesKey, OPERATOR_OWNED_WORKER_KEYS } from './reserved-keys.ts';
import { PROBE_DEFAULTS } from './types.ts';
import { connectContainer } from '../model/connect-pod.ts';

const SETTINGS = { namespace: 'weir-system', podLabels: {}, defaultImage: 'weir:0.1.0' };

/** A small structural check: types, required fields, enums, minimums, unknown fields. */
function check(schema: Schema, value: unknown, path: string, seen: Set<string>, errors: string[]): void {
  seen.add(path);
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties && !schema.additionalProperties)
    return;
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) errors.push(`${path}: not int-or-string`);
    return;
  }
  const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (schema.type && actual !== schema.type && !(schema.type === 'number' && actual === 'integer')) {
    errors.push(`${path}: ${actual}, schema says ${schema.type}`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value as string))
    errors.push(`${path}: ${String(value)} not in enum`);
  if (schema.minimum !== undefined && (value as number) < schema.minimum)
    errors.push(`${path}: below minimum`);
  if (schema.type === 'array') {
    for (const item of value as unknown[]) check(schema.items!, item, `${path}[]`, seen, errors);
  } else if (schema.type === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${path}: ${r} missing`);
    for (const [k, v] of Object.entries(obj)) {
      const child = schema.properties?.[k];
      const p = path === '' ? k : `${path}.${k}`;
      if (child) check(child, v, p, seen, errors);
      else if (schema.additionalProperties) check(schema.additionalProperties, v, `${path}{}`, seen, errors);
      else if (!schema['x-kubernetes-preserve-unknown-fields']) errors.push(`${p}: not in the schema`);
    }
  }
}

function schemaOf(crd: ReturnType<typeof kafkaConnectCrd>): Schema {
  return crd.spec.versions[0]!.schema.openAPIV3Schema;
}

describe('CRDs', () => {
  it('crds/ holds exactly what operator/api generates (run node operator/api/generate-crds.ts)', () => {
    const dir = join(import.meta.dirname, '..', '..', 'crds');
    for (const [name, text] of Object.entries(crdFiles())) {
      expect(readFileSync(join(dir, name), 'utf8'), name).toBe(text);
    }
  });

  it('every field has a description', () => {
    for (const crd of [kafkaConnectCrd(), kafkaConnectorCrd()]) {
      walkSchema(schemaOf(crd), (path, s) => {
        expect(s.description, `${crd.spec.names.kind} ${path}`).toMatch(/\S/);
      });
    }
  });

  it.each([
    ['KafkaConnect', kafkaConnectCrd, fullKafkaConnect],
    ['KafkaConnector', kafkaConnectorCrd, fullKafkaConnector],
  ] as const)(
    '%s: the complete example fits the schema and uses every field of it',
    (_kind, crd, example) => {
      const schema = schemaOf(crd());
      const seen = new Set<string>();
      const errors: string[] = [];
      const { metadata: _m, ...rest } = example();
      check(schema, rest, '', seen, errors);
      expect(errors).toEqual([]);
      const unused: string[] = [];
      walkSchema(schema, (path) => {
        if (!seen.has(path) && !path.startsWith('metadata')) unused.push(path);
      });
      expect(unused).toEqual([]);
    },
  );

  it('the minimal KafkaConnect fits the schema', () => {
    const errors: string[] = [];
    const { metadata: _m, ...rest } = minimalKafkaConnect();
    check(schemaOf(kafkaConnectCrd()), rest, '', new Set(), errors);
    expect(errors).toEqual([]);
  });

  it('has status and scale subresources and the printer columns', () => {
    const kc = kafkaConnectCrd().spec.versions[0]!;
    expect(kc.subresources.scale).toEqual({
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.status.labelSelector',
    });
    expect(kc.additionalPrinterColumns.map((c) => c.name)).toEqual([
      'Desired replicas',
      'Ready replicas',
      'Ready',
      'Age',
    ]);
    const ktr = kafkaConnectorCrd().spec.versions[0]!;
    expect(ktr.subresources.scale).toEqual({
      specReplicasPath: '.spec.tasksMax',
      statusReplicasPath: '.status.tasksMax',
      labelSelectorPath: '.status.labelSelector',
    });
    expect(ktr.additionalPrinterColumns.filter((c) => !c.priority).map((c) => c.name)).toEqual([
      'Cluster',
      'Connector class',
      'Max Tasks',
      'State',
      'Ready',
      'Age',
    ]);
  });
});

describe('probe defaults', () => {
  it.each(['readinessProbe', 'livenessProbe'] as const)(
    '%s: each field defaults in the CRD to what the workers get when the probe is left out',
    (which) => {
      const probe = schemaOf(kafkaConnectCrd()).properties!.spec!.properties![which]!;
      const fromCrd = Object.fromEntries(
        Object.entries(probe.properties!).map(([field, s]) => [field, s.default]),
      );
      const { httpGet: _get, ...fromModel } = connectContainer(minimalKafkaConnect(), SETTINGS)[which]!;
      expect(fromCrd).toEqual(fromModel);
      expect(fromModel).toEqual(PROBE_DEFAULTS[which === 'readinessProbe' ? 'readiness' : 'liveness']);
    },
  );
});

describe('reserved keys', () => {
  it.each([
    ['group.id', true],
    ['ssl.truststore.location', true],
    ['sasl.jaas.config', true],
    ['security.protocol', true],
    ['rest.advertised.host.name', true],
    ['listeners', true],
    ['plugin.path', true],
    ['bootstrap.servers', true],
    ['weir.admin.token', true],
    ['weir.rest.token', true],
    ['weir.metrics.port', true],
    ['config.storage.topic', true],
    ['config.providers.env.class', true],
    ['config.storage.replication.factor', false],
    ['producer.ssl.truststore.location', false],
    ['offset.flush.interval.ms', false],
    ['config.providers', false],
    ['config.providers.vault.class', false],
  ])('worker key %s owned by the operator: %s', (key, owned) => {
    expect(matchesKey(OPERATOR_OWNED_WORKER_KEYS, key)).toBe(owned);
  });

  it('connector keys with fields of their own', () => {
    expect(['name', 'connector.class', 'tasks.max'].every((k) => matchesKey(CONNECTOR_OWNED_KEYS, k))).toBe(
      true,
    );
    expect(matchesKey(CONNECTOR_OWNED_KEYS, 'topic')).toBe(false);
  });
});
