import { describe, expect, it } from 'vitest';
import { ConfigException, sourceRecord, Schemas, SchemaBuilder } from '../api/index.ts';
import { DropHeaders } from './drop-headers.ts';
import { Filter } from './filter.ts';
import { InsertHeader } from './insert-header.ts';

const headers = [
  { key: 'a', schema: Schemas.STRING, value: '1' },
  { key: 'b', schema: Schemas.STRING, value: '2' },
  { key: 'a', schema: Schemas.STRING, value: '3' },
];
const record = sourceRecord({ topic: 't', value: 'v', valueSchema: Schemas.STRING, headers });

describe('DropHeaders', () => {
  it('removes every header with a listed name and keeps the rest in order', () => {
    const drop = new DropHeaders();
    drop.configure({ headers: 'a, c' });
    const out = drop.apply(record);
    expect(out.headers).toEqual([headers[1]]);
    expect(out.value).toBe('v');
    expect(record.headers).toHaveLength(3);
  });

  it('refuses an empty, duplicated or missing list with Kafka messages', () => {
    const messages = (configs: Record<string, string>) => {
      try {
        new DropHeaders().configure(configs);
        return 'configured';
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigException);
        return (error as Error).message;
      }
    };
    expect(messages({ headers: '' })).toBe(
      "Configuration 'headers' must not be empty. Valid values include: any non-empty value",
    );
    expect(messages({ headers: 'a,a' })).toBe('configured'); // Kafka 4.2+ drops repeated list elements
    expect(messages({ headers: 'a,' })).toBe("Configuration 'headers' values must not be empty.");
    expect(messages({})).toBe('Missing required configuration "headers" which has no default value.');
  });
});

describe('Filter', () => {
  it('drops every record', () => {
    const filter = new Filter();
    filter.configure();
    expect(filter.apply()).toBeNull();
    expect(filter.config().configKeys()).toEqual([]);
  });
});

describe('InsertHeader', () => {
  const insert = (literal: string) => {
    const transform = new InsertHeader();
    transform.configure({ header: 'h', 'value.literal': literal });
    return transform.apply(record).headers.at(-1);
  };

  it('appends the header, its literal typed as Values.parseString types it', () => {
    expect(insert('1234')).toEqual({ key: 'h', schema: Schemas.INT16, value: 1234 });
    expect(insert(' true ')).toEqual({ key: 'h', schema: Schemas.BOOLEAN, value: true });
    expect(insert('hello world')).toEqual({ key: 'h', schema: Schemas.STRING, value: 'hello world' });
    expect(insert('[1,2]')).toEqual({
      key: 'h',
      schema: SchemaBuilder.array(Schemas.INT8).build(),
      value: [1, 2],
    });
    expect(insert('null')).toEqual({ key: 'h', schema: null, value: null });
    // As Java: a list whose elements share no schema has an array schema without an element schema.
    expect(insert('[1,"a"]')).toEqual({
      key: 'h',
      schema: { type: 'array', optional: false },
      value: [1, 'a'],
    });
  });

  it('keeps the headers already there, and a header of the same name', () => {
    const transform = new InsertHeader();
    transform.configure({ header: 'a', 'value.literal': 'x' });
    expect(transform.apply(record).headers.map((h) => h.key)).toEqual(['a', 'b', 'a', 'a']);
  });

  it('requires both settings', () => {
    expect(() => new InsertHeader().configure({ header: 'h' })).toThrow(
      'Missing required configuration "value.literal" which has no default value.',
    );
  });
});
