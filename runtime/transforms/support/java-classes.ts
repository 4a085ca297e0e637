// The Java class a Connect value has in Apache Kafka Connect, for error messages that name it
// (Requirements' "found: java.util.HashMap", Cast's "class java.lang.String"). Weir holds every
// number as a JavaScript number or bigint: the schema, when there is one, says which Java box it is;
// without one, integers are Longs and other numbers Doubles, as JsonConverter reads them.
import { isDecimal, Struct } from '../../api/index.ts';
import type { Schema, SchemaType } from '../../api/index.ts';

const NUMBER_CLASSES: Partial<Record<SchemaType, string>> = {
  int8: 'java.lang.Byte',
  int16: 'java.lang.Short',
  int32: 'java.lang.Integer',
  int64: 'java.lang.Long',
  float32: 'java.lang.Float',
  float64: 'java.lang.Double',
};

/** Class.getName() of the value's Java counterpart, or "null". */
export function javaClassName(value: unknown, schema: Schema | null = null): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'bigint') return 'java.lang.Long';
  if (typeof value === 'number') {
    const boxed = schema ? NUMBER_CLASSES[schema.type] : undefined;
    if (boxed) return boxed;
    return Number.isInteger(value) && !Object.is(value, -0) ? 'java.lang.Long' : 'java.lang.Double';
  }
  if (value instanceof Date) return 'java.util.Date';
  if (isDecimal(value)) return 'java.math.BigDecimal';
  if (value instanceof Uint8Array) return '[B';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  if (value instanceof Map) return 'java.util.HashMap';
  if (value instanceof Struct) return 'org.apache.kafka.connect.data.Struct';
  return 'java.lang.Object';
}

/** Class.toString(): "class java.lang.String" (every Connect value class is a class, not an interface). */
export function javaClass(value: unknown, schema: Schema | null = null): string {
  return `class ${javaClassName(value, schema)}`;
}
