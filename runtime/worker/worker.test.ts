// The worker's side of config providers, without a broker: task configs are stored with the connector
// config's placeholders, and applied connector configs resolve once per commit, as in Java.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWorkerConfig, standaloneWorkerConfigDef } from '../config/worker-config.ts';
import { builtinPlugins } from '../plugins/builtin.ts';
import { FileOffsetStore } from '../storage/file-offset-store.ts';
import { MemoryStatusStore } from '../storage/status-store.ts';
import { Worker } from './worker.ts';

const dir = mkdtempSync(join(tmpdir(), 'weir-worker-'));
const secrets = join(dir, 'secrets.properties');
const placeholder = `\${file:${secrets}:path}`;

function worker(): Worker {
  const config = parseWorkerConfig(
    {
      'bootstrap.servers': '127.0.0.1:9',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'offset.storage.file.filename': join(dir, 'offsets'),
      'config.providers': 'file',
      'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
    },
    standaloneWorkerConfigDef(),
  );
  return new Worker({
    workerId: 'w:8083',
    config,
    plugins: builtinPlugins(),
    offsets: new FileOffsetStore(join(dir, 'offsets')),
    statuses: new MemoryStatusStore(),
    onTaskReconfigurationRequest: () => {},
  });
}

describe('Worker and config providers', () => {
  it('gives the task configs with the placeholders of the connector config, not their values', async () => {
    writeFileSync(secrets, `path=${join(dir, 'secret-out.txt')}\n`);
    const w = worker();
    const props = { name: 's', 'connector.class': 'FileStreamSink', topics: 'in', file: placeholder };
    expect(await w.startConnector('s', props, 'RUNNING')).toBe(true);
    const configs = await w.connectorTaskConfigs('s', 2);
    // FileStreamSink passes its whole config to its tasks, as Java's does.
    const task = { ...props, 'task.class': 'org.apache.kafka.connect.file.FileStreamSinkTask' };
    expect(configs).toEqual([task, task]);
    expect(JSON.stringify(configs)).not.toContain('secret-out.txt');
    await w.stop();
  });

  it('resolves an applied connector config once (per commit object), the current one every time', () => {
    writeFileSync(secrets, 'path=/one.txt\n');
    const w = worker();
    const applied = { file: placeholder };
    expect(w.resolvedAppliedConfig(applied)).toEqual({ file: '/one.txt' });
    writeFileSync(secrets, 'path=/two.txt\n');
    expect(w.resolvedAppliedConfig(applied)).toEqual({ file: '/one.txt' });
    expect(w.resolvedForComparison(applied)).toEqual({ file: '/two.txt' });
    expect(w.resolvedAppliedConfig({ ...applied })).toEqual({ file: '/two.txt' });
    expect(w.resolvedAppliedConfig(undefined)).toBeUndefined();
  });

  it('compares a placeholder it cannot resolve as written', () => {
    const w = worker();
    const missing = { file: `\${file:${join(dir, 'nope.properties')}:path}` };
    expect(w.resolvedForComparison(missing)).toEqual(missing);
    expect(() => w.resolveConfig(missing)).toThrow(/file: .* could not be read/);
  });
});
