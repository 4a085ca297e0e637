import { defineConfig } from 'vitest/config';

// Unit tests: pure logic, no processes. Integration tests (*.int.test.ts): a real Kafka broker,
// started once per run by the global setup. e2e tests join when the local cluster can be built.
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{runtime,operator,tools,bench}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{runtime,operator,tools,bench}/**/*.int.test.ts'],
          globalSetup: ['tools/vitest/kafka-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
