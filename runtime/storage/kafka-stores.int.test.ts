import { Admin } from '@platformatic/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { KafkaConfigStore, type ConfigUpdate } from './kafka-config-store.ts';
import { KafkaLog, type KafkaStoreOptions, type LogRecord } from './kafka-log.ts';
import { KafkaOffsetStore } from './kafka-offset-store.ts';
import { KafkaStatusStore } from './kafka-status-store.ts';

const client = () => ({ clientId: uniqueName('store'), bootstrapBrokers: [kafkaBootstrap()] });
const options = (topic: string): KafkaStoreOptions => ({ client: client(), topic, replicationFactor: 1 });

const stoppers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.allSettled(stoppers.map((stop) => stop()));
});

async function started<T extends { start(): Promise<void>; stop(): Promise<void> }>(store: T): Promise<T> {
  await store.start();
  stoppers.push(() => store.stop());
  return store;
}

/** Every record of a topic, as raw text, for checking the bytes. */
async function rawRecords(topic: string): Promise<{ key: string; value: string | null }[]> {
  const records: LogRecord[] = [];
  const log = new KafkaLog({ topic, client: client(), onRecord: (r) => records.push(r) });
  await log.start();
  await log.stop();
  return records.map((r) => ({ key: r.key!.toString(), value: r.value?.toString() ?? null }));
}

describe('KafkaOffsetStore', () => {
  it('round-trips offsets between workers, with tombstones, and a late starter reads them all', async () => {
    const topic = uniqueName('offsets');
    const a = await started(new KafkaOffsetStore({ ...options(topic), partitions: 5 }));
    const b = await started(new KafkaOffsetStore(options(topic)));
    await a.set([
      { connector: 'src', partition: { file: 'a' }, offset: { position: 10 } },
      { connector: 'src', partition: { file: 'b' }, offset: { position: 20 } },
      { connector: 'other', partition: { file: 'a' }, offset: { position: 1 } },
    ]);
    expect(await b.get('src', [{ file: 'a' }, { file: 'b' }, { file: 'c' }])).toEqual([
      { position: 10 },
      { position: 20 },
      null,
    ]);
    await b.set([
      { connector: 'src', partition: { file: 'a' }, offset: { position: 11 } },
      { connector: 'src', partition: { file: 'b' }, offset: null },
    ]);
    expect(await a.connectorOffsets('src')).toEqual([{ partition: { file: 'a' }, offset: { position: 11 } }]);
    const late = await started(new KafkaOffsetStore(options(topic)));
    expect(await late.connectorOffsets('other')).toEqual([
      { partition: { file: 'a' }, offset: { position: 1 } },
    ]);
    expect(await late.get('src', [{ file: 'a' }, { file: 'b' }])).toEqual([{ position: 11 }, null]);
    // Java's bytes: JSON without schemas or spaces.
    const raw = await rawRecords(topic);
    expect(raw).toContainEqual({ key: '["src",{"file":"a"}]', value: '{"position":10}' });
    expect(raw).toContainEqual({ key: '["src",{"file":"b"}]', value: null });
  });
});

