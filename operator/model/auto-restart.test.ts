import { describe, expect, it } from 'vitest';
import type { ConnectorStateInfo } from '../../runtime/rest/types.ts';
import { minimalKafkaConnector } from '../api/testing/examples.ts';
import type { KafkaConnector } from '../api/types.ts';
import {
  autoRestartDecision,
  parseRestartAnnotation,
  parseRestartTaskAnnotation,
  restartDelayMs,
} from './auto-restart.ts';

const status = (connector: string, ...tasks: string[]): ConnectorStateInfo =>
  ({
    name: 'my-source',
    type: 'source',
    connector: { state: connector, worker_id: 'w' },
    tasks: tasks.map((state, id) => ({ id, state, worker_id: 'w' })),
  }) as ConnectorStateInfo;

const T0 = Date.parse('2026-01-01T00:00:00Z');

function connector(count: number, lastMsAgo?: number, maxRestarts?: number): KafkaConnector {
  const ktr = minimalKafkaConnector();
  ktr.spec.autoRestart = { enabled: true, ...(maxRestarts !== undefined ? { maxRestarts } : {}) };
  ktr.status = {
    autoRestart: {
      count,
      ...(lastMsAgo !== undefined ? { lastRestartTimestamp: new Date(T0 - lastMsAgo).toISOString() } : {}),
    },
  };
  return ktr;
}

describe('auto-restart', () => {
  it('back-off: immediately, then 10 s, 30 s, 90 s … capped at an hour', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs)).toEqual([
      0, 10_000, 30_000, 90_000, 270_000, 810_000, 2_430_000, 3_600_000, 3_600_000,
    ]);
  });

  it('restarts a failed task at once the first time, and counts it', () => {
    expect(autoRestartDecision(connector(0), status('RUNNING', 'FAILED'), T0)).toEqual({
      action: 'restart',
      status: { count: 1, lastRestartTimestamp: '2026-01-01T00:00:00.000Z' },
    });
  });

  it('waits out the back-off', () => {
    expect(autoRestartDecision(connector(2, 10_000), status('FAILED'), T0)).toEqual({
      action: 'wait',
      retryAfterMs: 20_000,
      status: { count: 2, lastRestartTimestamp: new Date(T0 - 10_000).toISOString() },
    });
    expect(autoRestartDecision(connector(2, 30_000), status('FAILED'), T0).action).toBe('restart');
  });

  it('gives up at maxRestarts', () => {
    expect(autoRestartDecision(connector(3, 3_600_000, 3), status('FAILED'), T0).action).toBe('giveUp');
    expect(autoRestartDecision(connector(0, undefined, 0), status('FAILED'), T0).action).toBe('giveUp');
  });

  it('resets the count after a healthy window', () => {
    expect(autoRestartDecision(connector(2, 5 * 60_000), status('RUNNING', 'RUNNING'), T0)).toEqual({
      action: 'none',
      status: { count: 2, lastRestartTimestamp: new Date(T0 - 5 * 60_000).toISOString() },
    });
    expect(
      autoRestartDecision(connector(2, 10 * 60_000), status('RUNNING', 'RUNNING'), T0).status!.count,
    ).toBe(0);
  });

  it('does nothing when disabled', () => {
    const ktr = connector(0);
    ktr.spec.autoRestart = { enabled: false };
    expect(autoRestartDecision(ktr, status('FAILED'), T0).action).toBe('none');
  });
});

describe('restart annotations', () => {
  it.each([
    ['true', { includeTasks: false, onlyFailed: false }],
    ['includeTasks', { includeTasks: true, onlyFailed: false }],
    ['onlyFailed', { includeTasks: false, onlyFailed: true }],
    ['includeTasks,onlyFailed', { includeTasks: true, onlyFailed: true }],
    ['true, includeTasks, onlyFailed', { includeTasks: true, onlyFailed: true }],
    ['false,includeTasks', null],
    [undefined, null],
  ])('weir.dev/restart: %s', (value, expected) => {
    expect(parseRestartAnnotation(value)).toEqual(expected);
  });

  it('refuses what it does not understand', () => {
    expect(parseRestartAnnotation('yes')).toEqual({ error: expect.stringContaining('"yes"') });
    expect(parseRestartAnnotation('')).toEqual({ error: expect.any(String) });
    expect(parseRestartTaskAnnotation('2')).toBe(2);
    expect(parseRestartTaskAnnotation(undefined)).toBeNull();
    expect(parseRestartTaskAnnotation('-1')).toEqual({ error: expect.stringContaining('task id') });
  });
});
