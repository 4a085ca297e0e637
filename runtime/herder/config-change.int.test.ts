// A connector config change reaches its running tasks without a manual restart, on the real broker:
// a FileStream pipeline whose sink changes its value converter (worker processes, both modes), and a
// sink that copies none of that into its task configs, so only the connector config tells its tasks
// to restart (herders in this process, with that connector registered).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Props } from '../api/index.ts';
import { FileStreamSinkConnector } from '../connectors/file/index.ts';
import { NotLeaderError } from '../errors.ts';
import type { TaskInfo } from '../rest/types.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { WeirCluster } from '../../tools/weir-cluster.ts';
import { http, startWeirStandalone, waitFor, type WeirProcess } from '../../tools/weir-process.ts';
import type { Herder } from './herder.ts';
import {
  jsonSender,
  pluginsWithSink,
  startDistributedHerder,
  startStandaloneHerder,
} from './testing/in-process-herders.ts';

const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
const work = mkdtempSync(join(tmpdir(), 'weir-config-change-'));
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

/** Waits until `line` is in `file`. */
const lineIn = (file: string, line: string) =>
  waitFor(`${line} in ${file}`, () => lines(file).includes(line), 30_000);

/**
 * Sends `after-<i>` (through `send`) every 500 ms until one arrives in `file` as the new converter
 * writes it ("after-<i>"): the tasks restart after the config change is accepted, not before it.
 */
async function quotedLineIn(file: string, send: (line: string) => unknown): Promise<void> {
  let i = 0;
  await waitFor(
    `a quoted line in ${file}`,
    async () => {
      await send(`after-${i++}`);
      return lines(file).some((l) => /^"after-\d+"$/.test(l));
    },
    30_000,
    500,
  );
}

/** Test workers convert with JsonConverter (no schemas): the sink writes "x" in the topic as x. */
describe('a FileStream pipeline whose sink changes its value converter', () => {
  async function pipeline(via: WeirProcess, dir: string) {
    const input = join(dir, 'in.txt');
    const output = join(dir, 'out.txt');
    const topic = uniqueName('lines');
    const names = { source: uniqueName('source'), sink: uniqueName('sink') };
    writeFileSync(input, 'before\n');
    const sink = { 'connector.class': 'FileStreamSink', topics: topic, file: output };
    for (const [name, config] of [
      [names.source, { 'connector.class': 'FileStreamSource', topic, file: input }],
      [names.sink, sink],
    ] as const) {
      await waitFor(`PUT ${name}`, async () => {
        const r = await http('PUT', `${via.url}/connectors/${name}/config`, config);
        return r.status === 201 || r.status === 200;
      });
    }
    await lineIn(output, 'before');
    return { input, output, names, sink };
  }

  it('in distributed mode: lines appended after the change arrive as the new converter makes them', async () => {
    const cluster = new WeirCluster({
      bootstrap: kafkaBootstrap(),
      groupId: uniqueName('connect'),
      worker: { 'heartbeat.interval.ms': '1000', 'session.timeout.ms': '6000' },
    });
    cleanups.push(() => cluster.stop());
    await cluster.add(2);
    const via = cluster.live[0] as WeirProcess;
    const { input, output, names, sink } = await pipeline(via, cluster.dir);
    await cluster.waitRunning(names.sink, 1);

    // The same config again changes nothing: the task keeps running.
    expect((await http('PUT', `${via.url}/connectors/${names.sink}/config`, sink)).status).toBe(200);
    appendFileSync(input, 'same\n');
    await lineIn(output, 'same');
    expect(cluster.taskStarts(names.sink).get(0)).toBe(1);

    const changed = { ...sink, 'value.converter': STRING_CONVERTER };
    expect((await http('PUT', `${via.url}/connectors/${names.sink}/config`, changed)).status).toBe(200);
    await quotedLineIn(output, (line) => appendFileSync(input, `${line}\n`));
    expect(cluster.taskStarts(names.sink).get(0)).toBe(2);
  });

  it('in standalone mode, likewise; the same config again leaves the task running', async () => {
    const dir = join(work, uniqueName('standalone'));
    const worker = await startWeirStandalone({
      dir,
      bootstrap: kafkaBootstrap(),
      worker: { 'consumer.session.timeout.ms': '6000', 'consumer.heartbeat.interval.ms': '1000' },
    });
    cleanups.push(() => worker.stop('SIGKILL'));
    const { input, output, names, sink } = await pipeline(worker, dir);
    const starts = () =>
      lines(join(dir, 'weir.log')).filter((l) => l.includes(`"msg":"Starting task ${names.sink}-0"`)).length;

    expect((await http('PUT', `${worker.url}/connectors/${names.sink}/config`, sink)).status).toBe(200);
    appendFileSync(input, 'same\n');
    await lineIn(output, 'same');
    expect(starts()).toBe(1);

    const changed = { ...sink, 'value.converter': STRING_CONVERTER };
    expect((await http('PUT', `${worker.url}/connectors/${names.sink}/config`, changed)).status).toBe(200);
    await quotedLineIn(output, (line) => appendFileSync(input, `${line}\n`));
    expect(starts()).toBe(2);
  });
});

/** FileStreamSink that passes only its file to its tasks (the worker adds topics and task.class). */
class NarrowFileSink extends FileStreamSinkConnector {
  override taskConfigs(maxTasks: number): Props[] {
    return super.taskConfigs(maxTasks).map((c) => ({ file: c['file'] ?? '' }));
  }
}

const plugins = () => pluginsWithSink('NarrowFileSinkConnector', () => new NarrowFileSink());

async function standaloneHerder(): Promise<Herder> {
  const started = await startStandaloneHerder({
    bootstrap: kafkaBootstrap(),
    plugins: plugins(),
    name: join(work, uniqueName('offsets')),
  });
  cleanups.push(() => started.stop());
  return started.herder;
}

async function distributedHerder(): Promise<Herder> {
  const started = await startDistributedHerder({
    bootstrap: kafkaBootstrap(),
    plugins: plugins(),
    name: uniqueName('connect'),
  });
  cleanups.push(() => started.stop());
  return started.herder;
}

describe('a connector whose task configs do not carry the setting that changed (KAFKA-9228)', () => {
  it.each([
    ['standalone', standaloneHerder],
    ['distributed', distributedHerder],
  ])('%s: the new value converter reaches its task', async (_mode, create) => {
    const herder = await create();
    const topic = uniqueName('json');
    const name = uniqueName('narrow');
    const output = join(work, `${name}.txt`);
    const { send, close } = jsonSender(kafkaBootstrap(), topic);
    cleanups.push(close);
    await send('before');

    const config = { 'connector.class': 'NarrowFileSink', topics: topic, file: output };
    const put = (props: Record<string, string>) =>
      waitFor(`${name} written`, async () => {
        try {
          return await herder.putConnectorConfig(name, props, { allowReplace: true });
        } catch (error) {
          if (error instanceof NotLeaderError) return undefined; // still joining its group
          throw error;
        }
      });
    await put(config);
    await lineIn(output, 'before');
    const tasksBefore: TaskInfo[] = await herder.taskConfigs(name);

    await put({ ...config, 'value.converter': STRING_CONVERTER });
    await quotedLineIn(output, send);
    // The generated task configs are the same: only the connector config told the task to restart.
    expect(await herder.taskConfigs(name)).toEqual(tasksBefore);
    expect(tasksBefore[0]?.config).not.toHaveProperty('value.converter');
  });
});
