import { describe, expect, it } from 'vitest';
import { ConfigException, DataException, sourceRecord } from '../api/index.ts';
import { RegexRouter } from './regex-router.ts';
import { IllegalArgumentException, IndexOutOfBoundsException } from './support/java-exceptions.ts';
import { TimestampRouter } from './timestamp-router.ts';

const routed = (regex: string, replacement: string, topic: string) => {
  const router = new RegexRouter();
  router.configure({ regex, replacement });
  return router.apply(sourceRecord({ topic, value: 'v' })).topic;
};

describe('RegexRouter', () => {
  it('renames a topic the regex matches whole, with Java replacement syntax', () => {
    expect(routed('(.*)-(.*)', '$2_$1', 'foo-bar')).toBe('bar_foo');
    expect(routed('prod\\.(.*)', 'archive.$1', 'prod.orders')).toBe('archive.orders');
    expect(routed('(?<name>.*)', '${name}\\$', 'orders')).toBe('orders$');
  });

  it('leaves a topic the regex matches only in part', () => {
    expect(routed('orders', 'x', 'orders-eu')).toBe('orders-eu');
  });

  it('replaces the first match found, as replaceFirst after matches()', () => {
    expect(routed('a|ab', 'X', 'ab')).toBe('Xb');
  });

  it('throws at apply as Java does for a replacement naming a missing group', () => {
    expect(() => routed('(a)', '$2', 'a')).toThrow(new IndexOutOfBoundsException('No group 2'));
    expect(() => routed('(a)', '$x', 'a')).toThrow(new IllegalArgumentException('Illegal group reference'));
  });

  it('refuses a regex that does not compile, naming the setting', () => {
    expect(() => new RegexRouter().configure({ regex: '(a', replacement: 'x' })).toThrow(ConfigException);
    expect(() => new RegexRouter().configure({ regex: '(a', replacement: 'x' })).toThrow(
      'Invalid value (a for configuration regex: Invalid regex: Unclosed group near index 2\n(a',
    );
  });
});

describe('TimestampRouter', () => {
  const route = (configs: Record<string, string>, timestamp: number | null, topic = 'orders') => {
    const router = new TimestampRouter();
    router.configure(configs);
    return router.apply(sourceRecord({ topic, value: 'v', timestamp })).topic;
  };

  it('formats topic and timestamp with the defaults', () => {
    expect(route({}, Date.UTC(2024, 1, 29, 23, 59))).toBe('orders-20240229');
  });

  it('uses topic.format and timestamp.format, every placeholder, $ and \\ kept literally', () => {
    expect(
      route(
        { 'topic.format': '${timestamp}/${topic}/${topic}', 'timestamp.format': "yyyy-MM-dd'T'HH" },
        0,
        'a$1\\b',
      ),
    ).toBe('1970-01-01T00/a$1\\b/a$1\\b');
  });

  it('refuses a record without a timestamp, printing it as Java does', () => {
    expect(() => route({}, null)).toThrow(
      new DataException(
        "Timestamp missing on record: SourceRecord{sourcePartition=null, sourceOffset=null} ConnectRecord{topic='orders', kafkaPartition=null, key=null, keySchema=null, value=v, valueSchema=null, timestamp=null, headers=ConnectHeaders(headers=)}",
      ),
    );
  });

  it('fails on the first record, as Java, for a timestamp.format SimpleDateFormat refuses', () => {
    const router = new TimestampRouter();
    router.configure({ 'timestamp.format': 'yyyy-qq' });
    expect(() => router.apply(sourceRecord({ topic: 't', timestamp: 0 }))).toThrow(
      new IllegalArgumentException("Illegal pattern character 'q'"),
    );
  });
});
