import { describe, expect, it } from 'vitest';
import { MemoryStatusStore } from '../storage/status-store.ts';
import { buildStatus, restartPlan } from './status.ts';

describe('connector status and restart plans', () => {
  const store = new MemoryStatusStore();
  store.putConnector('c', { state: 'RUNNING', trace: null, workerId: 'w1:8083', generation: 1 });
  store.putTask(
    { connector: 'c', task: 0 },
    { state: 'RUNNING', trace: null, workerId: 'w1:8083', generation: 1 },
  );
  store.putTask(
    { connector: 'c', task: 1 },
    { state: 'FAILED', trace: 'Error: boom', workerId: 'w1:8083', generation: 1 },
  );
  const status = buildStatus('c', 'sink', 3, store, 'w1:8083');

  it('shows every task, unassigned ones included, and a trace only when there is one', () => {
    expect(status.tasks.map((t) => [t.id, t.state, t.trace])).toEqual([
      [0, 'RUNNING', undefined],
      [1, 'FAILED', 'Error: boom'],
      [2, 'UNASSIGNED', undefined],
    ]);
    expect('trace' in status.connector).toBe(false);
  });

  it('restarts only what KIP-745 says', () => {
    expect(restartPlan(status, { includeTasks: false, onlyFailed: false })).toMatchObject({
      connector: true,
      tasks: [],
    });
    expect(restartPlan(status, { includeTasks: true, onlyFailed: false })).toMatchObject({
      connector: true,
      tasks: [0, 1, 2],
    });
    const onlyFailed = restartPlan(status, { includeTasks: true, onlyFailed: true });
    expect(onlyFailed).toMatchObject({ connector: false, tasks: [1] });
    expect(onlyFailed.status.tasks.map((t) => t.state)).toEqual(['RUNNING', 'RESTARTING', 'UNASSIGNED']);
    expect(onlyFailed.status.connector.state).toBe('RUNNING');
  });
});
