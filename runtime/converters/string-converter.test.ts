// Expected bytes and strings below are what Apache Kafka 4.3.1's StringConverter gives.
import { describe, expect, it } from 'vitest';
import { ConfigException, Schemas } from '../api/index.ts';
import { StringConverter } from './string-converter.ts';

function converter(configs: Record<string, string> = {}): StringConverter {
  const c = new StringConverter();
  c.configure(configs, false);
  return c;
}
const hex = (bytes: Uint8Array | null) => Buffer.from(bytes as Uint8Array).toString('hex');

describe('StringConverter', () => {
  it('writes strings in UTF-8 and reads an optional string back', () => {
    const c = converter();
    const bytes = c.fromConnectData('t', [], Schemas.STRING, 'hé€');
    expect(hex(bytes)).toBe('68c3a9e282ac');
    expect(c.toConnectData('t', [], bytes)).toEqual({ schema: Schemas.OPTIONAL_STRING, value: 'hé€' });
    expect(c.toConnectData('t', [], null)).toEqual({ schema: Schemas.OPTIONAL_STRING, value: null });
    expect(c.fromConnectData('t', [], null, null)).toBeNull();
  });

  it.each<[unknown, typeof Schemas.FLOAT64 | null, string]>([
    [1.0, Schemas.FLOAT64, '1.0'],
    [1.5, Schemas.FLOAT32, '1.5'],
    [42, Schemas.INT32, '42'],
    [['a', 1], null, '[a, 1]'],
    [new Map([['k', 1]]), null, '{k=1}'],
    [new Date(0), null, 'Thu Jan 01 00:00:00 UTC 1970'],
    [{ unscaled: 150n, scale: 2 }, null, '1.50'],
    [true, null, 'true'],
    [2n ** 63n - 1n, Schemas.INT64, '9223372036854775807'],
  ])('writes %o as Java toString() does', (value, schema, text) => {
    const bytes = converter().fromConnectData('t', [], schema, value);
    expect(Buffer.from(bytes as Uint8Array).toString('utf8')).toBe(text);
  });

  it('passes bytes through (Java would write an identity hash)', () => {
    const bytes = new Uint8Array([0xff, 0x00]);
    expect(converter().fromConnectData('t', [], Schemas.BYTES, bytes)).toBe(bytes);
  });

  it.each([
    ['UTF-16', 'feff006800e920ac', '棩'],
    ['UTF-16LE', '6800e900ac20', '\ue968'],
    ['UTF-16BE', '006800e920ac', '棩'],
    ['US-ASCII', '683f3f', 'h\ufffd'],
    ['ISO-8859-1', '68e93f', 'hé'],
    ['utf8', '68c3a9e282ac', 'h\ufffd'],
    ['latin1', '68e93f', 'hé'],
  ])('encodes and decodes with converter.encoding=%s as Java does', (encoding, encoded, decoded) => {
    const c = converter({ 'converter.encoding': encoding });
    expect(hex(c.fromConnectData('t', [], null, 'hé€'))).toBe(encoded);
    expect(c.toConnectData('t', [], new Uint8Array([0x68, 0xe9])).value).toBe(decoded);
  });

  it('reads UTF-16 with a byte-order mark either way', () => {
    const c = converter({ 'converter.encoding': 'UTF-16' });
    expect(c.toConnectData('t', [], new Uint8Array([0xff, 0xfe, 0x68, 0x00])).value).toBe('h');
    expect(c.toConnectData('t', [], new Uint8Array([0xfe, 0xff, 0x00, 0x68])).value).toBe('h');
  });

  it('refuses an unknown encoding when configured', () => {
    expect(() => converter({ 'converter.encoding': 'bogus' })).toThrow(ConfigException);
    expect(() => converter({ 'converter.encoding': 'bogus' })).toThrow(
      'Invalid value bogus for configuration converter.encoding',
    );
  });

  it('serves as a header converter', () => {
    const c = new StringConverter();
    c.configure({ 'converter.type': 'header' });
    const bytes = c.fromConnectHeader('t', 'h', Schemas.INT32, 7);
    expect(c.toConnectHeader('t', 'h', bytes)).toEqual({ schema: Schemas.OPTIONAL_STRING, value: '7' });
    expect(c.config().names()).toEqual(['converter.type', 'converter.encoding']);
  });
});
