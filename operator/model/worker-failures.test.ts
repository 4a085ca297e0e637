import { describe, expect, it } from 'vitest';
import type { V1ContainerStatus, V1Pod } from '../api/kube-types.ts';
import {
  CRASH_LOOP_RUN_MS,
  failureSignature,
  MAX_WORKER_MESSAGE,
  workerFailure,
  workerFailures,
  workerSaid,
} from './worker-failures.ts';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const at = (msAgo: number): Date => new Date(NOW - msAgo);

const SASL =
  'weir: the brokers refused the SASL login (Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512): check the username and password in sasl.jaas.config and sasl.mechanism';
const LOG = [
  '{"level":30,"time":1,"name":"weir.worker","msg":"Kafka Connect distributed worker starting"}',
  '{"level":30,"time":2,"name":"weir.worker","msg":"Reading the config topic"}',
  SASL,
].join('\n');

const pod = (name: string, status: Partial<V1ContainerStatus>, deleting = false): V1Pod => ({
  metadata: { name, ...(deleting ? { deletionTimestamp: at(0) } : {}) },
  status: {
    containerStatuses: [
      { name: 'connect', image: 'weir', imageID: '', ready: false, restartCount: 0, ...status },
    ],
  },
});

const failed = (exitCode = 1, ranMs = 3_000, message: string | undefined = LOG, reason = 'Error') => ({
  terminated: { exitCode, reason, message, startedAt: at(ranMs + 1_000), finishedAt: at(1_000) },
});

describe('workerFailure', () => {
  it('a worker that exited with an error: the pod, the exit and what the worker said', () => {
    expect(workerFailure(pod('w-1', { state: failed() }), NOW)).toEqual({
      pod: 'w-1',
      restarts: 0,
      stalled: false,
      message: `pod w-1: the worker exited with code 1: ${SASL}`,
    });
  });

  it('crash-looping from the third failed run of short runs: Stalled', () => {
    const waiting = { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } };
    const second = workerFailure(pod('w', { restartCount: 1, state: waiting, lastState: failed() }), NOW)!;
    expect(second.stalled).toBe(false);
    expect(second.message).toBe(
      `pod w: the worker exited with code 1, restarted 1 time (now CrashLoopBackOff): ${SASL}`,
    );
    const third = workerFailure(pod('w', { restartCount: 2, state: waiting, lastState: failed() }), NOW)!;
    expect(third.stalled).toBe(true);
    expect(third.message).toContain('restarted 2 times (now CrashLoopBackOff)');
    // Trying again (running, not ready yet): still the same crash loop, no flapping.
    const running = { running: { startedAt: at(500) } };
    const again = workerFailure(pod('w', { restartCount: 3, state: running, lastState: failed() }), NOW)!;
    expect(again.stalled).toBe(true);
    expect(again.message).toContain('restarted 3 times (running again)');
  });

  it('runs longer than the crash-loop window are no crash loop; an old failure is no news', () => {
    const waiting = { waiting: { reason: 'CrashLoopBackOff' } };
    const long = failed(137, CRASH_LOOP_RUN_MS + 1, '', 'OOMKilled');
    const oom = workerFailure(pod('w', { restartCount: 5, state: waiting, lastState: long }), NOW)!;
    expect(oom).toMatchObject({ stalled: false, restarts: 5 });
    expect(oom.message).toBe(
      'pod w: the worker exited with code 137 (OOMKilled), restarted 5 times (now CrashLoopBackOff)',
    );
    const runningLong = { running: { startedAt: at(CRASH_LOOP_RUN_MS) } };
    expect(
      workerFailure(pod('w', { restartCount: 5, state: runningLong, lastState: failed() }), NOW),
    ).toBeUndefined();
  });

  it('timestamps as the API server sends them (strings, as the operator caches them)', () => {
    const asJson = JSON.parse(
      JSON.stringify(
        pod('w', {
          restartCount: 2,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: failed(),
        }),
      ),
    ) as V1Pod;
    expect(typeof asJson.status?.containerStatuses?.[0]?.lastState?.terminated?.startedAt).toBe('string');
    expect(workerFailure(asJson, NOW)?.stalled).toBe(true);
  });

  it('no failure: ready, starting, exited 0, going away', () => {
    const running = { running: { startedAt: at(1000) } };
    expect(workerFailure(pod('w', { ready: true, state: running }), NOW)).toBeUndefined();
    expect(workerFailure(pod('w', { state: running }), NOW)).toBeUndefined();
    expect(workerFailure(pod('w', { state: { waiting: { reason: 'ContainerCreating' } } }), NOW)).toBe(
      undefined,
    );
    expect(workerFailure(pod('w', { state: failed(0) }), NOW)).toBeUndefined();
    expect(workerFailure(pod('w', { state: failed() }, true), NOW)).toBeUndefined();
    expect(workerFailure({ metadata: { name: 'w' }, status: {} }, NOW)).toBeUndefined();
  });

  it('a container that cannot start: Reconciling with the kubelet message', () => {
    const f = workerFailure(
      pod('w', {
        state: {
          waiting: {
            reason: 'CreateContainerConfigError',
            message: "couldn't find key password in Secret kafka/connect",
          },
        },
      }),
      NOW,
    );
    expect(f).toEqual({
      pod: 'w',
      restarts: 0,
      stalled: false,
      message:
        "pod w: the worker container cannot start (CreateContainerConfigError): couldn't find key password in Secret kafka/connect",
    });
  });
});

