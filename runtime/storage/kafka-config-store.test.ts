import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  ConfigState,
  encodeCommit,
  encodeConfig,
  encodeRestart,
  encodeSessionKey,
  encodeTargetState,
  encodeTaskCount,
  encodeWorkerGone,
  type ConfigUpdate,
} from './kafka-config-store.ts';

const text = (b: Buffer) => b.toString('utf8');
const j = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Feeds records to a fresh state; returns the state and every update it reported. */
function feed(records: [string, Buffer | null][]): { state: ConfigState; updates: ConfigUpdate[] } {
  const state = new ConfigState(pino({ level: 'silent' }));
  const updates: ConfigUpdate[] = [];
  records.forEach(([key, value], offset) => updates.push(...state.apply(key, value, offset)));
  return { state, updates };
}

describe('config records: the bytes Apache Kafka Connect writes', () => {
  it('connector and task configs are {"properties":{…}}, commits {"tasks":N}', () => {
    const props = {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      file: '/tmp/in.txt',
      topic: 'lines',
      name: 'file-source',
    };
    expect(text(encodeConfig(props))).toBe(
      '{"properties":{"connector.class":"org.apache.kafka.connect.file.FileStreamSourceConnector",' +
        '"tasks.max":"1","file":"/tmp/in.txt","topic":"lines","name":"file-source"}}',
    );
    expect(text(encodeCommit(3))).toBe('{"tasks":3}');
  });

  it('target states: RUNNING is STARTED; STOPPED is PAUSED for readers that only know "state"', () => {
    expect(text(encodeTargetState('RUNNING'))).toBe('{"state":"STARTED","state.v2":"STARTED"}');
    expect(text(encodeTargetState('PAUSED'))).toBe('{"state":"PAUSED","state.v2":"PAUSED"}');
    expect(text(encodeTargetState('STOPPED'))).toBe('{"state":"PAUSED","state.v2":"STOPPED"}');
  });

  it('session keys, restart requests and Weir’s worker-gone record', () => {
    const key = {
      key: Buffer.from('secret-bytes'),
      algorithm: 'HmacSHA256',
      creationTimestamp: 1700000000000,
    };
    expect(text(encodeSessionKey(key))).toBe(
      '{"key":"c2VjcmV0LWJ5dGVz","algorithm":"HmacSHA256","creation-timestamp":1700000000000}',
    );
    expect(text(encodeRestart({ includeTasks: true, onlyFailed: false }))).toBe(
      '{"include-tasks":true,"only-failed":false}',
    );
    expect(text(encodeWorkerGone('w1:8083', 5))).toBe('{"worker_id":"w1:8083","timestamp":5}');
  });
});

