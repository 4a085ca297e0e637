// Single Message Transforms and the predicates that decide whether a transform applies.
import type { ConfigDef } from './config.ts';
import type { ConnectRecord } from './records.ts';

export interface Transformation<R extends ConnectRecord = ConnectRecord> {
  configure(configs: Readonly<Record<string, string>>): void;
  /** The transformed record, or null to drop it. Never mutates `record`. */
  apply(record: R): R | null;
  config(): ConfigDef;
  close(): void;
}

export interface Predicate<R extends ConnectRecord = ConnectRecord> {
  configure(configs: Readonly<Record<string, string>>): void;
  test(record: R): boolean;
  config(): ConfigDef;
  close(): void;
}
