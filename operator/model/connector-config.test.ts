import { describe, expect, it } from 'vitest';
import {
  fullKafkaConnect,
  fullKafkaConnector,
  minimalKafkaConnect,
  minimalKafkaConnector,
} from '../api/testing/examples.ts';
import {
  configDiff,
  configsDiffer,
  connectorClusterRef,
  connectorNameOwner,
  connectorNamespaceAllowed,
  desiredConnectorConfig,
  normalizeValue,
  stateAction,
  targetState,
  validateKafkaConnector,
} from './connector-config.ts';

describe('desired connector config', () => {
  it('class, tasks.max and name from their fields; values as strings users mean', () => {
    expect(desiredConnectorConfig(fullKafkaConnector())).toEqual({
      'batch.size': '100',
      'errors.log.enable': 'true',
      file: '/data/test.txt',
      topic: 'connect-test',
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      name: 'my-source',
    });
  });

  it('keys with fields of their own never come from spec.config', () => {
    const ktr = minimalKafkaConnector();
    ktr.spec.config = { name: 'other', 'tasks.max': 9, x: 'y' };
    delete ktr.spec.tasksMax;
    expect(desiredConnectorConfig(ktr)).toEqual({
      x: 'y',
      'connector.class': 'FileStreamSource',
      'tasks.max': '1',
      name: 'my-source',
    });
    expect(validateKafkaConnector(ktr)).toEqual([
      'spec.config may not set name, tasks.max (use metadata.name, spec.class, spec.tasksMax)',
    ]);
  });
});

describe('configsDiffer', () => {
  const desired = desiredConnectorConfig(fullKafkaConnector());

  it('the workers echoing the config back is no change, whatever the representation', () => {
    expect(configsDiffer(desired, { ...desired })).toBe(false);
    expect(configsDiffer(desired, { ...desired, 'batch.size': 100, 'errors.log.enable': true })).toBe(false);
    expect(
      configsDiffer(desired, {
        ...desired,
        'errors.log.enable': 'TRUE',
        'batch.size': '100.0',
        topic: ' connect-test ',
      }),
    ).toBe(false);
    expect(configsDiffer({ topics: 'a, b' }, { topics: 'a,b' })).toBe(false);
  });

  it('real changes, removed keys and added keys count', () => {
    expect(configDiff(desired, { ...desired, topic: 'other' })).toEqual(['topic']);
    const { file: _f, ...withoutFile } = desired;
    expect(configDiff(desired, withoutFile)).toEqual(['file']);
    expect(configDiff(desired, { ...desired, extra: 'x' })).toEqual(['extra']);
    expect(configDiff(desired, { ...desired, extra: 'x' }, ['extra'])).toEqual([]);
    expect(configDiff({ a: '007' }, { a: '7' })).toEqual(['a']);
  });

  it('normalizes values', () => {
    expect(normalizeValue(' 10.0 ')).toBe('10');
    expect(normalizeValue('False')).toBe('false');
    expect(normalizeValue('x , y')).toBe('x,y');
    expect(normalizeValue('99999999999999999999')).toBe('99999999999999999999');
  });
});

describe('cluster link', () => {
  it('label in the same namespace, clusterRef anywhere, both must agree', () => {
    expect(connectorClusterRef(minimalKafkaConnector())).toEqual({ namespace: 'kafka', name: 'my-connect' });
    expect(connectorClusterRef(fullKafkaConnector())).toEqual({ namespace: 'kafka', name: 'my-connect' });
    const both = minimalKafkaConnector();
    both.spec.clusterRef = { name: 'other' };
    expect(connectorClusterRef(both)).toEqual({ error: expect.stringContaining('disagree') });
    const none = minimalKafkaConnector();
    none.metadata.labels = {};
    expect(validateKafkaConnector(none)).toEqual([expect.stringContaining('no KafkaConnect named')]);
  });

  it('other namespaces only when the KafkaConnect allows them', () => {
    expect(connectorNamespaceAllowed(minimalKafkaConnect(), 'kafka')).toBe(true);
    expect(connectorNamespaceAllowed(minimalKafkaConnect(), 'team-a')).toBe(false);
    expect(connectorNamespaceAllowed(fullKafkaConnect(), 'team-a')).toBe(true);
    const all = minimalKafkaConnect();
    all.spec.allowedConnectorNamespaces = ['*'];
    expect(connectorNamespaceAllowed(all, 'anything')).toBe(true);
  });
});

