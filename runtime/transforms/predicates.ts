// The predicates of org.apache.kafka.connect.transforms.predicates: whether a transform applies to a
// record (transforms.<alias>.predicate, optionally negated).
import { ConfigDef, ConfigException, Validators, type ConnectRecord, type Predicate } from '../api/index.ts';
import { JavaPattern } from './support/java-regex.ts';
import { regexValidator } from './support/regex-validator.ts';
import { simpleConfig } from './support/simple-config.ts';

/** True for records whose topic the regular expression matches whole. */
export class TopicNameMatches<R extends ConnectRecord = ConnectRecord> implements Predicate<R> {
  static readonly OVERVIEW_DOC =
    'A predicate which is true for records with a topic name that matches the configured regular expression.';
  private pattern: JavaPattern | null = null;

  config(): ConfigDef {
    return new ConfigDef().define('pattern', {
      type: 'STRING',
      validator: Validators.compose(Validators.nonEmptyString(), regexValidator()),
      importance: 'MEDIUM',
      documentation: "A Java regular expression for matching against the name of a record's topic.",
    });
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const value = simpleConfig(this.config(), configs)['pattern'] as string;
    try {
      this.pattern = new JavaPattern(value);
    } catch (error) {
      throw new ConfigException(
        'pattern',
        value,
        `entry must be a Java-compatible regular expression: ${(error as Error).message}`,
      );
    }
  }

  test(record: R): boolean {
    return (this.pattern as JavaPattern).matches(record.topic);
  }

  close(): void {}

  toString(): string {
    return `TopicNameMatches{pattern=${this.pattern?.pattern ?? 'null'}}`;
  }
}

/** True for records with at least one header of the given name. */
export class HasHeaderKey<R extends ConnectRecord = ConnectRecord> implements Predicate<R> {
  static readonly OVERVIEW_DOC =
    'A predicate which is true for records with at least one header with the configured name.';
  private name = '';

  config(): ConfigDef {
    return new ConfigDef().define('name', {
      type: 'STRING',
      validator: Validators.nonEmptyString(),
      importance: 'MEDIUM',
      documentation: 'The header name.',
    });
  }

  configure(configs: Readonly<Record<string, string>>): void {
    this.name = simpleConfig(this.config(), configs)['name'] as string;
  }

  test(record: R): boolean {
    return record.headers.some((header) => header.key === this.name);
  }

  close(): void {}

  toString(): string {
    return `HasHeaderKey{name='${this.name}'}`;
  }
}

/** True for tombstones: records whose value is null. */
export class RecordIsTombstone<R extends ConnectRecord = ConnectRecord> implements Predicate<R> {
  static readonly OVERVIEW_DOC =
    'A predicate which is true for records which are tombstones (i.e. have null value).';

  config(): ConfigDef {
    return new ConfigDef();
  }

  configure(): void {}

  test(record: R): boolean {
    return record.value === null || record.value === undefined;
  }

  close(): void {}

  toString(): string {
    return 'RecordIsTombstone{}';
  }
}
