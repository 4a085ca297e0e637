import { defineConfig } from 'vitest/config';

// Unit tests: pure logic, no processes. Integration tests (*.int.test.ts): a real Kafka broker,
// started once per run by the global setup. e2e tests (e2e/**/*.e2e.test.ts): a real Kubernetes
// cluster (the local one built from source, or kind with E2E_CLUSTER=kind), started by their global
// setup. They run apart, after the others: `npm run e2e` (e2e/run.ts) sets WEIR_E2E=1 and runs
// them, or says in one line why this machine cannot; a plain `vitest run` leaves them out.
const e2e = process.env.WEIR_E2E === '1';

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{runtime,operator,tools,bench,charts,examples,docs}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{runtime,operator,tools,bench,charts,examples,docs}/**/*.int.test.ts'],
          globalSetup: ['tools/vitest/kafka-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      ...(e2e
        ? [
            {
              test: {
                name: 'e2e',
                include: ['e2e/**/*.e2e.test.ts'],
                globalSetup: ['e2e/setup.ts'],
                testTimeout: 180_000,
                hookTimeout: 180_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
