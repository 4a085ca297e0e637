// Kafka's SimpleConfig: a transform's settings parsed and validated against its ConfigDef, failing on
// the first problem in definition order with that problem's message, as AbstractConfig does.
import { ConfigException, type ConfigDef } from '../../api/index.ts';

export function simpleConfig(
  def: ConfigDef,
  props: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const result of def.validateAll(props).values()) {
    const first = result.errors[0];
    if (first !== undefined) throw new ConfigException([{ name: result.name, message: first }]);
    values[result.name] = result.value;
  }
  return values;
}