describe('workerFailures', () => {
  it('crash-looping first, then by restarts', () => {
    const waiting = { waiting: { reason: 'CrashLoopBackOff' } };
    const pods = [
      pod('a', { restartCount: 1, state: waiting, lastState: failed() }),
      pod('ok', { ready: true, state: { running: { startedAt: at(1) } } }),
      pod('b', { restartCount: 4, state: waiting, lastState: failed(1, CRASH_LOOP_RUN_MS * 2) }),
      pod('c', { restartCount: 2, state: waiting, lastState: failed() }),
    ];
    expect(workerFailures(pods, NOW).map((f) => [f.pod, f.stalled])).toEqual([
      ['c', true],
      ['b', false],
      ['a', false],
    ]);
  });

  it('failureSignature changes with what status would say, not with anything else', () => {
    const p = pod('w', {
      restartCount: 1,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: failed(),
    });
    expect(failureSignature(p, NOW)).toBe(failureSignature(structuredClone(p), NOW));
    const more = pod('w', {
      restartCount: 2,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: failed(),
    });
    expect(failureSignature(more, NOW)).not.toBe(failureSignature(p, NOW));
    expect(failureSignature(undefined, NOW)).toBe('');
  });
});

describe('workerSaid', () => {
  it('the last plain line, past stack frames and the Node banner', () => {
    const crash = [
      '{"level":30,"msg":"starting"}',
      'weir: unexpected error: Error: boom',
      '    at main (file:///app/runtime/cli/main.ts:10:5)',
      '    at async x',
      '',
      'Node.js v24.1.0',
    ].join('\n');
    expect(workerSaid(crash)).toBe('weir: unexpected error: Error: boom');
  });

  it('a JSON error line: its msg and err.message; else the last JSON line', () => {
    const json = [
      '{"level":50,"msg":"Worker failed","err":{"message":"connection refused"}}',
      '{"level":30,"msg":"Stopping"}',
    ].join('\n');
    expect(workerSaid(json)).toBe('Worker failed: connection refused');
    expect(workerSaid('{"level":30,"msg":"a"}\n{"level":30,"msg":"b"}')).toBe('b');
  });

  it('one line, cut', () => {
    expect(workerSaid(undefined)).toBe('');
    expect(workerSaid('x'.repeat(MAX_WORKER_MESSAGE + 10))).toBe(`${'x'.repeat(MAX_WORKER_MESSAGE)}…`);
    expect(workerSaid('a\tb   c')).toBe('a b c');
  });
});
