import { describe, expect, it } from 'vitest';
import type { ConnectorStateInfo, ConnectorState } from '../../runtime/rest/types.ts';
import type { KafkaConnector } from '../api/types.ts';
import { minimalKafkaConnector } from '../api/testing/examples.ts';
import { connectorStatus, findCondition } from './conditions.ts';
import {
  addChange,
  APPLY_TIMEOUT_MS,
  changeFromStatus,
  changeProgress,
  notRunYet,
  SETTLE_MS,
  type ChangeProgress,
  type PendingChange,
  type WorkersView,
} from './connector-change.ts';
import { desiredConnectorConfig } from './connector-config.ts';

const sink = (
  file: string,
  generation: number,
  state: 'running' | 'paused' | 'stopped' = 'running',
): KafkaConnector => {
  const k = minimalKafkaConnector('sink');
  return {
    ...k,
    metadata: { ...k.metadata, generation },
    spec: { ...k.spec, class: 'FileStreamSink', config: { file, topics: 't' }, state },
  };
};

const TRACE = "ConnectException: Couldn't find or create file '/data'";

/** What the workers answer: `config` from `of` (as they return it), the states given. */
function view(of: KafkaConnector, connector: ConnectorState, ...tasks: ConnectorState[]): WorkersView {
  const status: ConnectorStateInfo = {
    name: 'sink',
    type: 'sink',
    connector: { state: connector, worker_id: 'w:8083' },
    tasks: tasks.map((state, id) => ({
      id,
      state,
      worker_id: 'w:8083',
      ...(state === 'FAILED' ? { trace: `${TRACE}\n  at start` } : {}),
    })),
  };
  return {
    info: {
      name: 'sink',
      config: desiredConnectorConfig(of),
      tasks: tasks.map((_, task) => ({ connector: 'sink', task })),
      type: 'sink',
    },
    status,
  };
}

/**
 * Drives the controller's loop for one generation: each poll's answer through changeProgress into
 * the status the operator would write, and returns the (Ready|Reconciling|Stalled, reason) of each.
 */
function run(ktr: KafkaConnector, change: PendingChange, polls: [number, WorkersView][]): string[] {
  let pending: PendingChange | undefined = change;
  const out: string[] = [];
  for (const [at, answer] of polls) {
    const progress: ChangeProgress = pending
      ? changeProgress(pending, ktr, answer, at)
      : { phase: 'done' as const };
    pending = progress.phase === 'done' ? undefined : progress.change;
    const status = connectorStatus(
      ktr,
      {
        connectorStatus: answer.status!,
        ...(progress.phase !== 'done'
          ? { change: { phase: progress.phase, message: progress.message } }
          : {}),
      },
      undefined,
      new Date(at).toISOString(),
    );
    const on = status.conditions!.find((c) => c.status === 'True')!;
    expect(on.observedGeneration).toBe(ktr.metadata.generation);
    out.push(`${on.type} ${on.reason}`);
  }
  return out;
}

