// For integration test files that start a standalone herder in the test process per test: each
// stopped after its test, their offsets files in one temporary folder removed after the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Herder } from '../../runtime/herder/herder.ts';
import { startStandaloneHerder } from '../../runtime/herder/testing/in-process-herders.ts';
import { setLoggerLevel } from '../../runtime/logging.ts';
import type { ConnectMetrics } from '../../runtime/metrics/connect-metrics.ts';
import type { PluginRegistry } from '../../runtime/plugins/registry.ts';
import { kafkaBootstrap, uniqueName } from './kafka.ts';

/**
 * Installs the file's hooks and returns what starts a herder on the test broker with `plugins()`.
 * The herders' logs are off: they would go to the test's output, which the task failures such tests
 * cause would fill; the assertions read statuses, topics, offsets and metrics instead.
 */
export function standaloneHerdersPerTest(
  folderPrefix: string,
  plugins: () => PluginRegistry,
): (metrics?: ConnectMetrics) => Promise<Herder> {
  const work = mkdtempSync(join(tmpdir(), folderPrefix));
  const stops: (() => Promise<unknown>)[] = [];
  beforeAll(() => void setLoggerLevel('root', 'OFF'));
  afterEach(async () => {
    await Promise.allSettled(stops.splice(0).map((stop) => stop()));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  return async (metrics) => {
    const started = await startStandaloneHerder({
      bootstrap: kafkaBootstrap(),
      plugins: plugins(),
      name: join(work, uniqueName('offsets')),
      metrics,
    });
    stops.push(() => started.stop());
    return started.herder;
  };
}
