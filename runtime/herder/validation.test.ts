import { describe, expect, it } from 'vitest';
import { ConfigDef, type SinkConnector } from '../api/index.ts';
import { ALL_OVERRIDES, type ClientOverridePolicy } from '../config/client-overrides.ts';
import { FileStreamSinkConnector } from '../connectors/file/index.ts';
import { builtinPlugins } from '../plugins/builtin.ts';
import { assertValid, validateConnectorConfig } from './validation.ts';

const plugins = builtinPlugins();
const NONE: ClientOverridePolicy = { name: 'None', allowlist: [] };
const sink = {
  name: 'files',
  'connector.class': 'FileStreamSink',
  topics: 'lines',
  file: '/tmp/out.txt',
  'consumer.override.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required;',
  'consumer.override.max.poll.records': '50',
  // A sink without a dead letter queue uses no producer: Java does not check these.
  'producer.override.acks': '0',
};

const overrideValues = async (config: Record<string, string>, policy: ClientOverridePolicy) =>
  (await validateConnectorConfig(plugins, config, policy)).configs
    .map((c) => c.value)
    .filter((v) => v.name.includes('.override.'));

describe('validation of client overrides', () => {
  it('lists the overrides of the clients the connector uses, passwords hidden, none refused under All', async () => {
    const infos = await validateConnectorConfig(plugins, sink, ALL_OVERRIDES);
    expect(infos.error_count).toBe(0);
    expect(await overrideValues(sink, ALL_OVERRIDES)).toEqual([
      {
        name: 'consumer.override.sasl.jaas.config',
        value: '[hidden]',
        recommended_values: [],
        errors: [],
        visible: true,
      },
      {
        name: 'consumer.override.max.poll.records',
        value: '50',
        recommended_values: [],
        errors: [],
        visible: true,
      },
    ]);
  });

  it("refuses a sink's consumer.override.group.instance.id that Kafka would refuse, saying what is allowed", async () => {
    const config = { ...sink, 'consumer.override.group.instance.id': 'my sink' };
    const infos = await validateConnectorConfig(plugins, config, ALL_OVERRIDES);
    expect(infos.error_count).toBe(1);
    const errors = (await overrideValues(config, ALL_OVERRIDES)).flatMap((v) => v.errors);
    expect(errors).toEqual([
      "consumer.override.group.instance.id=my sink is not a valid group instance id: use at most 249 of the characters a-z, A-Z, 0-9, '.', '_' and '-'",
    ]);
    const fine = { ...sink, 'consumer.override.group.instance.id': 'my-sink', 'tasks.max': '3' };
    expect((await validateConnectorConfig(plugins, fine, ALL_OVERRIDES)).error_count).toBe(0);
  });

  it('gives Java’s error for each override the policy refuses, and PUT refuses the config with it', async () => {
    const infos = await validateConnectorConfig(plugins, sink, NONE);
    expect(infos.error_count).toBe(2);
    const errors = (await overrideValues(sink, NONE)).flatMap((v) => v.errors);
    expect(errors).toEqual([
      "The 'None' policy does not allow 'sasl.jaas.config' to be overridden in the connector configuration. Remove consumer.override.sasl.jaas.config or allow it with connector.client.config.override.policy on the workers.",
      "The 'None' policy does not allow 'max.poll.records' to be overridden in the connector configuration. Remove consumer.override.max.poll.records or allow it with connector.client.config.override.policy on the workers.",
    ]);
    expect(() => assertValid(infos)).toThrow(
      /contains the following 2 error\(s\):\nThe 'None' policy does not allow 'sasl.jaas.config'/,
    );
  });

  it('checks a source connector’s producer overrides under Principal', async () => {
    const source = {
      name: 'in',
      'connector.class': 'FileStreamSource',
      topic: 'lines',
      'producer.override.sasl.mechanism': 'PLAIN',
      'producer.override.linger.ms': '5',
    };
    const principal: ClientOverridePolicy = { name: 'Principal', allowlist: [] };
    const values = await overrideValues(source, principal);
    expect(values.map((v) => [v.name, v.errors.length])).toEqual([
      ['producer.override.sasl.mechanism', 0],
      ['producer.override.linger.ms', 1],
    ]);
  });

  it('adds nothing for a config without overrides', async () => {
    const {
      'consumer.override.sasl.jaas.config': _a,
      'consumer.override.max.poll.records': _b,
      ...plain
    } = sink;
    expect(await overrideValues(plain, NONE)).toEqual([]);
  });
});

/** A sink with a PASSWORD setting (JDBC-like), to see how validate shows it. */
class PasswordSink extends FileStreamSinkConnector {
  override config(): ConfigDef {
    return new ConfigDef()
      .define('file', { type: 'STRING', defaultValue: null, importance: 'HIGH' })
      .define('db.password', { type: 'PASSWORD', defaultValue: null, importance: 'HIGH' })
      .define('db.token', { type: 'PASSWORD', defaultValue: null, importance: 'LOW' });
  }
}

describe('validation of PASSWORD settings', () => {
  const withPasswordSink = builtinPlugins().register({
    className: 'dev.weir.test.PasswordSinkConnector',
    type: 'sink',
    version: '1',
    create: (): SinkConnector => new PasswordSink(),
  });

  it("shows a given password as [hidden], as Java's ConfigDef.convertToString, and one not given as null", async () => {
    const infos = await validateConnectorConfig(
      withPasswordSink,
      { name: 'db', 'connector.class': 'PasswordSink', topics: 't', file: '/o.txt', 'db.password': 's3cret' },
      ALL_OVERRIDES,
    );
    const value = (name: string) => infos.configs.find((c) => c.value.name === name)?.value.value;
    expect(value('db.password')).toBe('[hidden]');
    expect(value('db.token')).toBeNull();
    expect(value('file')).toBe('/o.txt');
    expect(JSON.stringify(infos)).not.toContain('s3cret');
  });
});
