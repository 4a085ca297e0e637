// Kafka's header, routing, filtering and timestamp transforms and its predicates, as plugins under
// Apache Kafka's class names. The descriptor shape matches the worker's PluginDescriptor
// (runtime/plugins/registry.ts) but is declared here: transforms see only the SPI. As Weir's stand-ins
// for plugins that ship with Kafka, they report Kafka's version.
import type { Predicate, Transformation } from '../api/index.ts';
import { DropHeaders } from './drop-headers.ts';
import { Filter } from './filter.ts';
import { InsertHeader } from './insert-header.ts';
import { HasHeaderKey, RecordIsTombstone, TopicNameMatches } from './predicates.ts';
import { RegexRouter } from './regex-router.ts';
import { TimestampConverterKey, TimestampConverterValue } from './timestamp-converter.ts';
import { TimestampRouter } from './timestamp-router.ts';

export { DropHeaders } from './drop-headers.ts';
export { Filter } from './filter.ts';
export { InsertHeader } from './insert-header.ts';
export { HasHeaderKey, RecordIsTombstone, TopicNameMatches } from './predicates.ts';
export { RegexRouter } from './regex-router.ts';
export { TimestampConverter, TimestampConverterKey, TimestampConverterValue } from './timestamp-converter.ts';
export { TimestampRouter } from './timestamp-router.ts';

/** The Apache Kafka release whose transforms these are. */
export const KAFKA_TRANSFORMS_VERSION = '4.3.1';

export interface TransformationPlugin {
  readonly className: string;
  readonly type: 'transformation';
  readonly version: string;
  create(): Transformation;
}

export interface PredicatePlugin {
  readonly className: string;
  readonly type: 'predicate';
  readonly version: string;
  create(): Predicate;
}

const TRANSFORMS = 'org.apache.kafka.connect.transforms';
const transform = (simpleName: string, create: () => Transformation): TransformationPlugin => ({
  className: `${TRANSFORMS}.${simpleName}`,
  type: 'transformation',
  version: KAFKA_TRANSFORMS_VERSION,
  create,
});
const predicate = (simpleName: string, create: () => Predicate): PredicatePlugin => ({
  className: `${TRANSFORMS}.predicates.${simpleName}`,
  type: 'predicate',
  version: KAFKA_TRANSFORMS_VERSION,
  create,
});

export const transformPlugins: readonly TransformationPlugin[] = [
  transform('DropHeaders', () => new DropHeaders()),
  transform('Filter', () => new Filter()),
  transform('InsertHeader', () => new InsertHeader()),
  transform('RegexRouter', () => new RegexRouter()),
  transform('TimestampConverter$Key', () => new TimestampConverterKey()),
  transform('TimestampConverter$Value', () => new TimestampConverterValue()),
  transform('TimestampRouter', () => new TimestampRouter()),
];

export const predicatePlugins: readonly PredicatePlugin[] = [
  predicate('HasHeaderKey', () => new HasHeaderKey()),
  predicate('RecordIsTombstone', () => new RecordIsTombstone()),
  predicate('TopicNameMatches', () => new TopicNameMatches()),
];