describe('KafkaStatusStore', () => {
  it('shows every worker’s statuses on every worker; a late starter reads them; remove writes tombstones', async () => {
    const topic = uniqueName('status');
    const a = await started(new KafkaStatusStore(options(topic)));
    const b = await started(new KafkaStatusStore(options(topic)));
    const changes: unknown[] = [];
    b.onChange((change) => changes.push(change));
    a.putConnector('c', { state: 'RUNNING', trace: null, workerId: 'a:8083', generation: 1 });
    a.putTask(
      { connector: 'c', task: 0 },
      { state: 'RUNNING', trace: null, workerId: 'a:8083', generation: 1 },
    );
    b.putTask(
      { connector: 'c', task: 1 },
      { state: 'FAILED', trace: 'boom', workerId: 'b:8083', generation: 1 },
    );
    a.putTopic('c', 'orders');
    expect(a.connector('c')?.state).toBe('RUNNING'); // its own write, at once
    await Promise.all([a.flush(), b.flush()]);
    await Promise.all([a.readToEnd(), b.readToEnd()]);
    for (const store of [a, b]) {
      expect(store.connector('c')).toEqual({
        state: 'RUNNING',
        trace: null,
        workerId: 'a:8083',
        generation: 1,
      });
      expect([...store.tasks('c').entries()].map(([i, s]) => [i, s.state, s.workerId])).toEqual([
        [0, 'RUNNING', 'a:8083'],
        [1, 'FAILED', 'b:8083'],
      ]);
      expect(store.topics('c')).toEqual(['orders']);
      expect(store.allConnectors()).toEqual(['c']);
    }
    expect(changes).toContainEqual({ kind: 'task', connector: 'c', task: 0 });

    // A late UNASSIGNED from a worker of an older generation does not hide the newer RUNNING.
    b.putTask(
      { connector: 'c', task: 0 },
      { state: 'RUNNING', trace: null, workerId: 'b:8083', generation: 2 },
    );
    await b.flush();
    await a.readToEnd();
    a.putTask(
      { connector: 'c', task: 0 },
      { state: 'UNASSIGNED', trace: null, workerId: 'a:8083', generation: 1 },
    );
    await a.flush();
    const late = await started(new KafkaStatusStore(options(topic)));
    expect(late.task({ connector: 'c', task: 0 })).toMatchObject({ state: 'RUNNING', workerId: 'b:8083' });
    expect(late.task({ connector: 'c', task: 1 })).toMatchObject({ state: 'FAILED', trace: 'boom' });
    expect(
      late.putTaskSafe(
        { connector: 'c', task: 0 },
        { ...late.task({ connector: 'c', task: 0 })!, workerId: 'x', generation: 1 },
      ),
    ).toBe(false);

    a.remove('c');
    await a.flush();
    await b.readToEnd();
    expect(b.connector('c')).toBeUndefined();
    expect(b.tasks('c').size).toBe(0);
    expect(b.topics('c')).toEqual([]);
    const raw = await rawRecords(topic);
    expect(raw).toContainEqual({
      key: 'status-connector-c',
      value: '{"state":"RUNNING","trace":null,"worker_id":"a:8083","generation":1}',
    });
    expect(raw).toContainEqual({ key: 'status-connector-c', value: null });
  });
});

