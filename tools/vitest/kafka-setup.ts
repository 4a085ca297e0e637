// Vitest global setup for integration tests: one real broker per test run, on a free port, in a
// temporary folder; tests read its address with inject('kafkaBootstrap').
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startBroker, stopBroker } from '../kafka/testbed.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-kafka-'));
  const started = Date.now();
  const broker = await startBroker({ dir, log: (l) => console.log(l) });
  console.log(
    `integration: Kafka ${broker.bootstrap} started in ${Date.now() - started} ms (pid ${broker.pid})`,
  );
  project.provide('kafkaBootstrap', broker.bootstrap);
  return async () => {
    await stopBroker(dir);
    rmSync(dir, { recursive: true, force: true });
  };
}
