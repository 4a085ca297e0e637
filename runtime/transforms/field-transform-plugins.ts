// Plugin descriptors of the transforms that work on a record's fields, under Apache Kafka's class
// names (org.apache.kafka.connect.transforms.Cast$Value) and simple names (Cast$Value). The shape
// matches the worker's PluginDescriptor, declared here because transforms see only the SPI. They
// report Kafka's version, as stand-ins for Kafka's own plugins.
import type { Transformation } from '../api/index.ts';
import { Cast } from './cast.ts';
import { ExtractField } from './extract-field.ts';
import { Flatten } from './flatten.ts';
import { HeaderFrom } from './header-from.ts';
import { HoistField } from './hoist-field.ts';
import { InsertField } from './insert-field.ts';
import { MaskField } from './mask-field.ts';
import { ReplaceField } from './replace-field.ts';
import { SetSchemaMetadata } from './set-schema-metadata.ts';
import { SIDES } from './support/record-side.ts';
import type { RecordSide } from './support/record-side.ts';
import { ValueToKey } from './value-to-key.ts';

export const KAFKA_TRANSFORMS_VERSION = '4.3.1';
const PACKAGE = 'org.apache.kafka.connect.transforms';

export interface TransformationPlugin {
  readonly className: string;
  readonly aliases?: readonly string[];
  readonly type: 'transformation';
  readonly version: string;
  create(): Transformation;
}

function plugin(simpleName: string, create: () => Transformation): TransformationPlugin {
  return {
    className: `${PACKAGE}.${simpleName}`,
    type: 'transformation',
    version: KAFKA_TRANSFORMS_VERSION,
    create,
  };
}

/** Name$Key and Name$Value of a transform that works on either side. */
function keyAndValue(name: string, create: (side: RecordSide) => Transformation): TransformationPlugin[] {
  return SIDES.map((side) => plugin(`${name}$${side.name}`, () => create(side)));
}

export const fieldTransformPlugins: readonly TransformationPlugin[] = [
  ...keyAndValue('Cast', (side) => new Cast(side)),
  ...keyAndValue('ExtractField', (side) => new ExtractField(side)),
  ...keyAndValue('Flatten', (side) => new Flatten(side)),
  ...keyAndValue('HeaderFrom', (side) => new HeaderFrom(side)),
  ...keyAndValue('HoistField', (side) => new HoistField(side)),
  ...keyAndValue('InsertField', (side) => new InsertField(side)),
  ...keyAndValue('MaskField', (side) => new MaskField(side)),
  ...keyAndValue('ReplaceField', (side) => new ReplaceField(side)),
  ...keyAndValue('SetSchemaMetadata', (side) => new SetSchemaMetadata(side)),
  plugin('ValueToKey', () => new ValueToKey()),
];
