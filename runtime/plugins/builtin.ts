// The plugins that ship with Weir, registered under Apache Kafka's class names.
import { fileConnectorPlugins } from '../connectors/file/index.ts';
import { toolConnectorPlugins } from '../connectors/tools/index.ts';
import { converterPlugins } from '../converters/index.ts';
import { fieldTransformPlugins } from '../transforms/field-transform-plugins.ts';
import { predicatePlugins, transformPlugins } from '../transforms/index.ts';
import { PluginRegistry, type PluginDescriptor } from './registry.ts';

export function builtinPlugins(): PluginRegistry {
  return new PluginRegistry().register(
    ...(fileConnectorPlugins as readonly PluginDescriptor[]),
    ...(toolConnectorPlugins as readonly PluginDescriptor[]),
    ...converterPlugins,
    ...transformPlugins,
    ...(fieldTransformPlugins as readonly PluginDescriptor[]),
    ...predicatePlugins,
  );
}
