// org.apache.kafka.connect.transforms.RegexRouter: a topic that the regex matches whole is renamed
// with Matcher.replaceFirst and Java's replacement syntax ($1, ${name}, \$).
import { ConfigDef, type ConnectRecord, type Transformation } from '../api/index.ts';
import { JavaPattern } from './support/java-regex.ts';
import { regexValidator } from './support/regex-validator.ts';
import { simpleConfig } from './support/simple-config.ts';

export class RegexRouter<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  static readonly OVERVIEW_DOC =
    'Update the record topic using the configured regular expression and replacement string.' +
    '<p/>Under the hood, the regex is compiled to a <code>java.util.regex.Pattern</code>. ' +
    'If the pattern matches the input topic, <code>java.util.regex.Matcher#replaceFirst()</code> is used with the replacement string to obtain the new topic.';
  private regex: JavaPattern | null = null;
  private replacement = '';

  config(): ConfigDef {
    return new ConfigDef()
      .define('regex', {
        type: 'STRING',
        validator: regexValidator(),
        importance: 'HIGH',
        documentation: 'Regular expression to use for matching.',
      })
      .define('replacement', { type: 'STRING', importance: 'HIGH', documentation: 'Replacement string.' });
  }

  configure(configs: Readonly<Record<string, string>>): void {
    const config = simpleConfig(this.config(), configs);
    this.regex = new JavaPattern(config['regex'] as string);
    this.replacement = config['replacement'] as string;
  }

  apply(record: R): R {
    const regex = this.regex as JavaPattern;
    if (!regex.matches(record.topic)) return record;
    return { ...record, topic: regex.replaceFirst(record.topic, this.replacement) };
  }

  close(): void {}
}