describe('a change the workers do not run yet is not its generation outcome', () => {
  const t0 = 1_000_000;
  const change = (what = 'configuration updated'): PendingChange => ({ what, actedAt: t0 });

  it('a breaking config: never Ready while the old task still runs, Stalled once settled', () => {
    const before = sink('/data/out.txt', 1);
    const after = sink('/data', 2);
    expect(
      run(after, change(), [
        [t0 - 500, view(before, 'RUNNING', 'RUNNING')], // a poll that started before the PUT
        [t0 + 100, view(before, 'RUNNING', 'RUNNING')], // a worker still on the old config
        [t0 + 400, view(after, 'RUNNING', 'RUNNING')], // the config is there, the old task runs
        [t0 + 2_400, view(after, 'RUNNING', 'FAILED')],
        [t0 + 400 + SETTLE_MS, view(after, 'RUNNING', 'FAILED')],
      ]),
    ).toEqual([
      'Reconciling ApplyingChange',
      'Reconciling ApplyingChange',
      'Reconciling WaitingForTasks',
      'Reconciling WaitingForTasks',
      'Stalled TaskFailed',
    ]);
  });

  it('a fixing config: never Stalled while the old failure shows, Ready once settled', () => {
    const broken = sink('/data', 2);
    const fixed = sink('/data/out.txt', 3);
    expect(
      run(fixed, change(), [
        [t0 + 50, view(broken, 'RUNNING', 'FAILED')],
        [t0 + 300, view(fixed, 'RUNNING', 'FAILED')], // the old failure, config already taken
        [t0 + 2_300, view(fixed, 'RUNNING', 'RUNNING')],
        [t0 + 300 + SETTLE_MS, view(fixed, 'RUNNING', 'RUNNING')],
      ]),
    ).toEqual([
      'Reconciling ApplyingChange',
      'Reconciling WaitingForTasks',
      'Reconciling WaitingForTasks',
      'Ready Running',
    ]);
  });

  it('a task failing seconds after the change is the change outcome, not a Ready in between', () => {
    const ktr = sink('/data/out.txt', 2);
    expect(
      run(ktr, change('restarted'), [
        [t0 + 10, view(ktr, 'RUNNING', 'RUNNING')],
        [t0 + 4_010, view(ktr, 'RUNNING', 'FAILED')],
        [t0 + 10 + SETTLE_MS, view(ktr, 'RUNNING', 'FAILED')],
      ]),
    ).toEqual(['Reconciling WaitingForTasks', 'Reconciling WaitingForTasks', 'Stalled TaskFailed']);
  });

  it('the messages say what the operator did and what it waits for', () => {
    const before = sink('/data/out.txt', 1);
    const after = sink('/data', 2);
    const early = changeProgress(change(), after, view(after, 'RUNNING', 'RUNNING'), t0 - 1);
    expect(early).toMatchObject({
      phase: 'applying',
      message: "configuration updated; waiting for the workers' first answer since",
    });
    const old = changeProgress(change(), after, view(before, 'RUNNING', 'RUNNING'), t0 + 1);
    expect(old).toMatchObject({
      phase: 'applying',
      message:
        'configuration updated; waiting for the workers to run it: their configuration still differs in file',
    });
    const settling = changeProgress(change(), after, view(after, 'RUNNING', 'RUNNING'), t0 + 1);
    expect(settling).toEqual({
      phase: 'settling',
      message: `configuration updated; the workers run it: Ready once the tasks still run ${SETTLE_MS / 1000} s later (connector RUNNING, 1 task(s) RUNNING)`,
      change: { what: 'configuration updated', actedAt: t0, appliedAt: t0 + 1 },
      settledAt: t0 + 1 + SETTLE_MS,
    });
  });

  it('pause and stop: done when the workers reached the state, with no settle time', () => {
    const paused = sink('/data/out.txt', 2, 'paused');
    expect(
      run(paused, change('paused'), [
        [t0 + 10, view(paused, 'RUNNING', 'RUNNING')],
        [t0 + 20, view(paused, 'PAUSED', 'RUNNING')],
        [t0 + 30, view(paused, 'PAUSED', 'PAUSED')],
      ]),
    ).toEqual(['Reconciling ApplyingChange', 'Reconciling Progressing', 'Ready Paused']);
    const stopped = sink('/data/out.txt', 3, 'stopped');
    expect(notRunYet(stopped, view(stopped, 'STOPPED', 'PAUSED'))).toBe('1 task(s) still listed');
    expect(
      run(stopped, change('stopped'), [
        [t0 + 10, view(stopped, 'STOPPED', 'PAUSED')],
        [t0 + 20, view(stopped, 'STOPPED')],
      ]),
    ).toEqual(['Reconciling ApplyingChange', 'Ready Stopped']);
  });

  it('a resumed connector settles like a new config (its tasks start again)', () => {
    const ktr = sink('/data/out.txt', 4);
    expect(
      run(ktr, change('resumed'), [
        [t0 + 10, view(ktr, 'PAUSED', 'PAUSED')],
        [t0 + 20, view(ktr, 'RUNNING')],
        [t0 + 2_020, view(ktr, 'RUNNING', 'RUNNING')],
        [t0 + 20 + SETTLE_MS, view(ktr, 'RUNNING', 'RUNNING')],
      ]),
    ).toEqual([
      'Reconciling ApplyingChange',
      'Reconciling WaitingForTasks',
      'Reconciling WaitingForTasks',
      'Ready Running',
    ]);
  });

  it('a failed connector counts as running its change (it will not move by itself)', () => {
    const paused = sink('/data/out.txt', 2, 'paused');
    expect(notRunYet(paused, view(paused, 'FAILED'))).toBeUndefined();
    const stopped = sink('/data/out.txt', 3, 'stopped');
    expect(notRunYet(stopped, view(stopped, 'FAILED', 'FAILED', 'FAILED'))).toBeUndefined();
    expect(changeProgress(change('paused'), paused, view(paused, 'FAILED'), t0 + 1)).toEqual({
      phase: 'done',
    });
  });

  it('the task list must fit: tasks.max, and a state for every task listed', () => {
    const ktr = sink('/data/out.txt', 2);
    expect(notRunYet(ktr, view(ktr, 'RUNNING', 'RUNNING', 'RUNNING'))).toBe('2 task(s) listed, tasks.max 1');
    const answer = view(ktr, 'RUNNING', 'RUNNING');
    answer.info!.tasks = [];
    expect(notRunYet(ktr, answer)).toBe('tasks listed [], states reported for [0]');
    expect(notRunYet(ktr, {})).toBe('the connector is not listed');
    expect(notRunYet(ktr, view(ktr, 'UNASSIGNED'))).toBe('connector UNASSIGNED, want RUNNING');
  });

  it('workers that never show the change: after the timeout, status says what they report', () => {
    const ktr = sink('/data/out.txt', 2);
    const stuck = view(ktr, 'RESTARTING', 'RUNNING');
    expect(changeProgress(change(), ktr, stuck, t0 + APPLY_TIMEOUT_MS - 1).phase).toBe('applying');
    expect(changeProgress(change(), ktr, stuck, t0 + APPLY_TIMEOUT_MS)).toEqual({ phase: 'done' });
  });

  it('a second change before the first was seen: one change, both named, from the later call', () => {
    const first = addChange(undefined, 'configuration updated', t0);
    expect(addChange(first, 'resumed', t0 + 5)).toEqual({
      what: 'configuration updated; resumed',
      actedAt: t0 + 5,
    });
    expect(addChange(first, 'configuration updated', t0 + 5).what).toBe('configuration updated');
    // One the workers ran already is not repeated; the settle time starts again from the new one.
    expect(addChange({ ...first, appliedAt: t0 + 1 }, 'restarted', t0 + 9)).toEqual({
      what: 'restarted',
      actedAt: t0 + 9,
    });
  });
});

