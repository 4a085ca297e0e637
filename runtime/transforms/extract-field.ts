// ExtractField$Key / ExtractField$Value: replaces the key or value with one of its fields (a nested
// one with field.syntax.version=V2). Nulls pass through.
import { ConfigDef } from '../api/index.ts';
import type { ConnectRecord, Transformation } from '../api/index.ts';
import { IllegalArgumentException } from './support/java-exceptions.ts';
import { simpleConfig } from './support/simple-config.ts';
import type { RecordSide } from './support/record-side.ts';
import { requireMapOrNull, requireStructOrNull } from './support/requirements.ts';
import {
  appendFieldSyntaxVersionConfig,
  FIELD_SYNTAX_VERSION_CONFIG,
  fieldSyntaxVersionOf,
  SingleFieldPath,
} from './support/single-field-path.ts';
import {
  defineReplaceNullWithDefault,
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
} from './support/transform-config.ts';

const FIELD_CONFIG = 'field';
const PURPOSE = 'field extraction';

export const EXTRACT_FIELD_CONFIG_DEF = appendFieldSyntaxVersionConfig(
  defineReplaceNullWithDefault(
    new ConfigDef().define(FIELD_CONFIG, {
      type: 'STRING',
      importance: 'MEDIUM',
      documentation: 'Field name to extract.',
    }),
  ),
);

export class ExtractField<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private path = new SingleFieldPath('', 'V1');
  private originalPath = '';
  private replaceNullWithDefault = true;

  private readonly side: RecordSide;

  constructor(side: RecordSide) {
    this.side = side;
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(EXTRACT_FIELD_CONFIG_DEF, configs);
    this.originalPath = config[FIELD_CONFIG] as string;
    const version = fieldSyntaxVersionOf(config[FIELD_SYNTAX_VERSION_CONFIG] as string);
    this.path = new SingleFieldPath(this.originalPath, version);
    this.replaceNullWithDefault = config[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
  }

  apply(record: R): R {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (schema === null) {
      const map = requireMapOrNull(value, PURPOSE);
      return this.side.with(record, null, map === null ? null : this.path.valueFromMap(map));
    }
    const struct = requireStructOrNull(value, PURPOSE, schema);
    const field = this.path.fieldFrom(schema);
    if (!field) throw new IllegalArgumentException(`Unknown field: ${this.originalPath}`);
    return this.side.with(
      record,
      field.schema,
      struct === null ? null : this.path.valueFromStruct(struct, this.replaceNullWithDefault),
    );
  }

  config(): ConfigDef {
    return EXTRACT_FIELD_CONFIG_DEF;
  }

  close(): void {}
}
