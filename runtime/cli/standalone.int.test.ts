// The seed walkthrough through the CLI and the REST API, on the real broker: a file source started
// from the command line, a file sink created over REST, lines flowing end to end, a clean SIGTERM,
// resuming from flushed offsets, and no line lost when the worker is killed mid-stream.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin, Consumer } from '@platformatic/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { http, startWeirStandalone, waitFor, type WeirProcess } from '../../tools/weir-process.ts';

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

describe('weir connect-standalone', () => {
  const workers: WeirProcess[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop('SIGKILL')));
  });

  async function start(dir: string, connectors: Record<string, string>[] = []): Promise<WeirProcess> {
    // A killed worker's sink consumer stays in its group until the session times out (45 s by default).
    const worker = await startWeirStandalone({
      dir,
      bootstrap: kafkaBootstrap(),
      connectors,
      worker: { 'consumer.session.timeout.ms': '6000', 'consumer.heartbeat.interval.ms': '1000' },
    });
    workers.push(worker);
    return worker;
  }

  it('runs the seed walkthrough: source from a file, sink over REST, clean stop, resume', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-standalone-'));
    const source = join(dir, 'test.txt');
    const sink = join(dir, 'test.sink.txt');
    const topic = uniqueName('connect-test');
    writeFileSync(source, 'hello-1\nhello-2\nhello-3\n');
    const sourceConfig = {
      name: 'local-file-source',
      'connector.class': 'FileStreamSource',
      'tasks.max': '1',
      file: source,
      topic,
    };
    const worker = await start(dir, [sourceConfig]);

    const info = await waitFor('the source connector', async () => {
      const r = await http('GET', `${worker.url}/connectors/local-file-source`);
      return r.status === 200 ? r.body : undefined;
    });
    expect(info).toEqual({
      name: 'local-file-source',
      config: sourceConfig,
      tasks: [{ connector: 'local-file-source', task: 0 }],
      type: 'source',
    });

    const created = await http('PUT', `${worker.url}/connectors/local-file-sink/config`, {
      'connector.class': 'FileStreamSink',
      'tasks.max': '1',
      file: sink,
      topics: topic,
    });
    expect(created.status).toBe(201);
    await waitFor('3 lines in the sink file', () => lines(sink).length >= 3);
    expect(lines(sink)).toEqual(['hello-1', 'hello-2', 'hello-3']);

    appendFileSync(source, 'hello-4\n');
    await waitFor('the appended line in the sink file', () => lines(sink).length >= 4);

    const status = (await http('GET', `${worker.url}/connectors/local-file-sink/status`)).body as {
      connector: { state: string };
      tasks: { state: string }[];
    };
    expect(status.connector.state).toBe('RUNNING');
    expect(status.tasks.map((t) => t.state)).toEqual(['RUNNING']);

    expect(await worker.stop('SIGTERM')).toBe(0);

    // Restarted with the same offsets file, the source resumes after hello-4: no line twice.
    appendFileSync(source, 'hello-5\n');
    const again = await start(dir, [sourceConfig]);
    await http('PUT', `${again.url}/connectors/local-file-sink/config`, {
      'connector.class': 'FileStreamSink',
      file: sink,
      topics: topic,
    });
    await waitFor('hello-5 in the sink file', () => lines(sink).includes('hello-5'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(lines(sink)).toEqual(['hello-1', 'hello-2', 'hello-3', 'hello-4', 'hello-5']);
  });

  it('loses no line when the worker is killed mid-stream and restarted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-kill9-'));
    const source = join(dir, 'input.txt');
    const sink = join(dir, 'output.txt');
    const topic = uniqueName('kill9');
    const total = 20_000;
    writeFileSync(source, Array.from({ length: total / 2 }, (_, i) => `line-${i}`).join('\n') + '\n');
    const connectors: Record<string, string>[] = [
      { name: 'src', 'connector.class': 'FileStreamSource', file: source, topic, 'batch.size': '500' },
      { name: 'dst', 'connector.class': 'FileStreamSink', file: sink, topics: topic },
    ];
    const first = await start(dir, connectors);
    await waitFor('some lines in the sink', () => lines(sink).length > 0);
    appendFileSync(
      source,
      Array.from({ length: total / 2 }, (_, i) => `line-${i + total / 2}`).join('\n') + '\n',
    );
    await first.stop('SIGKILL');

    await start(dir, connectors);
    const missing = (): string[] => {
      const seen = new Set(lines(sink));
      return Array.from({ length: total }, (_, i) => `line-${i}`).filter((l) => !seen.has(l));
    };
    // Duplicates are allowed (at-least-once); a missing line is not.
    await waitFor('every line in the sink', () => missing().length === 0, 60_000).catch(() => {});
    expect(missing()).toEqual([]);
  });

  it('stops a sink task at once while its consumer group waits for another member to rejoin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-sink-stop-'));
    const topic = uniqueName('rejoin');
    const name = uniqueName('sink');
    const admin = new Admin({ clientId: 'test-admin', bootstrapBrokers: [kafkaBootstrap()] });
    await admin.createTopics({ topics: [topic], partitions: 2, replicas: 1 });
    await admin.close();
    // A member of connect-<name> that heartbeats every 8 s: a newcomer's JoinGroup waits at the
    // coordinator until this member rejoins, up to 8 s.
    const other = new Consumer({
      clientId: 'slow-member',
      bootstrapBrokers: [kafkaBootstrap()],
      groupId: `connect-${name}`,
      sessionTimeout: 30_000,
      heartbeatInterval: 8_000,
    });
    const stream = await other.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest' });
    try {
      const worker = await start(dir, [
        { name, 'connector.class': 'FileStreamSink', file: join(dir, 'out.txt'), topics: topic },
      ]);
      await waitFor('the sink task RUNNING', async () => {
        const r = await http('GET', `${worker.url}/connectors/${name}/status`);
        return (r.body as { tasks?: { state: string }[] }).tasks?.[0]?.state === 'RUNNING';
      });
      await new Promise((r) => setTimeout(r, 1000)); // its JoinGroup now waits for the slow member
      const started = Date.now();
      expect(await worker.stop('SIGTERM')).toBe(0);
      const elapsed = Date.now() - started;
      expect(readFileSync(join(dir, 'weir.log'), 'utf8')).not.toContain('did not stop within');
      expect(elapsed).toBeLessThan(3000);
    } finally {
      await stream.close();
      await other.close(true);
    }
  });

  it('requires the REST token when one is set, except for /health, and resolves env placeholders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-auth-'));
    process.env.WEIR_TEST_REST_TOKEN = 's3cret';
    const worker = await startWeirStandalone({
      dir,
      bootstrap: kafkaBootstrap(),
      worker: {
        'config.providers': 'env',
        'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
        'weir.rest.token': '${env:WEIR_TEST_REST_TOKEN}',
      },
    });
    workers.push(worker);
    expect((await http('GET', `${worker.url}/health`)).status).toBe(200);
    const refused = await http('GET', `${worker.url}/connectors`);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error_code: 401 });
    const allowed = await http('GET', `${worker.url}/connectors`, undefined, {
      authorization: 'Bearer s3cret',
    });
    expect(allowed.status).toBe(200);
  });
});
