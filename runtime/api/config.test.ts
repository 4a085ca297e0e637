import { describe, expect, it } from 'vitest';
import { ConfigDef, ConfigException, Validators, parseType } from './index.ts';

describe('ConfigDef', () => {
  const def = () =>
    new ConfigDef()
      .define('topic', { type: 'STRING', importance: 'HIGH', documentation: 'where to write' })
      .define('batch.size', { type: 'INT', defaultValue: 2000, validator: Validators.atLeast(1) })
      .define('enabled', { type: 'BOOLEAN', defaultValue: 'true' })
      .define('topics', { type: 'LIST', defaultValue: '' })
      .define('mode', { type: 'STRING', defaultValue: 'a', validator: Validators.in('a', 'b') });

  it('parses typed values and fills defaults', () => {
    expect(def().parse({ topic: ' t ', 'batch.size': '10', topics: 'a, b,c' })).toEqual({
      topic: 't',
      'batch.size': 10,
      enabled: true,
      topics: ['a', 'b', 'c'],
      mode: 'a',
    });
  });

  it('reports every problem at once, each naming its setting', () => {
    let error: unknown;
    try {
      def().parse({ 'batch.size': '0', enabled: 'maybe', mode: 'c' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigException);
    const messages = (error as ConfigException).problems.map((p) => p.message);
    expect(messages).toEqual([
      'Missing required configuration "topic" which has no default value.',
      'Invalid value 0 for configuration batch.size: Value must be at least 1',
      'Invalid value maybe for configuration enabled: Expected value to be either true or false',
      'Invalid value c for configuration mode: String must be one of: a, b',
    ]);
  });

  it('validateAll never throws and keeps recommended values', () => {
    const results = def().validateAll({ topic: 'x', 'batch.size': 'ten' });
    expect(results.get('topic')?.errors).toEqual([]);
    expect(results.get('batch.size')?.errors[0]).toContain('batch.size');
  });

  it('parses integer types within their ranges', () => {
    expect(parseType('n', '2147483647', 'INT')).toBe(2147483647);
    expect(() => parseType('n', '2147483648', 'INT')).toThrow(ConfigException);
    expect(parseType('n', '9007199254740991', 'LONG')).toBe(9007199254740991);
    expect(() => parseType('n', '1.5', 'LONG')).toThrow(
      'Invalid value 1.5 for configuration n: Not a number of type LONG',
    );
    expect(() => parseType('n', 1.5, 'LONG')).toThrow(/64-bit integer/);
    expect(parseType('n', '1.5', 'DOUBLE')).toBe(1.5);
  });
});
