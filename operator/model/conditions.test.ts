import { describe, expect, it } from 'vitest';
import type { ConnectorStateInfo } from '../../runtime/rest/types.ts';
import { minimalKafkaConnect, minimalKafkaConnector } from '../api/testing/examples.ts';
import {
  connectorConditions,
  connectorStatus,
  connectStatus,
  findCondition,
  observeDeployment,
  setCondition,
  statusEqual,
} from './conditions.ts';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-01T00:05:00Z';

const state = (connector: string, ...tasks: string[]): ConnectorStateInfo =>
  ({
    name: 'my-source',
    type: 'source',
    connector: { state: connector, worker_id: 'w' },
    tasks: tasks.map((s, id) => ({
      id,
      state: s,
      worker_id: 'w',
      ...(s === 'FAILED' ? { trace: 'boom\n  at x' } : {}),
    })),
  }) as ConnectorStateInfo;

describe('setCondition', () => {
  it('keeps lastTransitionTime while the status stays, changes it when the status changes', () => {
    const a = setCondition([], { type: 'Ready', status: 'False', reason: 'X', message: 'm' }, T1);
    const b = setCondition(a, { type: 'Ready', status: 'False', reason: 'Y', message: 'n' }, T2);
    expect(b).toEqual([
      { type: 'Ready', status: 'False', reason: 'Y', message: 'n', lastTransitionTime: T1 },
    ]);
    const c = setCondition(b, { type: 'Ready', status: 'True', reason: 'Z', message: '' }, T2);
    expect(c[0]!.lastTransitionTime).toBe(T2);
  });

  it('orders Ready, Reconciling, Stalled', () => {
    let cs = setCondition([], { type: 'Stalled', status: 'False', reason: 'r', message: '' }, T1);
    cs = setCondition(cs, { type: 'Ready', status: 'False', reason: 'r', message: '' }, T1);
    expect(cs.map((c) => c.type)).toEqual(['Ready', 'Stalled']);
  });
});

describe('statusEqual', () => {
  it('ignores timestamps and key order, not values', () => {
    const a = { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: T1 }], replicas: 1 };
    expect(
      statusEqual(a, {
        replicas: 1,
        conditions: [{ lastTransitionTime: T2, status: 'True', type: 'Ready' }],
      }),
    ).toBe(true);
    expect(statusEqual(a, { ...a, replicas: 2 })).toBe(false);
  });
});

