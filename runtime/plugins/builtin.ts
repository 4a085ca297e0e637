// The plugins that ship with Weir, registered under Apache Kafka's class names.
import { fileConnectorPlugins } from '../connectors/file/index.ts';
import { toolConnectorPlugins } from '../connectors/tools/index.ts';
import { converterPlugins } from '../converters/index.ts';
import { fieldTransformPlugins } from '../transforms/field-transform-plugins.ts';
import { PluginRegistry, type PluginDescriptor } from './registry.ts';

export function builtinPlugins(): PluginRegistry {
  return new PluginRegistry().register(
    ...(fileConnectorPlugins as readonly PluginDescriptor[]),
    ...(toolConnectorPlugins as readonly PluginDescriptor[]),
    ...converterPlugins,
    ...(fieldTransformPlugins as readonly PluginDescriptor[]),
  );
}
