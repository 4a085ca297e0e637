// The setting every converter shares (ConverterConfig in Java): `converter.type`, how the converter
// is used. The worker sets it; Converter.configure(configs, isKey) overrides it with key or value.
import { ConfigDef, Validators } from '../api/index.ts';
import type { ConverterConfig } from '../api/index.ts';

export const TYPE_CONFIG = 'converter.type';

export type ConverterType = 'key' | 'value' | 'header';

/** A new definition holding `converter.type`, for converters to add their own settings to. */
export function converterConfigDef(): ConfigDef {
  return new ConfigDef().define(TYPE_CONFIG, {
    type: 'STRING',
    validator: Validators.in('key', 'value', 'header'),
    importance: 'LOW',
    documentation: 'How this converter will be used.',
  });
}

/**
 * Parses a converter's settings. With `isKey` (Converter.configure) the type is key or value, as in
 * Java; without it (HeaderConverter.configure) it is the given `converter.type`, or header when
 * absent, where Java would require the setting.
 */
export function parseConverterConfig(
  definition: ConfigDef,
  configs: ConverterConfig,
  isKey?: boolean,
): Record<string, unknown> {
  const type = isKey === undefined ? (configs[TYPE_CONFIG] ?? 'header') : isKey ? 'key' : 'value';
  return definition.parse({ ...configs, [TYPE_CONFIG]: type });
}
