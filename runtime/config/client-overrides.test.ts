import { describe, expect, it } from 'vitest';
import { ConfigException } from '../api/index.ts';
import {
  allowedOverrides,
  clientOverrides,
  clientsOf,
  taskClients,
  parseOverridePolicy,
  refusal,
  type ClientOverridePolicy,
} from './client-overrides.ts';
import { parseWorkerConfig, standaloneWorkerConfigDef } from './worker-config.ts';

const policy = (name: ClientOverridePolicy['name'], allowlist: string[] = []): ClientOverridePolicy => ({
  name,
  allowlist,
});

const connector = {
  'connector.class': 'FileStreamSink',
  'consumer.override.sasl.jaas.config': 'jaas',
  'consumer.override.max.poll.records': '10',
  'producer.override.acks': '1',
  'consumer.override.': 'ignored: no setting after the prefix',
};

describe('client override policies (Apache Kafka Connect 4.3)', () => {
  it('reads the aliases and class names Java takes', () => {
    for (const value of [
      'None',
      'NoneConnectorClientConfigOverridePolicy',
      'org.apache.kafka.connect.connector.policy.NoneConnectorClientConfigOverridePolicy',
    ])
      expect(parseOverridePolicy(value, []).name).toBe('None');
    expect(() => parseOverridePolicy('Some', [])).toThrow(
      /Weir knows the policies All, None, Principal, Allowlist/,
    );
    expect(() => parseOverridePolicy('Allowlist', ['acks', 'acks'])).toThrow(/acks is listed twice/);
  });

  it('the worker setting defaults to All, refuses unknown policies and reads the allowlist', () => {
    const parse = (extra: Record<string, string>) =>
      parseWorkerConfig(
        { 'key.converter': 'x', 'value.converter': 'x', 'offset.storage.file.filename': '/tmp/o', ...extra },
        standaloneWorkerConfigDef(),
      );
    expect(parse({}).clientOverridePolicy).toEqual({ name: 'All', allowlist: [] });
    expect(
      parse({
        'connector.client.config.override.policy': 'Allowlist',
        'connector.client.config.override.allowlist': 'sasl.jaas.config, acks',
      }).clientOverridePolicy,
    ).toEqual({ name: 'Allowlist', allowlist: ['sasl.jaas.config', 'acks'] });
    expect(() => parse({ 'connector.client.config.override.policy': 'Open' })).toThrow(ConfigException);
  });

  it('All allows everything, None nothing, Principal the login, Allowlist what it lists', () => {
    expect(refusal(policy('All'), 'consumer', 'max.poll.records')).toBeUndefined();
    expect(refusal(policy('None'), 'consumer', 'sasl.jaas.config')).toBe(
      "The 'None' policy does not allow 'sasl.jaas.config' to be overridden in the connector configuration. " +
        'Remove consumer.override.sasl.jaas.config or allow it with connector.client.config.override.policy on the workers.',
    );
    for (const setting of ['sasl.jaas.config', 'sasl.mechanism', 'security.protocol'])
      expect(refusal(policy('Principal'), 'producer', setting)).toBeUndefined();
    expect(refusal(policy('Principal'), 'producer', 'ssl.truststore.location')).toMatch(/'Principal' policy/);
    expect(refusal(policy('Allowlist', ['acks']), 'producer', 'acks')).toBeUndefined();
    expect(refusal(policy('Allowlist', ['acks']), 'producer', 'linger.ms')).toMatch(
      /Remove producer.override.linger.ms or add linger.ms to connector.client.config.override.allowlist/,
    );
  });

  it('takes a kind of client’s overrides from the connector config, without their prefix', () => {
    expect(clientOverrides(connector, 'consumer')).toEqual({
      'sasl.jaas.config': 'jaas',
      'max.poll.records': '10',
    });
    expect(clientOverrides(connector, 'admin')).toEqual({});
  });

  it('counts the clients a connector uses as Java does for validation', () => {
    expect(clientsOf('source', {})).toEqual(['producer']);
    expect(clientsOf('source', { 'topic.creation.default.partitions': '3' })).toEqual(['producer', 'admin']);
    expect(clientsOf('source', {}, true)).toEqual(['producer', 'admin', 'consumer']);
    expect(taskClients('source', false)).toEqual(['producer']);
    expect(taskClients('source', true)).toEqual(['producer', 'admin', 'consumer']);
    expect(taskClients('sink', false)).toEqual(['consumer']);
    expect(clientsOf('sink', {})).toEqual(['consumer']);
    expect(clientsOf('sink', { 'errors.deadletterqueue.topic.name': 'dlq' })).toEqual([
      'producer',
      'consumer',
      'admin',
    ]);
  });

  it('gives a task its overrides, or refuses to with every setting the policy does not allow', () => {
    expect(allowedOverrides(policy('All'), connector, 'producer')).toEqual({ acks: '1' });
    expect(allowedOverrides(policy('Principal'), connector, 'admin')).toEqual({});
    expect(() => allowedOverrides(policy('Principal'), connector, 'consumer')).toThrow(
      /^Client config overrides not allowed: The 'Principal' policy does not allow 'max.poll.records'/,
    );
  });
});
