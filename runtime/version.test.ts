import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { BUILTIN_PLUGINS_VERSION, CONNECT_COMPATIBLE_VERSION, WEIR_VERSION } from './version.ts';

it('WEIR_VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  expect(WEIR_VERSION).toBe(pkg.version);
});

it("the built-in connectors report Apache Kafka's version, as the plugins they stand in for", async () => {
  const { fileConnectorPlugins } = await import('./connectors/file/index.ts');
  const { toolConnectorPlugins } = await import('./connectors/tools/index.ts');
  for (const plugin of [...fileConnectorPlugins, ...toolConnectorPlugins])
    expect(plugin.version).toBe(BUILTIN_PLUGINS_VERSION);
});

it('the Kafka version Weir follows is the one the Java test bed runs', () => {
  const pom = readFileSync(new URL('../tools/kafka/pom.xml', import.meta.url), 'utf8');
  expect(pom).toContain(`<kafka.version>${CONNECT_COMPATIBLE_VERSION}</kafka.version>`);
});
