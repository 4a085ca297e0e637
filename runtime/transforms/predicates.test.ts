import { describe, expect, it } from 'vitest';
import { ConfigException, Schemas, sourceRecord } from '../api/index.ts';
import { HasHeaderKey, RecordIsTombstone, TopicNameMatches } from './predicates.ts';

describe('TopicNameMatches', () => {
  const matches = (pattern: string, topic: string) => {
    const predicate = new TopicNameMatches();
    predicate.configure({ pattern });
    return predicate.test(sourceRecord({ topic }));
  };

  it('is true when the pattern matches the whole topic name', () => {
    expect(matches('orders-.*', 'orders-eu')).toBe(true);
    expect(matches('orders', 'orders-eu')).toBe(false);
    expect(matches('(?i)ORDERS', 'orders')).toBe(true);
  });

  it('refuses an empty or invalid pattern with Kafka messages', () => {
    expect(() => new TopicNameMatches().configure({ pattern: '' })).toThrow(
      'Invalid value  for configuration pattern: String must be non-empty',
    );
    expect(() => new TopicNameMatches().configure({ pattern: '[a' })).toThrow(ConfigException);
    expect(() => new TopicNameMatches().configure({ pattern: '[a' })).toThrow(
      'Invalid value [a for configuration pattern: Invalid regex: Unclosed character class near index 1\n[a\n ^',
    );
  });

  it('prints as Java', () => {
    const predicate = new TopicNameMatches();
    predicate.configure({ pattern: 'a.*' });
    expect(String(predicate)).toBe('TopicNameMatches{pattern=a.*}');
  });
});

describe('HasHeaderKey', () => {
  it('is true when a header has the name', () => {
    const predicate = new HasHeaderKey();
    predicate.configure({ name: 'trace' });
    const header = { key: 'trace', schema: Schemas.STRING, value: 'x' };
    expect(predicate.test(sourceRecord({ topic: 't', headers: [header] }))).toBe(true);
    expect(predicate.test(sourceRecord({ topic: 't', headers: [{ ...header, key: 'Trace' }] }))).toBe(false);
    expect(() => new HasHeaderKey().configure({})).toThrow(
      'Missing required configuration "name" which has no default value.',
    );
  });
});

describe('RecordIsTombstone', () => {
  it('is true when the value is null, whatever the key', () => {
    const predicate = new RecordIsTombstone();
    predicate.configure();
    expect(predicate.test(sourceRecord({ topic: 't', key: 'k' }))).toBe(true);
    expect(predicate.test(sourceRecord({ topic: 't', value: '' }))).toBe(false);
  });
});
