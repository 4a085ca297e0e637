// A broker outage never stops a pipeline for good. A broker of this test's own is stopped for about
// 18 s and restarted on the same port with the same data under FileStreamSource → topic →
// FileStreamSink pipelines: a standalone Weir worker, a distributed one (session.timeout.ms=30000) and,
// side by side, Apache Kafka Connect (Java, standalone). Every task is RUNNING again afterwards, every
// line reaches each sink file at least once (Connect's sinks are at-least-once: duplicates are
// counted and printed, never a missing line), and the time from the broker's return to records
// flowing again is printed for each. Worker logs stay in files, shown when a check fails.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startJavaConnectStandalone, type JavaConnectProcess } from '../../tools/java-connect-process.ts';
import { freePort, startBroker, stopBroker } from '../../tools/kafka/testbed.ts';
import {
  http,
  startWeirDistributed,
  startWeirStandalone,
  waitFor,
  type WeirProcess,
} from '../../tools/weir-process.ts';

const OUTAGE_MS = 18_000;

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

const tail = (file: string, n = 60): string =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-n).join('\n') : `(no ${file})`;

interface Pipeline {
  name: string;
  url: string;
  source: string;
  sink: string;
  log: string;
}

async function createPipeline(name: string, url: string, dir: string, log: string): Promise<Pipeline> {
  const pipeline = { name, url, source: join(dir, 'source.txt'), sink: join(dir, 'sink.txt'), log };
  appendFileSync(pipeline.source, '');
  const topic = `outage-${name}-${Date.now()}`;
  for (const [connector, config] of [
    ['source', { 'connector.class': 'FileStreamSource', file: pipeline.source, topic }],
    ['sink', { 'connector.class': 'FileStreamSink', file: pipeline.sink, topics: topic }],
  ] as const) {
    const created = await http('PUT', `${url}/connectors/${name}-${connector}/config`, {
      ...config,
      'tasks.max': '1',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  return pipeline;
}

/** The states of a pipeline's connectors and tasks, e.g. ['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']. */
async function states(p: Pipeline): Promise<string[]> {
  const out: string[] = [];
  for (const connector of ['source', 'sink']) {
    const { body } = await http('GET', `${p.url}/connectors/${p.name}-${connector}/status`);
    const status = body as { connector: { state: string }; tasks: { state: string; trace?: string }[] };
    out.push(status.connector.state, ...status.tasks.map((t) => t.state + (t.trace ? `: ${t.trace}` : '')));
  }
  return out;
}

describe('a broker outage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-outage-'));
  const brokerDir = join(dir, 'broker');
  const workers: { stop(signal?: NodeJS.Signals): Promise<number | null> }[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await stopBroker(brokerDir);
  }, 60_000);

  it('of 18 s leaves every pipeline RUNNING, losing no line, and records flow again within seconds', async () => {
    const port = await freePort();
    const broker = await startBroker({ dir: brokerDir, port });
    const worker = { 'consumer.session.timeout.ms': '30000', 'consumer.heartbeat.interval.ms': '3000' };
    const pipelines: Pipeline[] = [];

    for (const name of ['standalone', 'distributed', 'java']) mkdirSync(join(dir, name));
    const standalone: WeirProcess = await startWeirStandalone({
      dir: join(dir, 'standalone'),
      bootstrap: broker.bootstrap,
      worker,
    });
    workers.push(standalone);
    const distributed: WeirProcess = await startWeirDistributed({
      dir: join(dir, 'distributed'),
      bootstrap: broker.bootstrap,
      groupId: `outage-${Date.now()}`,
      worker: { ...worker, 'session.timeout.ms': '30000' },
    });
    workers.push(distributed);
    let java: JavaConnectProcess | undefined;
    try {
      java = await startJavaConnectStandalone({
        dir: join(dir, 'java'),
        bootstrap: broker.bootstrap,
        worker,
      });
      workers.push(java);
    } catch (error) {
      console.log(`Java Connect not compared: ${(error as Error).message}`);
    }
    pipelines.push(
      await createPipeline(
        'standalone',
        standalone.url,
        join(dir, 'standalone'),
        join(dir, 'standalone', 'weir.log'),
      ),
      await createPipeline(
        'distributed',
        distributed.url,
        join(dir, 'distributed'),
        join(dir, 'distributed', 'weir.log'),
      ),
    );
    if (java)
      pipelines.push(
        await createPipeline('java', java.url, join(dir, 'java'), join(dir, 'java', 'java-connect.log')),
      );

    let written = 0;
    const writer = setInterval(() => {
      written++;
      for (const p of pipelines) appendFileSync(p.source, `line-${written}\n`);
    }, 20);
    try {
      await waitFor(
        'lines in every sink file',
        () => pipelines.every((p) => lines(p.sink).length > 20),
        60_000,
      );

      await stopBroker(brokerDir);
      const stoppedAt = performance.now();
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      await startBroker({ dir: brokerDir, port });
      const backAt = performance.now();
      const countsAtReturn = new Map(pipelines.map((p) => [p.name, lines(p.sink).length]));
      console.log(`broker stopped for ${((backAt - stoppedAt) / 1000).toFixed(1)} s (start-up included)`);

      // Records flowing again: the sink file grows past what it held when the broker answered again.
      const resumed = new Map<string, number>();
      await waitFor(
        'records flowing again in every pipeline',
        () => {
          for (const p of pipelines) {
            if (!resumed.has(p.name) && lines(p.sink).length > (countsAtReturn.get(p.name) ?? 0))
              resumed.set(p.name, performance.now() - backAt);
          }
          return resumed.size === pipelines.length;
        },
        90_000,
        20,
      ).catch((error: unknown) => {
        throw new Error(
          `${(error as Error).message}; resumed: ${JSON.stringify([...resumed])}\n` +
            pipelines.map((p) => `--- ${p.log}\n${tail(p.log)}`).join('\n'),
        );
      });
      for (const [name, ms] of resumed)
        console.log(`${name}: records flow again ${(ms / 1000).toFixed(2)} s after the broker answers`);
      // A generous bound: a few seconds as a rule; a sink consumer waiting for its closed
      // predecessor's session (30 s) to end would exceed it.
      for (const name of ['standalone', 'distributed'])
        expect(resumed.get(name), `${name}: records flowing again`).toBeLessThan(20_000);
    } finally {
      clearInterval(writer);
    }

    for (const p of pipelines) {
      const all = Array.from({ length: written }, (_, i) => `line-${i + 1}`);
      try {
        await waitFor(
          `every line in ${p.name}'s sink`,
          () => new Set(lines(p.sink)).size >= written,
          90_000,
          200,
        );
        await waitFor(`${p.name}'s connectors and tasks RUNNING`, async () =>
          (await states(p)).every((s) => s === 'RUNNING'),
        );
      } catch (error) {
        throw new Error(
          `${(error as Error).message}\nstates: ${JSON.stringify(await states(p))}\n${tail(p.log)}`,
          { cause: error },
        );
      }
      const got = lines(p.sink);
      const missing = all.filter((l) => !got.includes(l));
      const duplicates = got.length - new Set(got).size;
      console.log(`${p.name}: ${written} lines, ${missing.length} missing, ${duplicates} duplicates`);
      expect(missing, `${p.name} lost lines`).toEqual([]);
    }
  }, 300_000);

  it('longer than delivery.timeout.ms fails the source task naming the outage; a restart resumes it, losing nothing', async () => {
    const broker = await startBroker({ dir: brokerDir });
    const port = broker.port;
    const worker = await startWeirStandalone({
      dir: join(dir, 'expiry'),
      bootstrap: broker.bootstrap,
      worker: { 'producer.delivery.timeout.ms': '4000', 'consumer.session.timeout.ms': '30000' },
    });
    workers.push(worker);
    const p = await createPipeline(
      'expiry',
      worker.url,
      join(dir, 'expiry'),
      join(dir, 'expiry', 'weir.log'),
    );
    let written = 0;
    const writer = setInterval(() => appendFileSync(p.source, `line-${++written}\n`), 20);
    try {
      await waitFor('lines in the sink file', () => lines(p.sink).length > 20, 60_000);
      await stopBroker(brokerDir);
      const trace = await waitFor(
        'the source task FAILED',
        async () => {
          const { body } = await http('GET', `${p.url}/connectors/expiry-source/tasks/0/status`);
          const status = body as { state: string; trace?: string };
          return status.state === 'FAILED' ? (status.trace ?? '') : undefined;
        },
        30_000,
        200,
      );
      expect(trace).toContain('within delivery.timeout.ms=4000 ms: a broker outage');
      await startBroker({ dir: brokerDir, port });
      expect((await http('POST', `${p.url}/connectors/expiry-source/tasks/0/restart`)).status).toBe(204);
      await waitFor(
        'the source task RUNNING',
        async () => (await states(p)).every((s) => s === 'RUNNING'),
        30_000,
      );
    } finally {
      clearInterval(writer);
    }
    await waitFor('every line in the sink', () => new Set(lines(p.sink)).size >= written, 90_000, 200).catch(
      (error: unknown) => {
        throw new Error(`${(error as Error).message}\n${tail(p.log)}`);
      },
    );
    const got = lines(p.sink);
    console.log(`expiry: ${written} lines, ${got.length - new Set(got).size} duplicates`);
    expect(
      Array.from({ length: written }, (_, i) => `line-${i + 1}`).filter((l) => !got.includes(l)),
    ).toEqual([]);
  }, 240_000);
});