describe('changeFromStatus: a change an earlier operator process may have left under way', () => {
  const ktr = sink('/data/out.txt', 3);
  /** Status as the operator writes it at `generation`, settled or mid-change. */
  const statusWith = (midChange: boolean, generation: number) =>
    connectorStatus(
      { ...ktr, metadata: { ...ktr.metadata, generation } },
      {
        connectorStatus: view(ktr, 'RUNNING', 'RUNNING').status!,
        ...(midChange ? { change: { phase: 'settling', message: 'm' } } : {}),
      },
      undefined,
      '2026-01-01T00:00:00Z',
    );

  it('status mid-change for this generation, or of an older one: checked again from now', () => {
    const mid = { ...ktr, status: statusWith(true, 3) };
    expect(findCondition(mid.status.conditions, 'Reconciling')?.reason).toBe('WaitingForTasks');
    expect(changeFromStatus(mid, 42)).toEqual({
      what: 'picked up after an operator restart or leader change',
      actedAt: 42,
    });
    expect(changeFromStatus({ ...ktr, status: statusWith(false, 2) }, 42)?.actedAt).toBe(42);
  });

  it('nothing for status of this generation that is settled, nor for one never reconciled', () => {
    expect(changeFromStatus({ ...ktr, status: statusWith(false, 3) }, 42)).toBeUndefined();
    expect(changeFromStatus({ ...ktr, status: { observedGeneration: -1 } }, 42)).toBeUndefined();
    expect(changeFromStatus(ktr, 42)).toBeUndefined();
  });
});
