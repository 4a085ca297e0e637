// org.apache.kafka.connect.transforms.DropHeaders: removes every header with one of the given names.
import { ConfigDef, Validators, type ConnectRecord, type Transformation } from '../api/index.ts';
import { simpleConfig } from './support/simple-config.ts';

export class DropHeaders<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  static readonly OVERVIEW_DOC = 'Removes one or more headers from each record.';
  private headers = new Set<string>();

  config(): ConfigDef {
    return new ConfigDef().define('headers', {
      type: 'LIST',
      validator: Validators.anyNonDuplicateValues(false, false),
      importance: 'HIGH',
      documentation: 'The name of the headers to be removed.',
    });
  }

  configure(configs: Readonly<Record<string, string>>): void {
    this.headers = new Set(simpleConfig(this.config(), configs)['headers'] as string[]);
  }

  apply(record: R): R {
    return { ...record, headers: record.headers.filter((header) => !this.headers.has(header.key)) };
  }

  close(): void {}
}
