// When a connector's tasks get new configs (and restart), as AbstractHerder.taskConfigsChanged since
// Apache Kafka 3.9: the connector generated other task configs than those in force, or its own config
// changed since those were committed. A connector copies only some settings into its task configs;
// its tasks read the rest (converters, transforms, errors.*, client overrides) from the connector
// config, so a change to those alone must restart them too.
import type { Props } from '../api/index.ts';
import { sameProps } from '../config/properties.ts';

/**
 * Whether the task configs `generated` from connector config `current` must replace `committed`,
 * which were committed while the connector config was `applied` (undefined: not known).
 * A connector with no tasks before and after has nothing to restart, whatever its config.
 * Task configs compare as stored (placeholders, not secrets); `applied` and `current` compare
 * resolved, as Java compares them (Worker.resolvedAppliedConfig, resolvedForComparison), so a secret
 * that changed gives the tasks new configs too.
 */
export function taskConfigsChanged(
  committed: readonly Props[],
  generated: readonly Props[],
  applied: Props | undefined,
  current: Props,
): boolean {
  if (committed.length !== generated.length) return true;
  if (generated.some((config, i) => !sameProps(config, committed[i]))) return true;
  return generated.length > 0 && !sameProps(applied, current);
}
