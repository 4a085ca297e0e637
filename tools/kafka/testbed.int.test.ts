import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBootstrap, uniqueName } from '../vitest/kafka.ts';

describe('the test bed broker', () => {
  const bootstrap = kafkaBootstrap();
  const admin = new Admin({ clientId: uniqueName('admin'), bootstrapBrokers: [bootstrap] });
  afterAll(() => admin.close());

  it('creates a compacted topic, produces to it and consumes back what was sent', async () => {
    const topic = uniqueName('compacted');
    await admin.createTopics({
      topics: [topic],
      partitions: 3,
      replicas: 1,
      configs: [{ name: 'cleanup.policy', value: 'compact' }],
    });
    const configs = await admin.describeConfigs({
      resources: [{ resourceType: 2, resourceName: topic, configurationKeys: ['cleanup.policy'] }],
    });
    expect(configs[0]?.configs.find((c) => c.name === 'cleanup.policy')?.value).toBe('compact');

    const producer = new Producer({
      clientId: uniqueName('producer'),
      bootstrapBrokers: [bootstrap],
      serializers: stringSerializers,
    });
    const sent = Array.from({ length: 10 }, (_, i) => ({
      topic,
      key: `k${i % 3}`,
      value: `v${i}`,
      headers: { n: String(i) },
    }));
    await producer.send({ messages: sent, acks: -1 });
    await producer.close();

    const consumer = new Consumer({
      groupId: uniqueName('group'),
      clientId: uniqueName('consumer'),
      bootstrapBrokers: [bootstrap],
      deserializers: stringDeserializers,
    });
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
    const received: { key: string; value: string; header: string | undefined }[] = [];
    for await (const message of stream) {
      received.push({ key: message.key, value: message.value, header: message.headers.get('n') });
      // A consumer may see a record twice around its first rebalance; what matters is that all arrived.
      if (new Set(received.map((r) => r.value)).size === sent.length) break;
    }
    await stream.close();
    await consumer.close();
    console.log(`received ${received.length} records from ${bootstrap} topic ${topic}`);
    const byValue = (a: { value: string }, b: { value: string }) => a.value.localeCompare(b.value);
    const distinct = [...new Map(received.map((r) => [r.value, r])).values()];
    expect(distinct.sort(byValue)).toEqual(
      sent.map((m) => ({ key: m.key, value: m.value, header: m.headers.n })).sort(byValue),
    );
  });
});