describe('connectStatus', () => {
  const kc = minimalKafkaConnect();
  const observed = { desiredReplicas: 3, readyReplicas: 3, updatedReplicas: 3, rolloutComplete: true };

  it('Ready when the rollout is complete; observedGeneration, url, selector, replicas', () => {
    const s = connectStatus(kc, observed, undefined, T1);
    expect(s).toMatchObject({
      observedGeneration: 1,
      url: 'http://my-connect-connect-api.kafka.svc:8083',
      replicas: 3,
      labelSelector: 'weir.dev/cluster=my-connect,weir.dev/kind=KafkaConnect',
    });
    expect(s.conditions!.map((c) => [c.type, c.status, c.reason, c.observedGeneration])).toEqual([
      ['Ready', 'True', 'Available', 1],
      ['Reconciling', 'False', 'Available', 1],
      ['Stalled', 'False', 'Available', 1],
    ]);
  });

  it('Reconciling during a rollout, Stalled on a terminal error or an invalid spec', () => {
    const rolling = connectStatus(
      kc,
      { ...observed, readyReplicas: 2, updatedReplicas: 1, rolloutComplete: false },
      undefined,
      T1,
    );
    expect(findCondition(rolling.conditions, 'Reconciling')).toMatchObject({
      status: 'True',
      reason: 'RollingUpdate',
      message: '2/3 workers ready',
    });
    expect(findCondition(rolling.conditions, 'Ready')!.status).toBe('False');
    const stalled = connectStatus(
      kc,
      observed,
      { reason: 'SecretNotFound', message: 'no Secret ca', terminal: true },
      T1,
    );
    expect(findCondition(stalled.conditions, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'SecretNotFound',
    });
    const invalid = connectStatus(
      { ...kc, spec: { ...kc.spec, config: { 'group.id': 'x' } } },
      observed,
      undefined,
      T1,
    );
    expect(findCondition(invalid.conditions, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'InvalidSpec',
    });
  });

  it('log levels not applied: still Ready, the message names the workers', () => {
    const s = connectStatus(
      kc,
      { ...observed, logLevelFailures: ['10.0.0.5:8083: no answer within 5000 ms'] },
      undefined,
      T1,
    );
    expect(findCondition(s.conditions, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'Available',
      message:
        '3/3 workers ready; log levels not applied on 1 worker(s): 10.0.0.5:8083: no answer within 5000 ms',
    });
  });

  it('failing worker pods: Reconciling, Stalled once one crash-loops; the first named, the others counted', () => {
    const rolling = { ...observed, readyReplicas: 3, updatedReplicas: 1, rolloutComplete: false };
    const failing = (stalled: boolean) => ({
      pod: 'my-connect-connect-abc',
      restarts: stalled ? 2 : 0,
      stalled,
      message: 'pod my-connect-connect-abc: the worker exited with code 1: weir: wrong password',
    });
    const first = connectStatus(kc, { ...rolling, workerFailures: [failing(false)] }, undefined, T1);
    expect(findCondition(first.conditions, 'Reconciling')).toMatchObject({
      status: 'True',
      reason: 'WorkerFailing',
      message:
        '3/3 workers ready; pod my-connect-connect-abc: the worker exited with code 1: weir: wrong password',
    });
    const looping = connectStatus(
      kc,
      { ...rolling, workerFailures: [failing(true), failing(false)] },
      undefined,
      T1,
    );
    expect(findCondition(looping.conditions, 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'WorkerCrashLoop',
    });
    expect(findCondition(looping.conditions, 'Ready')!.message).toMatch(
      /^3\/3 workers ready; pod my-connect-connect-abc: .* \(and 1 more failing worker pod\(s\)\)$/,
    );
    // A complete rollout is Ready whatever an old pod said; a reconcile error comes first.
    expect(
      findCondition(
        connectStatus(kc, { ...observed, workerFailures: [failing(true)] }, undefined, T1).conditions,
        'Ready',
      )!.status,
    ).toBe('True');
    const error = { reason: 'ReconcileFailed', message: 'no Secret', terminal: false };
    expect(
      findCondition(
        connectStatus(kc, { ...rolling, workerFailures: [failing(true)] }, error, T1).conditions,
        'Reconciling',
      )!.reason,
    ).toBe('ReconcileFailed');
  });

  it('an unchanged outcome keeps the status equal (no write)', () => {
    const first = connectStatus(kc, observed, undefined, T1);
    const second = connectStatus({ ...kc, status: first }, observed, undefined, T2);
    expect(second).toEqual(first);
  });
});