describe('KafkaConfigStore', () => {
  it('writes Java’s records; another worker sees every change, a late starter the whole state', async () => {
    const topic = uniqueName('configs');
    const leader = await started(new KafkaConfigStore(options(topic)));
    const follower = await started(new KafkaConfigStore(options(topic)));
    const updates: ConfigUpdate[] = [];
    follower.onUpdate((u) => updates.push(u));

    const props = {
      'connector.class': 'FileStreamSource',
      file: '/tmp/in.txt',
      topic: 'lines',
      name: 'file-source',
    };
    await leader.putConnectorConfig('file-source', props, 'PAUSED');
    await leader.putTaskConfigs('file-source', [{ ...props, 'task.class': 'T' }]);
    await leader.putTargetState('file-source', 'STOPPED');
    await leader.putSessionKey({ key: Buffer.from('k3y'), algorithm: 'HmacSHA256', creationTimestamp: 1234 });
    await leader.putRestartRequest('file-source', { includeTasks: true, onlyFailed: false });
    await leader.putWorkerGone('w2:8083', 99);
    await leader.putConnectorConfig('doomed', { name: 'doomed' });
    await leader.removeConnectorConfig('doomed');

    await follower.readToEnd();
    const snap = follower.snapshot();
    expect(snap.connectors.get('file-source')).toEqual(props);
    expect(snap.targetStates.get('file-source')).toBe('STOPPED');
    expect(snap.taskConfigs.get('file-source')).toEqual([{ ...props, 'task.class': 'T' }]);
    expect(snap.sessionKey).toEqual({
      key: Buffer.from('k3y'),
      algorithm: 'HmacSHA256',
      creationTimestamp: 1234,
    });
    expect(snap.goneWorkers.get('w2:8083')).toBe(99);
    expect(snap.connectors.has('doomed')).toBe(false);
    expect(snap.offset).toBe(leader.snapshot().offset);
    expect(updates).toEqual([
      { kind: 'connector', name: 'file-source', removed: false },
      { kind: 'tasks', name: 'file-source' },
      { kind: 'target-state', name: 'file-source' },
      { kind: 'session-key' },
      { kind: 'restart', name: 'file-source', request: { includeTasks: true, onlyFailed: false } },
      { kind: 'worker-gone', name: 'w2:8083' },
      { kind: 'connector', name: 'doomed', removed: false },
      { kind: 'connector', name: 'doomed', removed: true },
    ]);

    const late = await started(new KafkaConfigStore(options(topic)));
    const lateSnap = late.snapshot();
    expect(lateSnap.connectors).toEqual(snap.connectors);
    expect(lateSnap.taskConfigs).toEqual(snap.taskConfigs);
    expect(lateSnap.targetStates).toEqual(snap.targetStates);
    expect(lateSnap.offset).toBe(snap.offset);

    // The bytes a Java worker writes for the same changes.
    expect((await rawRecords(topic)).slice(0, 5)).toEqual([
      { key: 'target-state-file-source', value: '{"state":"PAUSED","state.v2":"PAUSED"}' },
      {
        key: 'connector-file-source',
        value:
          '{"properties":{"connector.class":"FileStreamSource","file":"/tmp/in.txt","topic":"lines","name":"file-source"}}',
      },
      {
        key: 'task-file-source-0',
        value:
          '{"properties":{"connector.class":"FileStreamSource","file":"/tmp/in.txt","topic":"lines","name":"file-source","task.class":"T"}}',
      },
      { key: 'commit-file-source', value: '{"tasks":1}' },
      { key: 'target-state-file-source', value: '{"state":"PAUSED","state.v2":"STOPPED"}' },
    ]);
  });

  it('refuses a config topic with two partitions', async () => {
    const topic = uniqueName('configs');
    const admin = new Admin(client());
    await admin.createTopics({
      topics: [topic],
      partitions: 2,
      replicas: 1,
      configs: [{ name: 'cleanup.policy', value: 'compact' }],
    });
    await admin.close();
    await expect(new KafkaConfigStore(options(topic)).start()).rejects.toThrow(
      `Topic '${topic}' supplied via the 'config.storage.topic' property is required to have a single partition ` +
        'in order to guarantee consistency of connector configurations, but found 2 partitions.',
    );
  });

  it('refuses an existing topic that is not compacted', async () => {
    const topic = uniqueName('status');
    const admin = new Admin(client());
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1, configs: [] });
    await admin.close();
    await expect(new KafkaStatusStore(options(topic)).start()).rejects.toThrow(
      `Topic '${topic}' supplied via the 'status.storage.topic' property is required to have 'cleanup.policy=compact'`,
    );
  });

  it('two workers creating the same topic at once both start', async () => {
    const topic = uniqueName('configs');
    const [a, b] = await Promise.all([
      started(new KafkaConfigStore(options(topic))),
      started(new KafkaConfigStore(options(topic))),
    ]);
    await a.putConnectorConfig('c', { name: 'c' });
    await b.readToEnd();
    expect(b.snapshot().connectors.get('c')).toEqual({ name: 'c' });
  });

  it('creates missing topics compacted, with the partitions asked for', async () => {
    const topic = uniqueName('offsets');
    await started(new KafkaOffsetStore({ ...options(topic), partitions: 7 }));
    const admin = new Admin(client());
    const [description] = await admin.describeConfigs({
      resources: [{ resourceType: 2, resourceName: topic, configurationKeys: ['cleanup.policy'] }],
    });
    const metadata = await admin.metadata({ topics: [topic] });
    await admin.close();
    expect(description?.configs.find((c) => c.name === 'cleanup.policy')?.value).toBe('compact');
    expect(metadata.topics.get(topic)?.partitionsCount).toBe(7);
  });
});
