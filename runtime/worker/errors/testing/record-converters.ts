// The converters the error-handling unit tests give a task, as a worker would configure them.
import { JsonConverter, SimpleHeaderConverter, StringConverter } from '../../../converters/index.ts';
import type { RecordConverters } from '../../plugins-for-connector.ts';

export const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

/** StringConverter keys, JsonConverter values without schemas, SimpleHeaderConverter headers. */
export function recordConverters(): RecordConverters {
  const key = new StringConverter();
  key.configure({}, true);
  const value = new JsonConverter();
  value.configure({ 'schemas.enable': 'false' }, false);
  const header = new SimpleHeaderConverter();
  header.configure({});
  return {
    key,
    value,
    header,
    classNames: {
      key: 'org.apache.kafka.connect.storage.StringConverter',
      value: JSON_CONVERTER,
      header: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    },
  };
}
