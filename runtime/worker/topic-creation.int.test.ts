// Topic creation for source connectors on the real broker: a source task creates each topic it sends to
// before the first record, with the partitions, replication factor and topic configs of the first
// topic.creation group (in the listed order) that matches the topic's name, else of `default`; an
// existing topic is left as it is; a worker with topic.creation.enable=false creates nothing; and
// invalid topic.creation settings fail the connector with Java's message.
import { Admin } from '@platformatic/kafka';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigDef, SourceConnector, SourceTask, sourceRecord, Schemas } from '../api/index.ts';
import type { Props, SourceRecord } from '../api/index.ts';
import { builtinPlugins } from '../plugins/builtin.ts';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { waitFor } from '../../tools/weir-process.ts';
import { startStandaloneHerder, type InProcessHerder } from '../herder/testing/in-process-herders.ts';

/** Sends one record to each topic of its `topics` setting, then nothing. */
class TopicsSourceTask extends SourceTask {
  private topics: string[] = [];
  version(): string {
    return '1';
  }
  start(props: Props): void {
    this.topics = (props['topics'] ?? '').split(',');
  }
  async poll(): Promise<SourceRecord[] | null> {
    const topics = this.topics.splice(0);
    if (topics.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return null;
    }
    return topics.map((topic) => sourceRecord({ topic, valueSchema: Schemas.STRING, value: topic }));
  }
  stop(): void {}
}

class TopicsSource extends SourceConnector {
  private props: Props = {};
  version(): string {
    return '1';
  }
  start(props: Props): void {
    this.props = props;
  }
  taskClass(): new () => SourceTask {
    return TopicsSourceTask;
  }
  taskConfigs(): Props[] {
    return [this.props];
  }
  stop(): void {}
  config(): ConfigDef {
    return new ConfigDef().define('topics', { type: 'LIST', importance: 'HIGH' });
  }
}

const plugins = builtinPlugins().register({
  className: 'dev.weir.test.TopicsSource',
  type: 'source',
  version: '1',
  create: () => new TopicsSource(),
});

const work = mkdtempSync(join(tmpdir(), 'weir-topic-creation-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function herder(settings: Record<string, string> = {}): Promise<InProcessHerder> {
  const started = await startStandaloneHerder({
    bootstrap: kafkaBootstrap(),
    plugins,
    name: join(work, `${uniqueName('offsets')}.txt`),
    settings,
  });
  cleanups.push(() => started.stop());
  return started;
}

function admin(): Admin {
  const client = new Admin({ clientId: 'topic-creation-test', bootstrapBrokers: [kafkaBootstrap()] });
  cleanups.push(() => client.close());
  return client;
}

/** Partitions and the given topic configs of a topic, once it exists. */
async function describeTopic(client: Admin, topic: string, keys: string[]) {
  let partitions = 0;
  await waitFor(`topic ${topic}`, async () => {
    const topics = await client.listTopics();
    if (!topics.includes(topic)) return false;
    const metadata = await client.metadata({ topics: [topic], forceUpdate: true });
    partitions = metadata.topics.get(topic)?.partitionsCount ?? 0;
    return partitions > 0;
  });
  const [description] = await client.describeConfigs({
    resources: [{ resourceType: 2, resourceName: topic, configurationKeys: keys }],
  });
  const configs = Object.fromEntries((description?.configs ?? []).map((c) => [c.name, c.value]));
  return { partitions, configs };
}

describe('source connector topic creation', () => {
  it('creates each topic with the first matching group, in the listed order, else default', async () => {
    const prefix = uniqueName('tc');
    const topics = {
      compacted: `${prefix}-state-a`,
      excluded: `${prefix}-state-tmp`,
      logs: `${prefix}-logs-1`,
      plain: `${prefix}-plain`,
      existing: `${prefix}-existing`,
    };
    const client = admin();
    await client.createTopics({ topics: [topics.existing], partitions: 1, replicas: 1 });
    const { herder: h } = await herder();
    await h.putConnectorConfig(
      `${prefix}-src`,
      {
        'connector.class': 'dev.weir.test.TopicsSource',
        topics: Object.values(topics).join(','),
        'topic.creation.groups': 'compacted,logs',
        'topic.creation.default.replication.factor': '1',
        'topic.creation.default.partitions': '2',
        'topic.creation.default.retention.ms': '3600000',
        'topic.creation.compacted.include': `${prefix}-state-.*`,
        'topic.creation.compacted.exclude': `${prefix}-state-tmp`,
        'topic.creation.compacted.partitions': '1',
        'topic.creation.compacted.cleanup.policy': 'compact',
        // Matches every name, but comes after `compacted`.
        'topic.creation.logs.include': `${prefix}-.*-1, ${prefix}-state-.*, ${prefix}-existing`,
        'topic.creation.logs.partitions': '3',
        'topic.creation.logs.compression.type': 'gzip',
      },
      { allowReplace: false },
    );
    const keys = ['cleanup.policy', 'retention.ms', 'compression.type'];
    const [compacted, excluded, logs, plain, existing] = await Promise.all(
      Object.values(topics).map((t) => describeTopic(client, t, keys)),
    );
    console.log('created topics:', JSON.stringify({ compacted, excluded, logs, plain, existing }));
    expect(compacted?.partitions).toBe(1);
    expect(compacted?.configs['cleanup.policy']).toBe('compact');
    expect(excluded?.partitions).toBe(3);
    expect(excluded?.configs['compression.type']).toBe('gzip');
    expect(logs?.partitions).toBe(3);
    expect(logs?.configs['compression.type']).toBe('gzip');
    expect(logs?.configs['cleanup.policy']).toBe('delete');
    expect(plain?.partitions).toBe(2);
    expect(plain?.configs['retention.ms']).toBe('3600000');
    expect(plain?.configs['compression.type']).toBe('producer');
    expect(existing?.partitions).toBe(1);
    expect(existing?.configs['compression.type']).toBe('producer');
    const status = await h.connectorStatus(`${prefix}-src`);
    expect(status.tasks.map((t) => t.state)).toEqual(['RUNNING']);
  });

  it('creates nothing with the worker switch off, and fails a connector with invalid settings', async () => {
    const prefix = uniqueName('tc-off');
    const { herder: off } = await herder({ 'topic.creation.enable': 'false' });
    await off.putConnectorConfig(
      `${prefix}-off`,
      {
        'connector.class': 'dev.weir.test.TopicsSource',
        topics: `${prefix}-x`,
        'topic.creation.default.replication.factor': '1',
        'topic.creation.default.partitions': '4',
      },
      { allowReplace: false },
    );
    // The producer's metadata lets the broker create it with its defaults (1 partition in tests).
    expect((await describeTopic(admin(), `${prefix}-x`, [])).partitions).toBe(1);

    const { herder: on } = await herder();
    await on.putConnectorConfig(
      `${prefix}-bad`,
      {
        'connector.class': 'dev.weir.test.TopicsSource',
        topics: `${prefix}-y`,
        'topic.creation.default.partitions': '4',
      },
      { allowReplace: false },
    );
    await waitFor('the connector FAILED', async () => {
      const status = await on.connectorStatus(`${prefix}-bad`);
      return status.connector.state === 'FAILED';
    });
    const { connector } = await on.connectorStatus(`${prefix}-bad`);
    expect(connector.trace).toContain(
      'Missing required configuration "topic.creation.default.replication.factor" which has no default value.',
    );
  });
});
