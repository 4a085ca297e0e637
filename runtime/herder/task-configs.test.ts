import { describe, expect, it } from 'vitest';
import { sameProps } from '../config/properties.ts';
import { taskConfigsChanged } from './task-configs.ts';

const connector = { 'connector.class': 'FileStreamSink', topics: 't', 'value.converter': 'JsonConverter' };
const task = { 'task.class': 'FileStreamSinkTask', topics: 't' };

describe('sameProps', () => {
  it('compares keys and values in any order', () => {
    expect(sameProps({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameProps({ a: '1' }, { a: '1', b: '2' })).toBe(false);
    expect(sameProps({ a: '1', b: '2' }, { a: '1', c: '2' })).toBe(false);
    expect(sameProps({ a: '1' }, { a: '2' })).toBe(false);
    expect(sameProps(undefined, undefined)).toBe(true);
    expect(sameProps({}, undefined)).toBe(false);
  });
});

describe('taskConfigsChanged (AbstractHerder.taskConfigsChanged)', () => {
  it('is false when the connector generates the same task configs from the config they were committed with', () => {
    expect(taskConfigsChanged([task, task], [{ ...task }, { ...task }], connector, { ...connector })).toBe(
      false,
    );
  });

  it('is true when the task count or a task config changes', () => {
    expect(taskConfigsChanged([task], [task, task], connector, connector)).toBe(true);
    expect(taskConfigsChanged([task], [{ ...task, topics: 'u' }], connector, connector)).toBe(true);
  });

  it('is true when only a setting the connector does not copy into task configs changed', () => {
    const changed = { ...connector, 'value.converter': 'StringConverter' };
    expect(taskConfigsChanged([task], [task], connector, changed)).toBe(true);
    expect(taskConfigsChanged([task], [task], connector, { ...connector, transforms: 'x' })).toBe(true);
  });

  it('is true when the config the tasks were committed with is not known', () => {
    expect(taskConfigsChanged([task], [task], undefined, connector)).toBe(true);
  });

  it('is false for a connector with no tasks before and after, whatever its config', () => {
    expect(taskConfigsChanged([], [], connector, { ...connector, 'value.converter': 'x' })).toBe(false);
    expect(taskConfigsChanged([], [], undefined, connector)).toBe(false);
  });
});
