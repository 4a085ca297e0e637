// StringConverter (org.apache.kafka.connect.storage.StringConverter): any value as its string form
// in `converter.encoding`; reading always yields an optional string.
import { ConfigException, DataException, Schemas } from '../api/index.ts';
import type {
  ConfigDef,
  Converter,
  ConverterConfig,
  HeaderConverter,
  Headers,
  Schema,
  SchemaAndValue,
} from '../api/index.ts';
import { converterConfigDef, parseConverterConfig } from './converter-config.ts';
import { javaToString } from './java-formats.ts';

export const ENCODING_CONFIG = 'converter.encoding';

export function stringConverterConfigDef(): ConfigDef {
  return converterConfigDef().define(ENCODING_CONFIG, {
    type: 'STRING',
    defaultValue: 'UTF-8',
    importance: 'HIGH',
    documentation: 'The name of the Java character set to use for encoding strings as byte arrays.',
    width: 'MEDIUM',
    displayName: 'Encoding',
  });
}

export interface Charset {
  readonly name: string;
  encode(text: string): Uint8Array;
  decode(bytes: Uint8Array): string;
}

const view = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A single-byte charset: unmappable characters become '?', undecodable bytes U+FFFD, as Java. */
function singleByte(name: string, max: number): Charset {
  return {
    name,
    encode: (text) =>
      Buffer.from(
        [...text].map((c) => ((c.codePointAt(0) as number) <= max ? (c.codePointAt(0) as number) : 0x3f)),
      ),
    decode: (bytes) => String.fromCharCode(...[...bytes].map((b) => (b <= max ? b : 0xfffd))),
  };
}

function utf16(name: string, bigEndian: boolean, bom: boolean): Charset {
  const decoders = { le: new TextDecoder('utf-16le'), be: new TextDecoder('utf-16be') };
  return {
    name,
    encode: (text) => {
      const body = Buffer.from(text, 'utf16le');
      if (bigEndian) body.swap16();
      return bom ? Buffer.concat([Buffer.from([0xfe, 0xff]), body]) : body;
    },
    decode: (bytes) => {
      // Java's UTF-16 honours a byte-order mark and otherwise reads big-endian.
      if (bom && bytes[0] === 0xff && bytes[1] === 0xfe) return decoders.le.decode(bytes.subarray(2));
      if (bom && bytes[0] === 0xfe && bytes[1] === 0xff) return decoders.be.decode(bytes.subarray(2));
      return (bigEndian ? decoders.be : decoders.le).decode(bytes);
    },
  };
}

const UTF_8: Charset = {
  name: 'UTF-8',
  encode: (text) => Buffer.from(text, 'utf8'),
  // Consumed values are Buffers already; a view is made only for other byte arrays.
  decode: (bytes) => (Buffer.isBuffer(bytes) ? bytes : view(bytes)).toString('utf8'),
};

const CHARSETS: Record<string, () => Charset> = {
  utf8: () => UTF_8,
  utf16: () => utf16('UTF-16', true, true),
  utf16be: () => utf16('UTF-16BE', true, false),
  unicodebigunmarked: () => utf16('UTF-16BE', true, false),
  utf16le: () => utf16('UTF-16LE', false, false),
  unicodelittleunmarked: () => utf16('UTF-16LE', false, false),
  iso88591: () => singleByte('ISO-8859-1', 0xff),
  latin1: () => singleByte('ISO-8859-1', 0xff),
  l1: () => singleByte('ISO-8859-1', 0xff),
  usascii: () => singleByte('US-ASCII', 0x7f),
  ascii: () => singleByte('US-ASCII', 0x7f),
};

/** The charset Java calls `name` (case and '-'/'_' insensitive), for the charsets Weir supports. */
export function charsetFor(name: string): Charset {
  const charset = CHARSETS[name.toLowerCase().replace(/[-_]/g, '')];
  if (!charset) {
    throw new ConfigException(
      ENCODING_CONFIG,
      name,
      'Unsupported character set; Weir supports UTF-8, UTF-16, UTF-16BE, UTF-16LE, ISO-8859-1 and US-ASCII',
    );
  }
  return charset();
}

export class StringConverter implements Converter, HeaderConverter {
  private charset: Charset = UTF_8;

  config(): ConfigDef {
    return stringConverterConfigDef();
  }

  configure(configs: ConverterConfig, isKey?: boolean): void {
    const settings = parseConverterConfig(this.config(), configs, isKey);
    this.charset = charsetFor(settings[ENCODING_CONFIG] as string);
  }

  encoding(): string {
    return this.charset.name;
  }

  /**
   * The value's toString() in the configured encoding. Bytes are written as they are: Java would
   * write byte[].toString(), an identity hash that carries none of the data.
   */
  fromConnectData(
    _topic: string,
    _headers: Headers,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Uint8Array) return value;
    try {
      return this.charset.encode(javaToString(value, schema));
    } catch (error) {
      throw new DataException(`Failed to serialize to a string: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  toConnectData(_topic: string, _headers: Headers, value: Uint8Array | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_STRING, value: value === null ? null : this.charset.decode(value) };
  }

  fromConnectHeader(
    topic: string,
    _headerKey: string,
    schema: Schema | null,
    value: unknown,
  ): Uint8Array | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, value: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, [], value);
  }

  close(): void {}
}
