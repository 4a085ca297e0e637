// MaskField$Key / MaskField$Value: replaces fields with their type's empty value (0, false, "", an
// empty list or map, the epoch) or, for numbers and strings, with a replacement converted to the
// field's type.
import { ConfigDef, DataException, deriveStruct, isDecimal, Validators } from '../api/index.ts';
import type { ConnectRecord, Schema, Transformation } from '../api/index.ts';
import { parseDecimal } from '../api/java-formats.ts';
import { javaClass, javaClassName } from './support/java-types.ts';
import {
  byteValue,
  doubleValue,
  floatValue,
  int64Of,
  intValue,
  javaNumberOf,
  longValue,
  shortValue,
} from './support/java-numbers.ts';
import { simpleConfig } from './support/simple-config.ts';
import type { RecordSide } from './support/record-side.ts';
import { requireMap, requireStruct } from './support/requirements.ts';
import {
  defineReplaceNullWithDefault,
  nonEmptyString,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
} from './support/transform-config.ts';

const FIELDS_CONFIG = 'fields';
const REPLACEMENT_CONFIG = 'replacement';
const PURPOSE = 'mask fields';

export const MASK_FIELD_CONFIG_DEF = defineReplaceNullWithDefault(
  new ConfigDef()
    .define(FIELDS_CONFIG, {
      type: 'LIST',
      validator: Validators.anyNonDuplicateValues(false, false),
      importance: 'HIGH',
      documentation: 'Names of fields to mask.',
    })
    .define(REPLACEMENT_CONFIG, {
      type: 'STRING',
      defaultValue: null,
      validator: nonEmptyString(),
      importance: 'LOW',
      documentation:
        "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
    }),
);

/** The empty value of a Java class (PRIMITIVE_VALUE_MAPPING, then List and Map). */
function emptyValueLike(value: unknown, schema: Schema | null): unknown {
  switch (javaClassName(value, schema)) {
    case 'java.lang.Boolean':
      return false;
    case 'java.lang.Byte':
    case 'java.lang.Short':
    case 'java.lang.Integer':
    case 'java.lang.Long':
    case 'java.lang.Float':
    case 'java.lang.Double':
      return 0;
    case 'java.math.BigDecimal':
      return { unscaled: 0n, scale: 0 };
    case 'java.util.Date':
      return new Date(0);
    case 'java.lang.String':
      return '';
    case 'java.util.ArrayList':
      return [];
    case 'java.util.HashMap':
      return new Map();
  }
  throw new DataException(`Cannot mask value of type: ${javaClass(value, schema)}`);
}

/** `replacement` converted to the value's Java class, as Values.convertToByte … or new BigDecimal. */
function replacementLike(value: unknown, schema: Schema | null, replacement: string): unknown {
  const className = javaClassName(value, schema);
  if (className === 'java.lang.String') return replacement;
  if (className === 'java.math.BigDecimal') {
    const decimal = parseDecimal(replacement);
    if (!decimal) {
      throw new DataException(`Unable to convert ${replacement} (class java.lang.String) to number`);
    }
    return decimal;
  }
  const number = isDecimal(value) ? undefined : javaNumberOf(value, schema);
  if (!number) {
    throw new DataException(`Cannot mask value of type ${javaClass(value, schema)} with custom replacement.`);
  }
  // Values.asLong / asDouble read the text as a BigDecimal first.
  const decimal = parseDecimal(replacement);
  if (!decimal) {
    throw new DataException(`Unable to convert ${replacement} (class java.lang.String) to a number`);
  }
  const parsed = { kind: 'decimal', value: decimal } as const;
  switch (className) {
    case 'java.lang.Byte':
      return byteValue({ kind: 'integral', value: longValue(parsed) });
    case 'java.lang.Short':
      return shortValue({ kind: 'integral', value: longValue(parsed) });
    case 'java.lang.Integer':
      return intValue({ kind: 'integral', value: longValue(parsed) });
    case 'java.lang.Long':
      return int64Of(longValue(parsed));
    case 'java.lang.Float':
      return floatValue(parsed);
    default:
      return doubleValue(parsed);
  }
}

export class MaskField<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private maskedFields = new Set<string>();
  private replacement: string | null = null;
  private replaceNullWithDefault = true;
  private readonly side: RecordSide;

  constructor(side: RecordSide) {
    this.side = side;
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(MASK_FIELD_CONFIG_DEF, configs);
    this.maskedFields = new Set(config[FIELDS_CONFIG] as string[]);
    this.replacement = config[REPLACEMENT_CONFIG] as string | null;
    this.replaceNullWithDefault = config[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
  }

  apply(record: R): R {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (schema === null) {
      const map = requireMap(value, PURPOSE);
      const updated = new Map(map);
      for (const field of this.maskedFields) updated.set(field, this.masked(map.get(field) ?? null, null));
      return this.side.with(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE, schema);
    const updated = deriveStruct(struct.schema, (field) => {
      const original = this.replaceNullWithDefault
        ? struct.get(field.name)
        : struct.getWithoutDefault(field.name);
      return this.maskedFields.has(field.name) ? this.masked(original, field.schema) : original;
    });
    // The schema stays: Java keeps the record's own (key or value) schema.
    return this.side.with(record, schema, updated);
  }

  private masked(value: unknown, schema: Schema | null): unknown {
    if (value === null) return null;
    return this.replacement === null
      ? emptyValueLike(value, schema)
      : replacementLike(value, schema, this.replacement);
  }

  config(): ConfigDef {
    return MASK_FIELD_CONFIG_DEF;
  }

  close(): void {}
}
