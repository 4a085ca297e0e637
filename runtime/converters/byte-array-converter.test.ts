import { describe, expect, it } from 'vitest';
import { DataException, Schemas } from '../api/index.ts';
import { ByteArrayConverter } from './byte-array-converter.ts';

describe('ByteArrayConverter', () => {
  const c = new ByteArrayConverter();
  c.configure({}, false);

  it('passes bytes through both ways', () => {
    const bytes = new Uint8Array([0, 1, 255]);
    expect(c.fromConnectData('t', [], Schemas.BYTES, bytes)).toBe(bytes);
    expect(c.fromConnectData('t', [], null, bytes)).toBe(bytes);
    expect(c.toConnectData('t', [], bytes)).toEqual({ schema: Schemas.OPTIONAL_BYTES, value: bytes });
    expect(c.fromConnectData('t', [], Schemas.OPTIONAL_BYTES, null)).toBeNull();
    expect(c.toConnectData('t', [], null)).toEqual({ schema: Schemas.OPTIONAL_BYTES, value: null });
  });

  it('refuses other schemas and values, with Java messages', () => {
    expect(() => c.fromConnectData('t', [], Schemas.STRING, 'x')).toThrow(
      new DataException('Invalid schema type for ByteArrayConverter: STRING'),
    );
    expect(() => c.fromConnectData('t', [], null, 'x')).toThrow(
      'ByteArrayConverter is not compatible with objects of type string',
    );
  });

  it('serves as a header converter', () => {
    const bytes = new Uint8Array([7]);
    expect(c.fromConnectHeader('t', 'h', null, bytes)).toBe(bytes);
    expect(c.toConnectHeader('t', 'h', bytes).value).toBe(bytes);
    expect(c.config().names()).toEqual(['converter.type']);
  });
});