describe('state', () => {
  it.each([
    ['running', 'PAUSED', 'resume'],
    ['running', 'STOPPED', 'resume'],
    ['running', 'RUNNING', null],
    ['paused', 'RUNNING', 'pause'],
    ['paused', 'STOPPED', 'pause'],
    ['stopped', 'RUNNING', 'stop'],
    ['stopped', 'PAUSED', 'stop'],
    ['stopped', 'FAILED', 'stop'],
    ['paused', 'FAILED', 'pause'],
    ['running', 'FAILED', null],
    ['running', 'UNASSIGNED', null],
    ['stopped', 'RESTARTING', null],
    ['paused', undefined, null],
  ] as const)('want %s, workers say %s → %s', (state, actual, action) => {
    const ktr = minimalKafkaConnector();
    ktr.spec.state = state;
    expect(stateAction(ktr, actual)).toBe(action);
  });

  it('asks a FAILED connector to pause or stop once, not at every poll while it stays FAILED', () => {
    const ktr = minimalKafkaConnector();
    ktr.spec.state = 'stopped';
    expect(stateAction(ktr, 'FAILED')).toBe('stop');
    expect(stateAction(ktr, 'FAILED', 'STOPPED')).toBeNull();
    ktr.spec.state = 'paused'; // the spec changed meanwhile: asked again
    expect(stateAction(ktr, 'FAILED', 'STOPPED')).toBe('pause');
    expect(stateAction(ktr, 'STOPPED', 'STOPPED')).toBe('pause'); // it settled: the usual rules
  });

  it('creates in the requested state', () => {
    const ktr = minimalKafkaConnector();
    delete ktr.spec.state;
    expect(targetState(ktr)).toBe('RUNNING');
    ktr.spec.state = 'stopped';
    expect(targetState(ktr)).toBe('STOPPED');
  });
});

describe('connector name owner', () => {
  const kc = minimalKafkaConnect();
  kc.spec.allowedConnectorNamespaces = ['team-a', 'team-b'];
  const on = (namespace: string, created: string, name = 'sink') => {
    const k = minimalKafkaConnector(name, namespace);
    k.metadata.creationTimestamp = created;
    delete k.metadata.labels;
    k.spec.clusterRef = { name: 'my-connect', namespace: 'kafka' };
    return k;
  };

  it('the oldest KafkaConnector of a connector name runs it, whichever asks', () => {
    const a = on('team-a', '2026-01-02T00:00:00Z');
    const b = on('team-b', '2026-01-01T00:00:00Z');
    expect(connectorNameOwner(kc, a, [a, b])).toBe(b);
    expect(connectorNameOwner(kc, b, [a, b])).toBe(b);
    expect(connectorNameOwner(kc, a, [b, a])).toBe(b);
  });

  it('created in the same second: the first by namespace/name', () => {
    const a = on('team-b', '2026-01-01T00:00:00Z');
    const b = on('team-a', '2026-01-01T00:00:00Z');
    expect(connectorNameOwner(kc, a, [a, b])).toBe(b);
  });

  it('only those the KafkaConnect accepts contend', () => {
    const mine = on('team-a', '2026-01-02T00:00:00Z');
    const notAllowed = on('team-c', '2026-01-01T00:00:00Z');
    const invalid = on('team-b', '2026-01-01T00:00:00Z');
    invalid.spec.config = { 'tasks.max': 3 };
    const otherCluster = on('team-b', '2026-01-01T00:00:00Z');
    otherCluster.spec.clusterRef = { name: 'other', namespace: 'kafka' };
    const otherName = on('team-b', '2026-01-01T00:00:00Z', 'source');
    expect(connectorNameOwner(kc, mine, [notAllowed, invalid, otherCluster, otherName, mine])).toBe(mine);
  });

  it('one being deleted still runs it until it is gone', () => {
    const old = on('team-a', '2026-01-01T00:00:00Z');
    old.metadata.deletionTimestamp = '2026-01-03T00:00:00Z';
    const young = on('team-b', '2026-01-02T00:00:00Z');
    expect(connectorNameOwner(kc, young, [old, young])).toBe(old);
    expect(connectorNameOwner(kc, young, [young])).toBe(young);
  });
});
