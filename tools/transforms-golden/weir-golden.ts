// The Weir side of the golden test: the worker's TransformationChain with the built-in plugins, and
// Weir's JsonConverter to read each case's JSON and write the results, as the Java harness does.
import type { ConnectRecord, Headers, Schema, SinkRecord } from '../../runtime/api/index.ts';
import { isDecimal, sourceRecord, Struct } from '../../runtime/api/index.ts';
import { JsonConverter } from '../../runtime/converters/json-converter.ts';
import { builtinPlugins } from '../../runtime/plugins/builtin.ts';
import type { PluginRegistry } from '../../runtime/plugins/registry.ts';
import { TransformationChain } from '../../runtime/worker/plugins-for-connector.ts';
import type { GoldenError, GoldenOutput, GoldenRecordResult, GoldenResult } from './compare.ts';
import type { GoldenCase, GoldenRecord } from './corpus.ts';

const UTF8 = new TextEncoder();
const TEXT = new TextDecoder();

/** A failure at one stage, carrying the error that caused it. */
class StageError extends Error {
  readonly stage: GoldenError['stage'];
  readonly error: unknown;

  constructor(stage: GoldenError['stage'], error: unknown) {
    super(stage);
    this.stage = stage;
    this.error = error;
  }
}

function goldenError(stage: GoldenError['stage'], error: unknown): GoldenError {
  return error instanceof Error
    ? { stage, class: error.name, message: error.message }
    : { stage, class: typeof error, message: String(error) };
}

function converter(type: 'key' | 'value' | 'header', schemasEnabled: boolean): JsonConverter {
  const c = new JsonConverter();
  // Nulls stay nulls on the way in and out, so what transforms do with them shows (as in Java's side).
  c.configure(
    {
      'converter.type': type,
      'schemas.enable': String(schemasEnabled),
      'replace.null.with.default': 'false',
    },
    type === 'key',
  );
  return c;
}

function bytes(text: string | null): Uint8Array | null {
  return text === null ? null : UTF8.encode(text);
}

function text(data: Uint8Array | null): string | null {
  return data === null ? null : TEXT.decode(data);
}

function isMapValue(value: unknown): value is Map<unknown, unknown> | Record<string, unknown> {
  if (value instanceof Map) return true;
  if (typeof value !== 'object' || value === null || isDecimal(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The value with every map's entries in key order (keys as strings), as the Java harness writes them. */
export function sortedMaps(schema: Schema | null, value: unknown): unknown {
  if (isMapValue(value)) {
    const valueSchema = schema?.type === 'map' ? (schema.valueSchema ?? null) : null;
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    entries.sort(([a], [b]) => {
      const x = String(a);
      const y = String(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return new Map(entries.map(([k, v]) => [k, sortedMaps(valueSchema, v)]));
  }
  if (Array.isArray(value)) {
    const elementSchema = schema?.type === 'array' ? (schema.valueSchema ?? null) : null;
    const copy = value.map((v: unknown) => sortedMaps(elementSchema, v));
    return copy.some((v, i) => v !== value[i]) ? copy : value;
  }
  if (value instanceof Struct) {
    const fields = value.schema.fields ?? [];
    const originals = fields.map((f) => value.getWithoutDefault(f.name));
    const sorted = fields.map((f, i) => sortedMaps(f.schema, originals[i]));
    if (sorted.every((v, i) => v === originals[i])) return value;
    const copy = new Struct(value.schema);
    fields.forEach((f, i) => {
      if (sorted[i] !== null && sorted[i] !== undefined) copy.put(f.name, sorted[i]);
    });
    return copy;
  }
  return value;
}

interface Converters {
  keyIn: JsonConverter;
  valueIn: JsonConverter;
  headerIn: JsonConverter;
  keyOut: JsonConverter;
  valueOut: JsonConverter;
  headerOut: JsonConverter;
}

function toRecord(input: GoldenRecord, kind: GoldenCase['kind'], c: Converters): ConnectRecord {
  try {
    const headers: Headers = input.headers.map((h) => {
      const { schema, value } = c.headerIn.toConnectHeader(input.topic, h.key, bytes(h.value));
      return { key: h.key, schema, value };
    });
    const key = c.keyIn.toConnectData(input.topic, headers, bytes(input.key));
    const value = c.valueIn.toConnectData(input.topic, headers, bytes(input.value));
    const fields = {
      topic: input.topic,
      keySchema: key.schema,
      key: key.value,
      valueSchema: value.schema,
      value: value.value,
      timestamp: input.timestamp,
      headers,
    };
    if (kind === 'source') return sourceRecord({ ...fields, kafkaPartition: input.partition });
    const partition = input.partition ?? 0;
    const offset = BigInt(input.offset ?? 0);
    const sink: SinkRecord = {
      ...fields,
      kafkaPartition: partition,
      kafkaOffset: offset,
      timestampType: input.timestamp === null ? 'NoTimestampType' : 'CreateTime',
      originalTopic: input.topic,
      originalKafkaPartition: partition,
      originalKafkaOffset: offset,
    };
    return sink;
  } catch (error) {
    throw new StageError('input', error);
  }
}

function output(record: ConnectRecord, c: Converters): GoldenOutput {
  try {
    return {
      topic: record.topic,
      partition: record.kafkaPartition,
      timestamp: record.timestamp,
      headers: record.headers.map((h) => ({
        key: h.key,
        value: text(
          c.headerOut.fromConnectHeader(record.topic, h.key, h.schema, sortedMaps(h.schema, h.value)),
        ),
      })),
      key: text(
        c.keyOut.fromConnectData(
          record.topic,
          [],
          record.keySchema,
          sortedMaps(record.keySchema, record.key),
        ),
      ),
      value: text(
        c.valueOut.fromConnectData(
          record.topic,
          [],
          record.valueSchema,
          sortedMaps(record.valueSchema, record.value),
        ),
      ),
    };
  } catch (error) {
    throw new StageError('output', error);
  }
}

/** Runs one case through Weir: what the Java harness reports for the same case. */
export function runWeirCase(golden: GoldenCase, plugins: PluginRegistry = builtinPlugins()): GoldenResult {
  let chain: TransformationChain<ConnectRecord>;
  try {
    chain = TransformationChain.fromConfig(golden.props, plugins);
  } catch (error) {
    return { name: golden.name, error: goldenError('config', error) };
  }
  const c: Converters = {
    keyIn: converter('key', golden.schemas.key),
    valueIn: converter('value', golden.schemas.value),
    headerIn: converter('header', golden.schemas.headers),
    keyOut: converter('key', true),
    valueOut: converter('value', true),
    headerOut: converter('header', true),
  };
  const records = golden.records.map((input): GoldenRecordResult => {
    try {
      const record = toRecord(input, golden.kind, c);
      let result: ConnectRecord | null;
      try {
        result = chain.apply(record);
      } catch (error) {
        throw new StageError('transform', error);
      }
      return result === null ? { dropped: true } : output(result, c);
    } catch (error) {
      if (error instanceof StageError) return { error: goldenError(error.stage, error.error) };
      throw error;
    }
  });
  chain.close();
  return { name: golden.name, records };
}
