// GET /metrics of real worker processes on the real broker: a file source and sink move the counters
// a Strimzi dashboard reads, without the REST token; a distributed worker reports its rebalances.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT } from '../../tools/kafka/testbed.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import {
  http,
  startWeirDistributed,
  startWeirStandalone,
  toProperties,
  waitFor,
  type WeirProcess,
} from '../../tools/weir-process.ts';
import { parseExposition, valueOf, type Exposition } from './testing/exposition.ts';

const workers: WeirProcess[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop('SIGKILL')));
});

async function scrape(port: number): Promise<Exposition> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return parseExposition(await response.text());
}

describe('worker metrics', () => {
  it('a file source and sink move the source, sink, task and worker metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-metrics-'));
    const input = join(dir, 'input.txt');
    const output = join(dir, 'output.txt');
    const topic = uniqueName('metrics');
    const lines = 5_000;
    writeFileSync(input, Array.from({ length: lines }, (_, i) => `line-${i}`).join('\n') + '\n');
    const metricsPort = await freePort();
    const worker = await startWeirStandalone({
      dir,
      bootstrap: kafkaBootstrap(),
      worker: { 'weir.metrics.port': String(metricsPort), 'weir.rest.token': 'secret' },
      connectors: [
        { name: 'src', 'connector.class': 'FileStreamSource', file: input, topic },
        { name: 'dst', 'connector.class': 'FileStreamSink', file: output, topics: topic },
      ],
    });
    workers.push(worker);
    // The REST API wants the token; the metrics endpoint does not.
    expect((await http('GET', `${worker.url}/connectors`)).status).toBe(401);

    const src = { connector: 'src', task: '0' };
    const dst = { connector: 'dst', task: '0' };
    const m = await waitFor(
      'every line counted on both sides and an offset commit',
      async () => {
        const m = await scrape(metricsPort);
        const done =
          valueOf(m, 'kafka_connect_source_task_source_record_poll_total', src) === lines &&
          valueOf(m, 'kafka_connect_source_task_source_record_write_total', src) === lines &&
          valueOf(m, 'kafka_connect_sink_task_sink_record_read_total', dst) === lines &&
          valueOf(m, 'kafka_connect_sink_task_sink_record_send_total', dst) === lines &&
          (valueOf(m, 'kafka_connect_sink_task_offset_commit_completion_total', dst) ?? 0) >= 1;
        return done ? m : undefined;
      },
      60_000,
      250,
    );
    expect(valueOf(m, 'kafka_connect_worker_connector_count')).toBe(2);
    expect(valueOf(m, 'kafka_connect_worker_task_count')).toBe(2);
    expect(valueOf(m, 'kafka_connect_worker_connector_startup_success_total')).toBe(2);
    expect(valueOf(m, 'kafka_connect_worker_task_startup_success_total')).toBe(2);
    expect(valueOf(m, 'kafka_connect_connector_status', { connector: 'src', status: 'running' })).toBe(1);
    expect(
      valueOf(m, 'kafka_connect_connector_connector_class', {
        connector: 'dst',
        connector_class: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
      }),
    ).toBe(1);
    expect(valueOf(m, 'kafka_connect_connector_task_status', { ...dst, status: 'running' })).toBe(1);
    expect(valueOf(m, 'kafka_connect_worker_connector_running_task_count', { connector: 'src' })).toBe(1);
    expect(valueOf(m, 'kafka_connect_sink_task_partition_count', dst)).toBe(1);
    expect(valueOf(m, 'kafka_connect_source_task_source_record_active_count', src)).toBe(0);
    expect(valueOf(m, 'kafka_connect_connector_task_batch_size_max', src)).toBeGreaterThan(0);
    expect(valueOf(m, 'kafka_connect_sink_task_put_batch_max_time_ms', dst)).toBeGreaterThanOrEqual(0);
    expect(valueOf(m, 'kafka_connect_task_error_total_record_errors', dst)).toBe(0);
    expect(valueOf(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(m.types.get('kafka_connect_source_task_source_record_poll_total')).toBe('counter');
    // Standalone mode has no group, so no rebalance metrics.
    expect(m.samples.some((s) => s.name.startsWith('kafka_connect_worker_rebalance_'))).toBe(false);

    const other = await fetch(`http://127.0.0.1:${metricsPort}/connectors`);
    expect(other.status).toBe(404);
  });

  it('a distributed worker reports its completed rebalance, generation and leader', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-metrics-dist-'));
    const metricsPort = await freePort();
    const worker = await startWeirDistributed({
      dir,
      bootstrap: kafkaBootstrap(),
      groupId: uniqueName('metrics'),
      worker: { 'weir.metrics.port': String(metricsPort), 'heartbeat.interval.ms': '1000' },
    });
    workers.push(worker);
    const m = await waitFor('a completed rebalance', async () => {
      const m = await scrape(metricsPort);
      return (valueOf(m, 'kafka_connect_worker_rebalance_completed_rebalances_total') ?? 0) >= 1
        ? m
        : undefined;
    });
    expect(valueOf(m, 'kafka_connect_worker_rebalance_epoch')).toBeGreaterThanOrEqual(1);
    expect(valueOf(m, 'kafka_connect_worker_rebalance_rebalancing')).toBe(0);
    expect(valueOf(m, 'kafka_connect_worker_rebalance_time_since_last_rebalance_ms')).toBeLessThan(60_000);
    const leader = m.samples.find((s) => s.name === 'kafka_connect_worker_rebalance_leader_name');
    expect(leader?.labels.leader_name).toMatch(/^http:\/\/.+:\d+\/$/);
    expect(
      valueOf(m, 'kafka_connect_worker_rebalance_connect_protocol', { connect_protocol: 'SESSIONED' }),
    ).toBe(1);
  });

  it('a port already in use is a clear startup error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-metrics-busy-'));
    const first = await startWeirStandalone({ dir: join(dir, 'a'), bootstrap: kafkaBootstrap() });
    workers.push(first);
    const busy = new URL(first.url).port;
    const file = join(dir, 'worker.properties');
    writeFileSync(
      file,
      toProperties({
        'bootstrap.servers': kafkaBootstrap(),
        'offset.storage.file.filename': join(dir, 'offsets'),
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        listeners: `http://127.0.0.1:${await freePort()}`,
        'weir.metrics.port': busy,
      }),
    );
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'weir.js'), 'connect-standalone', file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`weir.metrics.port=${busy}: cannot serve metrics there (EADDRINUSE)`);
  });
});
