import { describe, expect, it } from 'vitest';
import { parseWorkerConfig, standaloneWorkerConfigDef } from '../config/worker-config.ts';
import { baseClientOptions, consumerOptions, producerOptions, sinkGroupId } from './kafka-clients.ts';

const jaas = (user: string) =>
  `org.apache.kafka.common.security.scram.ScramLoginModule required username="${user}" password="${user}-secret";`;

const worker = (extra: Record<string, string> = {}) =>
  parseWorkerConfig(
    {
      'bootstrap.servers': 'broker:9092',
      'key.converter': 'x',
      'value.converter': 'x',
      'offset.storage.file.filename': '/tmp/offsets',
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': jaas('worker'),
      'consumer.session.timeout.ms': '6000',
      ...extra,
    },
    standaloneWorkerConfigDef(),
  );

describe("connector clients: the worker's settings with the connector's overrides", () => {
  it("logs in with the connector's consumer.override.sasl.jaas.config, the rest as the worker", () => {
    const connector = { 'consumer.override.sasl.jaas.config': jaas('bob') };
    const options = consumerOptions(worker(), connector, 'c', 'connect-c');
    expect(options.sasl).toEqual({ mechanism: 'SCRAM-SHA-512', username: 'bob', password: 'bob-secret' });
    expect(options.sessionTimeout).toBe(6000);
    // The producer and the worker's own clients keep the worker's login.
    expect(producerOptions(worker(), connector, 'p').sasl?.username).toBe('worker');
    expect(baseClientOptions(worker(), 'w').sasl?.username).toBe('worker');
  });

  it('the worker’s producer.* settings apply under the connector’s producer.override.*', () => {
    const config = worker({ 'producer.sasl.mechanism': 'PLAIN', 'producer.acks': '1' });
    expect(producerOptions(config, {}, 'p')).toMatchObject({ acks: 1, sasl: { mechanism: 'PLAIN' } });
    const connector = { 'producer.override.sasl.mechanism': 'SCRAM-SHA-256', 'producer.override.acks': '0' };
    expect(producerOptions(config, connector, 'p')).toMatchObject({
      acks: 0,
      sasl: { mechanism: 'SCRAM-SHA-256', username: 'worker' },
    });
  });

  it('a connector may switch its clients to TLS with its own settings', () => {
    const connector = {
      'admin.override.security.protocol': 'SSL',
      'admin.override.ssl.truststore.certificates':
        '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----',
    };
    const options = baseClientOptions(worker(), 'a', 'admin', connector);
    expect(options.sasl).toBeUndefined();
    expect(options.tls?.ca).toEqual([connector['admin.override.ssl.truststore.certificates']]);
  });

  it('refuses overrides the policy does not allow, naming them', () => {
    const config = worker({ 'connector.client.config.override.policy': 'None' });
    const connector = { 'consumer.override.sasl.jaas.config': jaas('bob') };
    expect(() => consumerOptions(config, connector, 'c', 'g')).toThrow(
      /The 'None' policy does not allow 'sasl.jaas.config' to be overridden/,
    );
    expect(consumerOptions(config, {}, 'c', 'g').sasl?.username).toBe('worker');
    // Under Principal the login may change, other settings may not.
    const principal = worker({ 'connector.client.config.override.policy': 'Principal' });
    expect(consumerOptions(principal, connector, 'c', 'g').sasl?.username).toBe('bob');
    expect(() =>
      consumerOptions(principal, { 'consumer.override.session.timeout.ms': '1000' }, 'c', 'g'),
    ).toThrow(/'Principal' policy does not allow 'session.timeout.ms'/);
  });

  it("names a sink's consumer group connect-<name>, or as consumer.override.group.id says", () => {
    expect(sinkGroupId(worker(), {}, 'orders')).toBe('connect-orders');
    expect(sinkGroupId(worker(), { 'consumer.override.group.id': 'legacy' }, 'orders')).toBe('legacy');
    expect(sinkGroupId(worker({ 'consumer.group.id': 'shared' }), {}, 'orders')).toBe('shared');
  });
});
