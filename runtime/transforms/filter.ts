// org.apache.kafka.connect.transforms.Filter: drops every record; meant to run under a predicate.
import { ConfigDef, type ConnectRecord, type Transformation } from '../api/index.ts';

export class Filter<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  static readonly OVERVIEW_DOC =
    'Drops all records, filtering them from subsequent transformations in the chain. ' +
    'This is intended to be used conditionally to filter out records matching (or not matching) ' +
    'a particular Predicate.';

  config(): ConfigDef {
    return new ConfigDef();
  }

  configure(): void {}

  apply(): null {
    return null;
  }

  close(): void {}
}
