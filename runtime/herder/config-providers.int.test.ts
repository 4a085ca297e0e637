// Secrets from config providers on the real broker, with herders in this process (both modes): a sink
// whose file comes from a ${file:…} placeholder it copies into its task configs. As in Apache Kafka
// Connect, the stored task configs keep the placeholder (the config topic never holds the value), the
// task gets the value, and a value that changed reaches the tasks when they restart.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Props } from '../api/index.ts';
import { FileStreamSinkConnector } from '../connectors/file/index.ts';
import { NotLeaderError } from '../errors.ts';
import { KafkaLog, type LogRecord } from '../storage/kafka-log.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { waitFor } from '../../tools/weir-process.ts';
import type { Herder } from './herder.ts';
import {
  jsonSender,
  pluginsWithSink,
  startDistributedHerder,
  startStandaloneHerder,
  type InProcessHerder,
} from './testing/in-process-herders.ts';

const work = mkdtempSync(join(tmpdir(), 'weir-config-providers-'));
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** How often a connector of this class was asked for task configs: each time its tasks are reconfigured. */
let taskConfigCalls = 0;

/** FileStreamSink (which copies its config into its task configs) that counts the reconfigurations. */
class CountingFileSink extends FileStreamSinkConnector {
  override taskConfigs(maxTasks: number): Props[] {
    taskConfigCalls++;
    return super.taskConfigs(maxTasks);
  }
}

const plugins = () => pluginsWithSink('CountingFileSinkConnector', () => new CountingFileSink());

const providers = {
  'config.providers': 'file',
  'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
};

async function started(start: typeof startStandaloneHerder, name: string): Promise<InProcessHerder> {
  const herder = await start({ bootstrap: kafkaBootstrap(), settings: providers, plugins: plugins(), name });
  cleanups.push(() => herder.stop());
  return herder;
}

const modes = [
  ['standalone', () => started(startStandaloneHerder, join(work, uniqueName('offsets')))],
  ['distributed', () => started(startDistributedHerder, uniqueName('connect'))],
] as const;

/** Retries `operation` while the distributed herder is still joining its group. */
const asLeader = <T>(what: string, operation: () => Promise<T>): Promise<T> =>
  waitFor(what, async () => {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof NotLeaderError) return undefined;
      throw error;
    }
  });

/** Every record of a topic, as raw text. */
async function rawRecords(topic: string): Promise<{ key: string; value: string | null }[]> {
  const records: LogRecord[] = [];
  const client = { clientId: uniqueName('raw'), bootstrapBrokers: [kafkaBootstrap()] };
  const log = new KafkaLog({ topic, client, onRecord: (r) => records.push(r) });
  await log.start();
  await log.stop();
  return records.map((r) => ({ key: r.key?.toString() ?? '', value: r.value?.toString() ?? null }));
}

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

/**
 * A sink reading a topic of its own into the file that secrets.properties names (key `path`),
 * through the placeholder; `arrivesIn` sends lines until one lands in the given file.
 */
async function secretSink(herder: Herder) {
  const name = uniqueName('secret-sink');
  const topic = uniqueName('lines');
  const secrets = join(work, `${name}.properties`);
  const files = { first: join(work, `${name}-first.txt`), second: join(work, `${name}-second.txt`) };
  writeFileSync(secrets, `path=${files.first}\n`);
  const placeholder = `\${file:${secrets}:path}`;
  const config = { 'connector.class': 'CountingFileSink', topics: topic, file: placeholder };
  const { send, close } = jsonSender(kafkaBootstrap(), topic);
  cleanups.push(close);
  let sent = 0;
  const arrivesIn = (file: string) =>
    waitFor(
      `a line in ${file}`,
      async () => {
        await send(`line-${sent++}`);
        return lines(file).length > 0;
      },
      30_000,
      500,
    );
  const point = (file: string) => writeFileSync(secrets, `path=${file}\n`);
  await asLeader(`${name} created`, () => herder.putConnectorConfig(name, config, { allowReplace: false }));
  return { name, config, placeholder, files, arrivesIn, point };
}

describe.each(modes)('%s: a sink whose file comes from ${file:…}', (mode, start) => {
  it('stores and shows its task config with the placeholder, its task writes to the value; restarted with its tasks after the value changed, they write to the new one', async () => {
    const { herder, configTopic } = await start();
    const sink = await secretSink(herder);
    await sink.arrivesIn(sink.files.first);

    // As Java: GET /connectors/{name}/tasks and /config give the placeholder. Validate too (Java's
    // shows the resolved value): no resolved value leaves the worker.
    expect((await herder.taskConfigs(sink.name)).map((t) => t.config['file'])).toEqual([sink.placeholder]);
    expect((await herder.connectorConfig(sink.name))['file']).toBe(sink.placeholder);
    const validated = await herder.validateConnectorConfig(null, { ...sink.config, name: sink.name });
    expect(validated.configs.find((c) => c.value.name === 'file')?.value.value).toBe(sink.placeholder);

    if (mode === 'distributed') {
      // The config topic, byte for byte: the task record has the placeholder, no record the value.
      const records = await rawRecords(configTopic as string);
      const task = records.find((r) => r.key === `task-${sink.name}-0`);
      expect(JSON.parse(task?.value ?? '{}').properties?.file).toBe(sink.placeholder);
      expect(records.filter((r) => r.value?.includes(sink.files.first))).toEqual([]);
    }

    sink.point(sink.files.second);
    await asLeader('restart', () =>
      herder.restartConnector(sink.name, { includeTasks: true, onlyFailed: false }),
    );
    await sink.arrivesIn(sink.files.second);
    expect((await herder.taskConfigs(sink.name)).map((t) => t.config['file'])).toEqual([sink.placeholder]);
  });

  it('restarted alone after the value changed, its tasks restart with the new one once the config they were committed with had been resolved (as Java)', async () => {
    const { herder } = await start();
    const sink = await secretSink(herder);
    await sink.arrivesIn(sink.files.first);
    /** Restarts the connector alone and waits until it has reconfigured its tasks. */
    const restartAlone = async () => {
      const before = taskConfigCalls;
      await asLeader('restart', () =>
        herder.restartConnector(sink.name, { includeTasks: false, onlyFailed: false }),
      );
      await waitFor('the tasks reconfigured', () => taskConfigCalls > before);
      await sleep(200); // the comparison right after
    };

    // The first reconfiguration resolves the committed connector config: the file the task writes to.
    await restartAlone();
    sink.point(sink.files.second);
    await restartAlone();
    await sink.arrivesIn(sink.files.second);
  });

  it('reads and resets the offsets of a stopped connector whose config has a placeholder with no value', async () => {
    const { herder } = await start();
    const name = uniqueName('unresolved');
    const config = {
      'connector.class': 'CountingFileSink',
      topics: uniqueName('lines'),
      file: join(work, `${name}.txt`),
      note: `\${file:${join(work, 'absent.properties')}:key}`,
    };
    await asLeader(`${name} created`, () => herder.putConnectorConfig(name, config, { allowReplace: false }));
    await waitFor(
      'the connector FAILED',
      async () => (await herder.connectorStatus(name)).connector.state === 'FAILED',
    );
    await asLeader('stop', async () => {
      await herder.stopConnector(name);
      return true;
    });
    await waitFor('the connector stopped', async () => {
      try {
        return (await herder.connectorOffsets(name)) !== undefined;
      } catch {
        return false;
      }
    });
    // As Java: an unresolvable placeholder stays as written where offsets are read or changed.
    expect(await asLeader('reset', () => herder.resetConnectorOffsets(name))).toMatch(/reset/i);
  });
});