describe('ConfigState', () => {
  it('a new connector runs unless told otherwise; its offset is the one after the last record', () => {
    const { state, updates } = feed([['connector-a', encodeConfig({ x: '1' })]]);
    const snap = state.snapshot();
    expect(snap.connectors.get('a')).toEqual({ x: '1' });
    expect(snap.targetStates.get('a')).toBe('RUNNING');
    expect(snap.offset).toBe(1);
    expect(updates).toEqual([{ kind: 'connector', name: 'a', removed: false }]);
    expect(new ConfigState().snapshot().offset).toBe(-1);
  });

  it('task configs apply only when their commit arrives, all together', () => {
    const { state, updates } = feed([
      ['connector-my-conn', encodeConfig({ c: '1' })],
      ['task-my-conn-0', encodeConfig({ t: '0' })],
      ['task-my-conn-1', encodeConfig({ t: '1' })],
    ]);
    expect(state.snapshot().taskConfigs.get('my-conn')).toBeUndefined();
    expect(updates.filter((u) => u.kind === 'tasks')).toEqual([]);
    const more = state.apply('commit-my-conn', encodeCommit(2), 3);
    expect(more).toEqual([{ kind: 'tasks', name: 'my-conn' }]);
    const snap = state.snapshot();
    expect(snap.taskConfigs.get('my-conn')).toEqual([{ t: '0' }, { t: '1' }]);
    expect(snap.appliedConnectorConfigs.get('my-conn')).toEqual({ c: '1' });
    expect(snap.inconsistent.size).toBe(0);
  });

  it('a commit missing task records (compaction, a writer that died) marks the connector inconsistent until a full set', () => {
    // Java's example: [connector, task-2, commit(2), task-1, commit(1)] after compaction.
    const { state } = feed([
      ['connector-foo', encodeConfig({})],
      ['task-foo-1', encodeConfig({ t: 'old-1' })],
      ['commit-foo', encodeCommit(2)],
    ]);
    let snap = state.snapshot();
    expect(snap.inconsistent.has('foo')).toBe(true);
    expect(snap.taskConfigs.get('foo')).toEqual([]);
    expect(snap.taskCounts.get('foo')).toBe(2);
    state.apply('task-foo-0', encodeConfig({ t: 'new-0' }), 3);
    state.apply('commit-foo', encodeCommit(1), 4);
    snap = state.snapshot();
    expect(snap.inconsistent.has('foo')).toBe(false);
    expect(snap.taskConfigs.get('foo')).toEqual([{ t: 'new-0' }]);
  });

  it('fewer tasks than before: the commit counts, older task records beyond it are not in the snapshot', () => {
    const { state } = feed([
      ['connector-c', encodeConfig({})],
      ['task-c-0', encodeConfig({ t: '0' })],
      ['task-c-1', encodeConfig({ t: '1' })],
      ['commit-c', encodeCommit(2)],
      ['task-c-0', encodeConfig({ t: 'only' })],
      ['commit-c', encodeCommit(1)],
    ]);
    expect(state.snapshot().taskConfigs.get('c')).toEqual([{ t: 'only' }]);
  });

  it('deleting a connector (tombstones for config and target state) forgets it and its tasks', () => {
    const { state, updates } = feed([
      ['connector-c', encodeConfig({})],
      ['target-state-c', encodeTargetState('PAUSED')],
      ['task-c-0', encodeConfig({})],
      ['commit-c', encodeCommit(1)],
      ['connector-c', null],
      ['target-state-c', null],
    ]);
    const snap = state.snapshot();
    expect(snap.connectors.has('c')).toBe(false);
    expect(snap.targetStates.has('c')).toBe(false);
    expect(snap.taskConfigs.has('c')).toBe(false);
    expect(updates.at(-1)).toEqual({ kind: 'connector', name: 'c', removed: true });
    // A commit left over from a deleted connector (its config compacted away) is ignored.
    expect(state.apply('commit-c', encodeCommit(1), 9)).toEqual([]);
    expect(state.snapshot().taskConfigs.has('c')).toBe(false);
  });

  it('target states: state.v2 wins, a record with only "state" (an old writer) is read, a tombstone means RUNNING', () => {
    const { state, updates } = feed([
      ['connector-c', encodeConfig({})],
      ['target-state-c', j({ state: 'PAUSED', 'state.v2': 'STOPPED' })],
    ]);
    expect(state.snapshot().targetStates.get('c')).toBe('STOPPED');
    expect(updates.at(-1)).toEqual({ kind: 'target-state', name: 'c' });
    state.apply('target-state-c', j({ state: 'PAUSED' }), 2);
    expect(state.snapshot().targetStates.get('c')).toBe('PAUSED');
    expect(state.apply('target-state-c', j({ state: 'PAUSED' }), 3)).toEqual([]); // unchanged
    state.apply('target-state-c', j({ state: 'STARTED' }), 4);
    expect(state.snapshot().targetStates.get('c')).toBe('RUNNING');
    state.apply('target-state-c', j({ state: 'BOGUS' }), 5);
    expect(state.snapshot().targetStates.get('c')).toBe('RUNNING');
    state.apply('target-state-c', encodeTargetState('PAUSED'), 6);
    state.apply('target-state-c', null, 7);
    expect(state.snapshot().targetStates.get('c')).toBe('RUNNING');
  });

  it('a target state written before the connector’s config applies to it', () => {
    const { state } = feed([
      ['target-state-c', encodeTargetState('STOPPED')],
      ['connector-c', encodeConfig({})],
    ]);
    expect(state.snapshot().targetStates.get('c')).toBe('STOPPED');
  });

  it('session keys, restart requests and worker-gone records', () => {
    const key = { key: Buffer.from([1, 2, 3]), algorithm: 'HmacSHA256', creationTimestamp: 42 };
    const { state, updates } = feed([
      ['session-key', encodeSessionKey(key)],
      ['restart-connector-c', encodeRestart({ includeTasks: true, onlyFailed: true })],
      ['restart-connector-d', j({})],
      ['weir-worker-gone-w1:8083', encodeWorkerGone('w1:8083', 7)],
      ['weir-worker-gone-w2:8083', encodeWorkerGone('w2:8083', 8)],
      ['weir-worker-gone-w2:8083', null],
    ]);
    const snap = state.snapshot();
    expect(snap.sessionKey).toEqual(key);
    expect(snap.goneWorkers).toEqual(new Map([['w1:8083', 7]]));
    expect(updates).toEqual([
      { kind: 'session-key' },
      { kind: 'restart', name: 'c', request: { includeTasks: true, onlyFailed: true } },
      { kind: 'restart', name: 'd', request: { includeTasks: false, onlyFailed: false } },
      { kind: 'worker-gone', name: 'w1:8083' },
      { kind: 'worker-gone', name: 'w2:8083' },
      { kind: 'worker-gone', name: 'w2:8083' },
    ]);
  });

  it('skips records it cannot read, but counts their offsets', () => {
    const { state, updates } = feed([
      ['something-else', j({ a: 1 })],
      ['connector-c', Buffer.from('not json')],
      ['task-c-x', encodeConfig({})],
      ['connector-d', j({ properties: 'no' })],
      ['session-key', null],
      ['logger-cluster-org.apache', j({ level: 'DEBUG' })],
    ]);
    expect(updates).toEqual([]);
    expect(state.snapshot().connectors.size).toBe(0);
    expect(state.snapshot().offset).toBe(6);
  });
});

describe('tasks-fencing records (exactly-once sources)', () => {
  it('are {"task-count":N}; a commit after the latest one makes the connector pending fencing', () => {
    expect(text(encodeTaskCount(2))).toBe('{"task-count":2}');
    const source = encodeConfig({ 'connector.class': 'VerifiableSource', name: 'v' });
    const { state } = feed([
      ['connector-v', source],
      ['task-v-0', encodeConfig({ id: '0' })],
      ['commit-v', encodeCommit(1)],
    ]);
    expect(state.snapshot().pendingFencing.has('v')).toBe(true);
    expect(state.snapshot().taskGenerations.get('v')).toBe(1);
    state.apply('tasks-fencing-v', encodeTaskCount(1), 3);
    expect(state.snapshot().pendingFencing.has('v')).toBe(false);
    expect(state.snapshot().taskCountRecords.get('v')).toBe(1);
    state.apply('task-v-0', encodeConfig({ id: '0' }), 4);
    state.apply('task-v-1', encodeConfig({ id: '1' }), 5);
    state.apply('commit-v', encodeCommit(2), 6);
    expect(state.snapshot().pendingFencing.has('v')).toBe(true);
    expect(state.snapshot().taskGenerations.get('v')).toBe(2);
    state.apply('tasks-fencing-v', j('not a count'), 7);
    expect(state.snapshot().pendingFencing.has('v')).toBe(true);
  });
});
