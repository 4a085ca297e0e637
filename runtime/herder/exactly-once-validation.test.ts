import { describe, expect, it } from 'vitest';
import { ALL_OVERRIDES, parseOverridePolicy } from '../config/client-overrides.ts';
import { builtinPlugins } from '../plugins/builtin.ts';
import type { ExactlyOnceMode } from './exactly-once-validation.ts';
import { validateConnectorConfig } from './validation.ts';

const plugins = builtinPlugins();
const file = { name: 'src', 'connector.class': 'FileStreamSource', topic: 't', file: '/tmp/in.txt' };
const stdin = { name: 'src', 'connector.class': 'FileStreamSource', topic: 't' };
const ENABLED: ExactlyOnceMode = { mode: 'distributed', sourceSupportEnabled: true };
const DISABLED: ExactlyOnceMode = { mode: 'distributed', sourceSupportEnabled: false };

const errorsOf = async (config: Record<string, string>, mode: ExactlyOnceMode, setting: string) =>
  (await validateConnectorConfig(plugins, config, ALL_OVERRIDES, mode)).configs.find(
    (c) => c.value.name === setting,
  )?.value.errors;

describe('exactly-once validation of source connectors', () => {
  it('passes exactly.once.support=required on a worker with it enabled and a connector that supports it', async () => {
    expect(
      await errorsOf({ ...file, 'exactly.once.support': 'required' }, ENABLED, 'exactly.once.support'),
    ).toEqual([]);
  });

  it("refuses exactly.once.support=required without the worker's support, saying what to set", async () => {
    const [error] = (await errorsOf(
      { ...file, 'exactly.once.support': 'required' },
      DISABLED,
      'exactly.once.support',
    ))!;
    expect(error).toMatch(
      /^This worker does not have exactly-once source support enabled\. Set exactly\.once\.source\.support=enabled/,
    );
    const [standalone] = (await errorsOf(
      { ...file, 'exactly.once.support': 'REQUIRED' },
      { mode: 'standalone' },
      'exactly.once.support',
    ))!;
    expect(standalone).toContain('standalone mode does not support exactly-once source connectors');
  });

  it("refuses it when the connector says it cannot deliver exactly once (Java's message)", async () => {
    expect(
      await errorsOf({ ...stdin, 'exactly.once.support': 'required' }, ENABLED, 'exactly.once.support'),
    ).toEqual(['The connector does not support exactly-once semantics with the provided configuration.']);
    expect(
      await errorsOf({ ...stdin, 'exactly.once.support': 'requested' }, DISABLED, 'exactly.once.support'),
    ).toEqual([]);
  });

  it('refuses transaction.boundary=connector for a connector that cannot define boundaries', async () => {
    expect(
      await errorsOf({ ...file, 'transaction.boundary': 'connector' }, DISABLED, 'transaction.boundary'),
    ).toEqual([
      'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.',
    ]);
    expect(
      await errorsOf({ ...file, 'transaction.boundary': 'interval' }, ENABLED, 'transaction.boundary'),
    ).toEqual([]);
    expect(
      await errorsOf(
        { ...file, 'transaction.boundary.interval.ms': '-1' },
        ENABLED,
        'transaction.boundary.interval.ms',
      ),
    ).toEqual([
      'Invalid value -1 for configuration transaction.boundary.interval.ms: Value must be at least 0',
    ]);
  });

  it('accepts offsets.storage.topic in distributed and standalone mode, an empty one in neither', async () => {
    for (const mode of [ENABLED, DISABLED, { mode: 'standalone' } as const]) {
      expect(
        await errorsOf({ ...file, 'offsets.storage.topic': 'own' }, mode, 'offsets.storage.topic'),
      ).toEqual([]);
    }
    expect(
      (await errorsOf({ ...file, 'offsets.storage.topic': '' }, DISABLED, 'offsets.storage.topic'))?.length,
    ).toBe(1);
    expect(
      await errorsOf(
        { ...file, 'offsets.storage.topic': 'own' },
        { mode: 'standalone' },
        'offsets.storage.topic',
      ),
    ).toEqual([]);
  });

  it("checks a source's consumer and admin overrides in distributed mode with its own offsets topic or exactly-once, as Java", async () => {
    const none = parseOverridePolicy('None', []);
    const overrides = { ...file, 'consumer.override.client.id': 'x', 'admin.override.client.id': 'y' };
    const refused = async (config: Record<string, string>, mode: ExactlyOnceMode) =>
      (await validateConnectorConfig(plugins, config, none, mode)).configs
        .filter((c) => c.value.errors.length > 0)
        .map((c) => c.value.name)
        .sort();
    const both = ['admin.override.client.id', 'consumer.override.client.id'];
    expect(await refused({ ...overrides, 'offsets.storage.topic': 'own' }, DISABLED)).toEqual(both);
    expect(await refused(overrides, ENABLED)).toEqual(both);
    expect(await refused(overrides, DISABLED)).toEqual([]);
    expect(await refused({ ...overrides, 'offsets.storage.topic': 'own' }, { mode: 'standalone' })).toEqual(
      [],
    );
  });
});
