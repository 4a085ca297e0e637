import { describe, expect, it } from 'vitest';
import { WeirError } from '../errors.ts';
import { sinkGroupInstanceId } from './sink-group-instance.ts';

const base = {
  scope: 'connect-cluster',
  connector: 'orders sink',
  task: 0,
  tasksMax: 2,
  configured: undefined,
};

describe('sinkGroupInstanceId', () => {
  it('is stable, legal for Kafka, and differs by task, connector and scope', () => {
    const id = sinkGroupInstanceId(base) as string;
    expect(id).toMatch(/^connect-cluster-orders_sink-[0-9a-f]{12}-0$/);
    expect(sinkGroupInstanceId(base)).toBe(id);
    const others = [
      sinkGroupInstanceId({ ...base, task: 1 }),
      sinkGroupInstanceId({ ...base, connector: 'orders_sink' }), // same readable part, other name
      sinkGroupInstanceId({ ...base, scope: '127.0.0.1:8083' }),
    ];
    expect(new Set([id, ...others]).size).toBe(4);
    expect(others[2]).toMatch(/^127.0.0.1_8083-orders_sink-/);
  });

  it('stays within 249 characters for long names', () => {
    const id = sinkGroupInstanceId({ ...base, connector: 'x'.repeat(400), task: 12345 }) as string;
    expect(id.length).toBeLessThanOrEqual(249);
  });

  it('is absent without a scope (a dynamic member)', () => {
    expect(sinkGroupInstanceId({ ...base, scope: undefined })).toBeUndefined();
  });

  it("uses a user's consumer.group.instance.id as given for one task, with -<task> for several", () => {
    expect(sinkGroupInstanceId({ ...base, tasksMax: 1, configured: 'mine' })).toBe('mine');
    expect(sinkGroupInstanceId({ ...base, task: 3, configured: 'mine' })).toBe('mine-3');
  });

  it("refuses a user's id Kafka would refuse, saying what is allowed", () => {
    expect(() => sinkGroupInstanceId({ ...base, configured: 'not ok' })).toThrow(WeirError);
    expect(() => sinkGroupInstanceId({ ...base, configured: 'not ok' })).toThrow(/a-z, A-Z, 0-9/);
  });
});
