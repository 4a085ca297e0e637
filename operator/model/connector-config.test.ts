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
    ['stopped', 'FAILED', null],
    ['running', 'UNASSIGNED', null],
    ['paused', undefined, null],
  ] as const)('want %s, workers say %s → %s', (state, actual, action) => {
    const ktr = minimalKafkaConnector();
    ktr.spec.state = state;
    expect(stateAction(ktr, actual)).toBe(action);
  });

  it('creates in the requested state', () => {
    const ktr = minimalKafkaConnector();
    delete ktr.spec.state;
    expect(targetState(ktr)).toBe('RUNNING');
    ktr.spec.state = 'stopped';
    expect(targetState(ktr)).toBe('STOPPED');
  });
});