describe('connector status', () => {
  const ktr = minimalKafkaConnector();

  it.each([
    [undefined, 'Reconciling', 'Creating'],
    [state('RUNNING', 'RUNNING', 'RUNNING'), 'Ready', 'Running'],
    [state('RUNNING', 'UNASSIGNED'), 'Reconciling', 'Progressing'],
    [state('RUNNING'), 'Reconciling', 'Progressing'],
    [state('PAUSED', 'PAUSED'), 'Reconciling', 'Progressing'],
    [state('RUNNING', 'FAILED'), 'Stalled', 'TaskFailed'],
    [state('FAILED'), 'Stalled', 'ConnectorFailed'],
  ])('%j → %s %s', (connectorState, type, reason) => {
    const cs = connectorConditions(ktr, connectorState ? { connectorStatus: connectorState } : {});
    expect(cs.find((c) => c.status === 'True')).toMatchObject({ type, reason });
  });

  it('paused and stopped are Ready when reached', () => {
    const paused = { ...ktr, spec: { ...ktr.spec, state: 'paused' as const } };
    expect(connectorConditions(paused, { connectorStatus: state('PAUSED', 'PAUSED') })[0]).toMatchObject({
      status: 'True',
      reason: 'Paused',
    });
    const stopped = { ...ktr, spec: { ...ktr.spec, state: 'stopped' as const } };
    expect(connectorConditions(stopped, { connectorStatus: state('STOPPED') })[0]).toMatchObject({
      status: 'True',
      reason: 'Stopped',
    });
  });

  it('a failure with a restart scheduled is progress, with the first line of the trace', () => {
    const cs = connectorConditions(ktr, {
      connectorStatus: state('RUNNING', 'FAILED'),
      restartPending: true,
    });
    expect(cs[1]).toMatchObject({
      type: 'Reconciling',
      status: 'True',
      reason: 'RestartScheduled',
      message: 'task 0 failed: boom (restart scheduled)',
    });
  });

  it('status fields', () => {
    const s = connectorStatus(
      ktr,
      { connectorStatus: state('RUNNING', 'RUNNING'), topics: ['t'], tasksMax: 1, autoRestart: { count: 0 } },
      undefined,
      T1,
    );
    expect(s).toMatchObject({ observedGeneration: 1, tasksMax: 1, topics: ['t'], autoRestart: { count: 0 } });
    expect(s.connectorStatus!.connector.state).toBe('RUNNING');
  });

  it("labelSelector: the worker pods of the KafkaConnect it names (the scale subresource's selector)", () => {
    const selector = 'weir.dev/cluster=my-connect,weir.dev/kind=KafkaConnect';
    expect(connectorStatus(ktr, {}, undefined, T1).labelSelector).toBe(selector);
    const failure = { reason: 'ClusterNotFound', message: 'no such KafkaConnect', terminal: false };
    expect(connectorStatus(ktr, {}, failure, T1).labelSelector).toBe(selector);
    const elsewhere = minimalKafkaConnector('my-sink', 'team-a');
    delete elsewhere.metadata.labels;
    elsewhere.spec.clusterRef = { name: 'shared', namespace: 'kafka' };
    expect(connectorStatus(elsewhere, {}, undefined, T1).labelSelector).toBe(
      'weir.dev/cluster=shared,weir.dev/kind=KafkaConnect',
    );
    delete elsewhere.spec.clusterRef;
    expect(connectorStatus(elsewhere, {}, undefined, T1).labelSelector).toBeUndefined();
  });

  it("topics: the workers' list, sorted; kept while there is no answer, gone when the answer has none", () => {
    const running = state('RUNNING', 'RUNNING');
    const s = connectorStatus(ktr, { connectorStatus: running, topics: ['b', 'a'] }, undefined, T1);
    expect(s.topics).toEqual(['a', 'b']);
    const withStatus = { ...ktr, status: s };
    const failure = { reason: 'ConnectUnreachable', message: 'no worker', terminal: false };
    expect(connectorStatus(withStatus, {}, failure, T2).topics).toEqual(['a', 'b']);
    expect(connectorStatus(withStatus, { connectorStatus: running }, undefined, T2).topics).toBeUndefined();
    const more = connectorStatus(
      withStatus,
      { connectorStatus: running, topics: ['a', 'b', 'c'] },
      undefined,
      T2,
    );
    expect(statusEqual(s, more)).toBe(false);
  });

  it('long traces are cut in status', () => {
    const failed = state('RUNNING', 'FAILED');
    failed.tasks[0]!.trace = 'x'.repeat(10_000);
    const s = connectorStatus(ktr, { connectorStatus: failed }, undefined, T1);
    expect(s.connectorStatus!.tasks[0]!.trace).toHaveLength(2049);
    expect(failed.tasks[0]!.trace).toHaveLength(10_000);
  });
});

describe('observeDeployment', () => {
  const d = (generation: number, status: Record<string, number>, replicas = 3) => ({
    metadata: { generation },
    spec: { replicas, selector: {}, template: {} },
    status,
  });
  const done = {
    observedGeneration: 2,
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
  };

  it('complete only when the latest spec is rolled out everywhere and no old pod is left', () => {
    expect(observeDeployment(d(2, done), 3)).toEqual({
      desiredReplicas: 3,
      readyReplicas: 3,
      updatedReplicas: 3,
      rolloutComplete: true,
    });
    expect(observeDeployment(d(3, done), 3).rolloutComplete).toBe(false);
    expect(observeDeployment(d(2, { ...done, replicas: 4 }), 3).rolloutComplete).toBe(false);
    expect(observeDeployment(d(2, { ...done, availableReplicas: 2 }), 3).rolloutComplete).toBe(false);
    expect(observeDeployment(d(2, done), 4).rolloutComplete).toBe(false);
    expect(observeDeployment(undefined, 3)).toEqual({
      desiredReplicas: 3,
      readyReplicas: 0,
      updatedReplicas: 0,
      rolloutComplete: false,
    });
  });

  it('scaled to zero', () => {
    expect(observeDeployment(d(2, { observedGeneration: 2 }, 0), 0).rolloutComplete).toBe(true);
  });
});
