import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { WEIR_VERSION } from './version.ts';

it('WEIR_VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  expect(WEIR_VERSION).toBe(pkg.version);
});

it('the built-in connectors report the same version', async () => {
  const { fileConnectorPlugins } = await import('./connectors/file/index.ts');
  const { toolConnectorPlugins } = await import('./connectors/tools/index.ts');
  for (const plugin of [...fileConnectorPlugins, ...toolConnectorPlugins])
    expect(plugin.version).toBe(WEIR_VERSION);
});
