// org.apache.kafka.connect.transforms.TimestampRouter: the topic becomes topic.format with ${topic}
// and ${timestamp} (the record's timestamp in timestamp.format, a SimpleDateFormat pattern, in UTC).
import { ConfigDef, DataException, type ConnectRecord, type Transformation } from '../api/index.ts';
import { javaRecordString } from './support/java-types.ts';
import { simpleConfig } from './support/simple-config.ts';
import { SimpleDateFormat } from './support/simple-date-format.ts';

export class TimestampRouter<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  static readonly OVERVIEW_DOC =
    "Update the record's topic field as a function of the original topic value and the record timestamp." +
    '<p/>' +
    'This is mainly useful for sink connectors, since the topic field is often used to determine the equivalent entity name in the destination system' +
    '(e.g. database table or search index name).';
  private topicFormat = '';
  private timestampPattern = '';
  private timestampFormat: SimpleDateFormat | null = null;

  config(): ConfigDef {
    return new ConfigDef()
      .define('topic.format', {
        type: 'STRING',
        defaultValue: '${topic}-${timestamp}',
        importance: 'HIGH',
        documentation:
          'Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.',
      })
      .define('timestamp.format', {
        type: 'STRING',
        defaultValue: 'yyyyMMdd',
        importance: 'HIGH',
        documentation:
          'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.',
      });
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(this.config(), configs);
    this.topicFormat = config['topic.format'] as string;
    this.timestampPattern = config['timestamp.format'] as string;
    this.timestampFormat = null;
  }

  apply(record: R): R {
    if (record.timestamp === null)
      throw new DataException(`Timestamp missing on record: ${javaRecordString(record)}`);
    // As Kafka, the pattern is compiled on first use: a bad one fails the first record, not configure.
    this.timestampFormat ??= new SimpleDateFormat(this.timestampPattern);
    const timestamp = this.timestampFormat.format(record.timestamp);
    const topic = this.topicFormat
      .replaceAll('${topic}', () => record.topic)
      .replaceAll('${timestamp}', () => timestamp);
    return { ...record, topic };
  }

  close(): void {}
}
