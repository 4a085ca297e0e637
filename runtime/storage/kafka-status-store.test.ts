import { describe, expect, it } from 'vitest';
import {
  applyStatus,
  canWriteSafely,
  decodeStatus,
  decodeTopicStatus,
  encodeStatus,
  encodeTopicStatus,
  parseStatusKey,
  taskStatusKey,
  topicStatusKey,
} from './kafka-status-store.ts';
import type { Status } from './status-store.ts';

const status = (
  state: Status['state'],
  workerId: string,
  generation: number,
  trace: string | null = null,
) => ({
  state,
  trace,
  workerId,
  generation,
});

describe('status records: the bytes Apache Kafka Connect writes', () => {
  it('statuses are {"state","trace","worker_id","generation"} with trace null when there is none', () => {
    expect(encodeStatus(status('RUNNING', '10.0.0.1:8083', 4)).toString()).toBe(
      '{"state":"RUNNING","trace":null,"worker_id":"10.0.0.1:8083","generation":4}',
    );
    const failed = status('FAILED', 'w:8083', 2, 'java.lang.Error: boom\n\tat X');
    expect(decodeStatus(encodeStatus(failed))).toEqual(failed);
    // Java's own record, read back.
    expect(
      decodeStatus(Buffer.from('{"state":"UNASSIGNED","trace":null,"worker_id":"h:8083","generation":12}')),
    ).toEqual(status('UNASSIGNED', 'h:8083', 12));
    expect(decodeStatus(Buffer.from('{"state":"DESTROYED","worker_id":"h","generation":1}'))).toBeNull();
    expect(decodeStatus(Buffer.from('[]'))).toBeNull();
  });

  it('topic statuses are {"topic":{"name","connector","task","discoverTimestamp"}}', () => {
    const t = { topic: 'orders', connector: 'sink', task: 2, discoverTimestamp: 1700000000123 };
    expect(encodeTopicStatus(t).toString()).toBe(
      '{"topic":{"name":"orders","connector":"sink","task":2,"discoverTimestamp":1700000000123}}',
    );
    expect(decodeTopicStatus(encodeTopicStatus(t))).toEqual(t);
  });

  it('keys, including connector names with dashes', () => {
    expect(taskStatusKey({ connector: 'my-sink-1', task: 12 })).toBe('status-task-my-sink-1-12');
    expect(parseStatusKey('status-task-my-sink-1-12')).toEqual({
      kind: 'task',
      connector: 'my-sink-1',
      task: 12,
    });
    expect(parseStatusKey('status-connector-a-b')).toEqual({ kind: 'connector', connector: 'a-b' });
    expect(topicStatusKey('c-1', 'orders.v1')).toBe('status-topic-orders.v1:connector-c-1');
    expect(parseStatusKey('status-topic-orders.v1:connector-c-1')).toEqual({
      kind: 'topic',
      connector: 'c-1',
      topic: 'orders.v1',
    });
    for (const bad of ['status-task-x', 'status-task-x-y', 'status-connector-', 'status-topic-t', 'other']) {
      expect(parseStatusKey(bad)).toBeNull();
    }
  });
});

describe('which status wins when read back', () => {
  it('anything replaces nothing; the same worker always replaces its own', () => {
    expect(applyStatus(undefined, status('FAILED', 'a', 1), true)).toBe(true);
    expect(applyStatus(status('RUNNING', 'a', 5), status('FAILED', 'a', 3), true)).toBe(true);
  });

  it('a late UNASSIGNED or FAILED from another worker with an older generation does not overwrite', () => {
    const current = status('RUNNING', 'b', 6);
    expect(applyStatus(current, status('UNASSIGNED', 'a', 5), true)).toBe(false);
    expect(applyStatus(current, status('FAILED', 'a', 5), false)).toBe(false);
    expect(applyStatus(current, status('FAILED', 'a', 6), false)).toBe(true);
    expect(applyStatus(current, status('PAUSED', 'a', 7), false)).toBe(true);
  });

  it('RUNNING always applies (a recreated group starts generations again at 1)', () => {
    expect(applyStatus(status('RUNNING', 'old', 50), status('RUNNING', 'new', 1), true)).toBe(true);
  });

  it('Java’s rule: a task’s UNASSIGNED does not replace RUNNING of the same or a newer generation', () => {
    expect(applyStatus(status('RUNNING', 'b', 6), status('UNASSIGNED', 'b', 6), true)).toBe(false);
    expect(applyStatus(status('RUNNING', 'b', 6), status('UNASSIGNED', 'b', 7), true)).toBe(true);
    expect(applyStatus(status('RUNNING', 'b', 6), status('UNASSIGNED', 'b', 6), false)).toBe(true);
  });

  it('putSafe: only over nothing, the same worker, or an older generation', () => {
    expect(canWriteSafely(undefined, status('FAILED', 'a', 1))).toBe(true);
    expect(canWriteSafely(status('RUNNING', 'a', 9), status('FAILED', 'a', 1))).toBe(true);
    expect(canWriteSafely(status('RUNNING', 'b', 9), status('FAILED', 'a', 8))).toBe(false);
    expect(canWriteSafely(status('RUNNING', 'b', 9), status('FAILED', 'a', 9))).toBe(true);
  });
});
