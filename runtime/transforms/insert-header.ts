// org.apache.kafka.connect.transforms.InsertHeader: adds a header whose value is a literal, typed as
// Values.parseString types it (1234 an int16, true a boolean, [..] an array, {..} a map).
import {
  ConfigDef,
  parseStringWithPartialSchemas,
  Validators,
  type ConnectRecord,
  type SchemaAndValue,
  type Transformation,
} from '../api/index.ts';
import { simpleConfig } from './support/simple-config.ts';

export class InsertHeader<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  static readonly OVERVIEW_DOC = 'Add a header to each record.';
  private header = '';
  private literal: SchemaAndValue | null = null;

  config(): ConfigDef {
    return new ConfigDef()
      .define('header', {
        type: 'STRING',
        validator: Validators.nonNull(),
        importance: 'HIGH',
        documentation: 'The name of the header.',
      })
      .define('value.literal', {
        type: 'STRING',
        validator: Validators.nonNull(),
        importance: 'HIGH',
        documentation: 'The literal value that is to be set as the header value on all records.',
      });
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(this.config(), configs);
    this.header = config['header'] as string;
    this.literal = parseStringWithPartialSchemas(config['value.literal'] as string);
  }

  apply(record: R): R {
    const header = {
      key: this.header,
      schema: this.literal?.schema ?? null,
      value: this.literal?.value ?? null,
    };
    return { ...record, headers: [...record.headers, header] };
  }

  close(): void {}
}
