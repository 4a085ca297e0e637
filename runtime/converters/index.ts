// The converters that ship with Weir, under Apache Kafka's class names. As in Java, every converter
// except SimpleHeaderConverter also serves as a header converter, and SimpleHeaderConverter only as one.
import type { PluginDescriptor } from '../plugins/registry.ts';
import { BUILTIN_PLUGINS_VERSION } from '../version.ts';
import { ByteArrayConverter } from './byte-array-converter.ts';
import { JsonConverter } from './json-converter.ts';
import {
  BooleanConverter,
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from './number-converters.ts';
import { SimpleHeaderConverter } from './simple-header-converter.ts';
import { StringConverter } from './string-converter.ts';

export { ByteArrayConverter } from './byte-array-converter.ts';
export { JsonConverter } from './json-converter.ts';
export {
  BooleanConverter,
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from './number-converters.ts';
export { SimpleHeaderConverter } from './simple-header-converter.ts';
export { StringConverter } from './string-converter.ts';
export { convertToString, parseString } from './values.ts';

// Kafka's own converters report Kafka's version; Weir's stand in for them.
const VERSION = BUILTIN_PLUGINS_VERSION;

/** Descriptors for a class that is both a Converter and a HeaderConverter. */
function converterAndHeaderConverter(className: string, create: () => unknown): PluginDescriptor[] {
  return [
    { className, type: 'converter', version: VERSION, create },
    { className, type: 'header_converter', version: VERSION, create },
  ];
}

export const converterPlugins: PluginDescriptor[] = [
  ...converterAndHeaderConverter('org.apache.kafka.connect.json.JsonConverter', () => new JsonConverter()),
  ...converterAndHeaderConverter(
    'org.apache.kafka.connect.storage.StringConverter',
    () => new StringConverter(),
  ),
  ...converterAndHeaderConverter(
    'org.apache.kafka.connect.converters.ByteArrayConverter',
    () => new ByteArrayConverter(),
  ),
  ...converterAndHeaderConverter(
    'org.apache.kafka.connect.converters.IntegerConverter',
    () => new IntegerConverter(),
  ),
  ...converterAndHeaderConverter(
    'org.apache.kafka.connect.converters.LongConverter',
    () => new LongConverter(),
  ),
  ...converterAndHeaderConverter(
    'org.apache.kafka.connect.converters.ShortConverter',
    () => new ShortConverter(),
  ),
  ...converterAndHeaderConverter(
    'org.apache.kafka.connect.converters.FloatConverter',
    () => new FloatConverter(),
  ),
  ...converterAndHeaderConverter(
    'org.apache.kafka.connect.converters.DoubleConverter',
    () => new DoubleConverter(),
  ),
  ...converterAndHeaderConverter(
    'org.apache.kafka.connect.converters.BooleanConverter',
    () => new BooleanConverter(),
  ),
  {
    className: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    type: 'header_converter',
    version: VERSION,
    create: () => new SimpleHeaderConverter(),
  },
];
