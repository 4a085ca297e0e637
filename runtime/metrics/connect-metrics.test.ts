import { describe, expect, it } from 'vitest';
import { ConnectMetrics, ConnectorMetrics } from './connect-metrics.ts';
import { SinkTaskMetrics, SourceTaskMetrics } from './task-metrics.ts';
import { parseExposition, valueOf, type Exposition } from './testing/exposition.ts';

const scrape = async (metrics: ConnectMetrics): Promise<Exposition> =>
  parseExposition(await metrics.registry.metrics());

describe('ConnectMetrics', () => {
  it('counts connectors, tasks and startups on this worker', async () => {
    const metrics = new ConnectMetrics();
    const connector = metrics.addConnector(
      new ConnectorMetrics(
        'src',
        'org.apache.kafka.connect.file.FileStreamSourceConnector',
        'source',
        '4.3.1',
      ),
    );
    metrics.recordConnectorStartup(true);
    metrics.recordConnectorStartup(false);
    const task = metrics.addTask(new SourceTaskMetrics('src', 0));
    metrics.recordTaskStartup(true);
    connector.state = 'RUNNING';
    task.setState('RUNNING');

    let m = await scrape(metrics);
    expect(valueOf(m, 'kafka_connect_worker_connector_count')).toBe(1);
    expect(valueOf(m, 'kafka_connect_worker_task_count')).toBe(1);
    expect(valueOf(m, 'kafka_connect_worker_connector_startup_attempts_total')).toBe(2);
    expect(valueOf(m, 'kafka_connect_worker_connector_startup_success_total')).toBe(1);
    expect(valueOf(m, 'kafka_connect_worker_connector_startup_failure_total')).toBe(1);
    expect(valueOf(m, 'kafka_connect_worker_task_startup_success_total')).toBe(1);
    expect(m.types.get('kafka_connect_worker_task_startup_attempts_total')).toBe('counter');
    expect(valueOf(m, 'kafka_connect_connector_status', { connector: 'src' })).toBe(1);
    expect(m.samples.find((s) => s.name === 'kafka_connect_connector_status')?.labels).toEqual({
      connector: 'src',
      status: 'running',
    });
    expect(
      valueOf(m, 'kafka_connect_connector_connector_class', {
        connector_class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      }),
    ).toBe(1);
    expect(valueOf(m, 'kafka_connect_connector_connector_type', { connector_type: 'source' })).toBe(1);
    expect(valueOf(m, 'kafka_connect_connector_connector_version', { connector_version: '4.3.1' })).toBe(1);
    expect(valueOf(m, 'kafka_connect_connector_task_status', { connector: 'src', task: '0' })).toBe(1);
    expect(m.samples.find((s) => s.name === 'kafka_connect_connector_task_status')?.labels.status).toBe(
      'running',
    );
    expect(valueOf(m, 'kafka_connect_worker_connector_total_task_count', { connector: 'src' })).toBe(1);
    expect(valueOf(m, 'kafka_connect_worker_connector_running_task_count', { connector: 'src' })).toBe(1);
    expect(valueOf(m, 'kafka_connect_worker_connector_failed_task_count', { connector: 'src' })).toBe(0);

    // A stopped connector and task disappear, as Java closes their metric groups.
    metrics.removeTask(task);
    metrics.removeConnector(connector);
    m = await scrape(metrics);
    expect(valueOf(m, 'kafka_connect_worker_connector_count')).toBe(0);
    expect(valueOf(m, 'kafka_connect_worker_task_count')).toBe(0);
    expect(m.samples.filter((s) => s.labels.connector === 'src')).toEqual([]);
  });

  it('reports one status series per connector and task: the current one', async () => {
    const metrics = new ConnectMetrics();
    const task = metrics.addTask(new SinkTaskMetrics('sink', 3));
    task.setState('RUNNING');
    task.setState('FAILED');
    const m = await scrape(metrics);
    const statuses = m.samples.filter((s) => s.name === 'kafka_connect_connector_task_status');
    expect(statuses).toEqual([
      {
        name: 'kafka_connect_connector_task_status',
        labels: { connector: 'sink', task: '3', status: 'failed' },
        value: 1,
      },
    ]);
    expect(valueOf(m, 'kafka_connect_worker_connector_failed_task_count', { connector: 'sink' })).toBe(1);
    expect(valueOf(m, 'kafka_connect_worker_connector_running_task_count', { connector: 'sink' })).toBe(0);
  });

  it('source tasks: poll and write totals as counters, batch and poll time, records in flight', async () => {
    const metrics = new ConnectMetrics();
    const task = metrics.addTask(new SourceTaskMetrics('src', 0));
    task.recordPoll(100, 4);
    task.recordPoll(300, 8);
    task.recordWrite(90, 100); // 10 filtered out
    task.recordCommit(12);
    const labels = { connector: 'src', task: '0' };
    const m = await scrape(metrics);
    expect(m.types.get('kafka_connect_source_task_source_record_poll_total')).toBe('counter');
    expect(valueOf(m, 'kafka_connect_source_task_source_record_poll_total', labels)).toBe(400);
    expect(valueOf(m, 'kafka_connect_source_task_source_record_write_total', labels)).toBe(90);
    expect(valueOf(m, 'kafka_connect_source_task_source_record_poll_rate', labels)).toBeGreaterThan(0);
    expect(valueOf(m, 'kafka_connect_source_task_source_record_active_count', labels)).toBe(300);
    expect(valueOf(m, 'kafka_connect_source_task_source_record_active_count_max', labels)).toBe(400);
    expect(valueOf(m, 'kafka_connect_source_task_poll_batch_max_time_ms', labels)).toBe(8);
    expect(valueOf(m, 'kafka_connect_source_task_poll_batch_avg_time_ms', labels)).toBe(6);
    expect(valueOf(m, 'kafka_connect_connector_task_batch_size_avg', labels)).toBe(200);
    expect(valueOf(m, 'kafka_connect_connector_task_batch_size_max', labels)).toBe(300);
    expect(valueOf(m, 'kafka_connect_connector_task_offset_commit_max_time_ms', labels)).toBe(12);
    // Sink metrics are for sink tasks only.
    expect(valueOf(m, 'kafka_connect_sink_task_sink_record_read_total', labels)).toBeUndefined();
  });

  it('sink tasks: read and send totals, put time, offset commits, partitions', async () => {
    const metrics = new ConnectMetrics();
    const task = metrics.addTask(new SinkTaskMetrics('sink', 0));
    task.recordRead(500);
    task.recordPut(450, 20);
    task.commitSeqNo++;
    task.recordCommit(3);
    task.partitionCount = 4;
    const labels = { connector: 'sink', task: '0' };
    const m = await scrape(metrics);
    expect(valueOf(m, 'kafka_connect_sink_task_sink_record_read_total', labels)).toBe(500);
    expect(valueOf(m, 'kafka_connect_sink_task_sink_record_send_total', labels)).toBe(450);
    expect(valueOf(m, 'kafka_connect_sink_task_put_batch_max_time_ms', labels)).toBe(20);
    expect(valueOf(m, 'kafka_connect_sink_task_offset_commit_completion_total', labels)).toBe(1);
    expect(valueOf(m, 'kafka_connect_sink_task_offset_commit_seq_no', labels)).toBe(1);
    expect(valueOf(m, 'kafka_connect_sink_task_partition_count', labels)).toBe(4);
    expect(valueOf(m, 'kafka_connect_connector_task_offset_commit_avg_time_ms', labels)).toBe(3);
  });

  it('an average or maximum with nothing recorded in its window is NaN, as Java reports it', async () => {
    const metrics = new ConnectMetrics();
    metrics.addTask(new SourceTaskMetrics('src', 0));
    const m = await scrape(metrics);
    const labels = { connector: 'src', task: '0' };
    expect(valueOf(m, 'kafka_connect_source_task_poll_batch_avg_time_ms', labels)).toBeNaN();
    expect(valueOf(m, 'kafka_connect_connector_task_batch_size_max', labels)).toBeNaN();
    expect(valueOf(m, 'kafka_connect_source_task_source_record_poll_rate', labels)).toBe(0);
  });

  it('record errors: failures, errors, skipped, retries, logged, dead letter queue, last error time', async () => {
    const metrics = new ConnectMetrics();
    const task = metrics.addTask(new SinkTaskMetrics('sink', 1));
    Object.assign(task.errors, {
      recordFailures: 5,
      recordErrors: 2,
      recordsSkipped: 2,
      retries: 3,
      errorsLogged: 1,
      dlqProduceRequests: 2,
      dlqProduceFailures: 1,
      lastErrorTimestamp: 1_700_000_000_000,
    });
    const labels = { connector: 'sink', task: '1' };
    const m = await scrape(metrics);
    const value = (name: string) => valueOf(m, `kafka_connect_task_error_${name}`, labels);
    expect(value('total_record_failures')).toBe(5);
    expect(value('total_record_errors')).toBe(2);
    expect(value('total_records_skipped')).toBe(2);
    expect(value('total_retries')).toBe(3);
    expect(value('total_errors_logged')).toBe(1);
    expect(value('deadletterqueue_produce_requests')).toBe(2);
    expect(value('deadletterqueue_produce_failures')).toBe(1);
    expect(value('last_error_timestamp')).toBe(1_700_000_000_000);
  });

  it('running and pause ratios over the task life', () => {
    const task = new SourceTaskMetrics('src', 0, 0);
    task.setState('RUNNING', 0);
    task.setState('PAUSED', 3_000);
    expect(task.ratio('RUNNING', 4_000)).toBeCloseTo(0.75);
    expect(task.ratio('PAUSED', 4_000)).toBeCloseTo(0.25);
  });

  it('rebalance metrics only in distributed mode', async () => {
    const metrics = new ConnectMetrics();
    expect((await metrics.registry.metrics()).includes('rebalance')).toBe(false);
    let rebalancing = true;
    const rebalance = metrics.trackRebalances({
      rebalancing: () => rebalancing,
      leaderUrl: () => 'http://10.0.0.7:8083/',
    });
    let m = await scrape(metrics);
    expect(valueOf(m, 'kafka_connect_worker_rebalance_rebalancing')).toBe(1);
    expect(valueOf(m, 'kafka_connect_worker_rebalance_completed_rebalances_total')).toBe(0);
    expect(valueOf(m, 'kafka_connect_worker_rebalance_time_since_last_rebalance_ms')).toBe(Infinity);
    rebalance.recordCompleted(7, 2, Date.now() - 5_000);
    rebalancing = false;
    m = await scrape(metrics);
    expect(valueOf(m, 'kafka_connect_worker_rebalance_rebalancing')).toBe(0);
    expect(valueOf(m, 'kafka_connect_worker_rebalance_epoch')).toBe(7);
    expect(valueOf(m, 'kafka_connect_worker_rebalance_completed_rebalances_total')).toBe(1);
    expect(valueOf(m, 'kafka_connect_worker_rebalance_time_since_last_rebalance_ms')).toBeGreaterThanOrEqual(
      5_000,
    );
    expect(
      valueOf(m, 'kafka_connect_worker_rebalance_leader_name', { leader_name: 'http://10.0.0.7:8083/' }),
    ).toBe(1);
    expect(
      valueOf(m, 'kafka_connect_worker_rebalance_connect_protocol', { connect_protocol: 'SESSIONED' }),
    ).toBe(1);
    expect(metrics.trackRebalances({ rebalancing: () => false, leaderUrl: () => undefined })).toBe(rebalance);
  });

  it('process metrics on request', async () => {
    const names = (m: ConnectMetrics) => m.registry.getMetricsAsArray().map((x) => x.name);
    expect(names(new ConnectMetrics())).not.toContain('process_cpu_seconds_total');
    expect(names(new ConnectMetrics({ defaultMetrics: true }))).toContain('process_resident_memory_bytes');
  });
});
