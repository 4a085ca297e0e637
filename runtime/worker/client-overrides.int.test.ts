// A connector with credentials of its own, on a broker that requires SASL and authorizes with ACLs:
// the worker logs in as alice, who may not read the topic; a sink connector whose consumer logs in
// as bob (consumer.override.sasl.jaas.config) reads it. A worker whose override policy is None
// refuses that config in validate and on PUT.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AclOperations,
  AclPermissionTypes,
  Admin,
  Consumer,
  Producer,
  ResourcePatternTypes,
  ResourceTypes,
  type ResourceTypeValue,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkerConfig, standaloneWorkerConfigDef } from '../config/worker-config.ts';
import { clientSecuritySettings } from '../../tools/kafka/security.ts';
import { startBroker, stopBroker, type BrokerState } from '../../tools/kafka/testbed.ts';
import { uniqueName } from '../../tools/vitest/kafka.ts';
import { http, startWeirStandalone, waitFor, type WeirProcess } from '../../tools/weir-process.ts';
import { consumerOptions } from './kafka-clients.ts';

const USERS = { alice: 'alice-secret', bob: 'bob-secret' };
const work = mkdtempSync(join(tmpdir(), 'weir-client-overrides-'));
let broker: BrokerState;
const workers: WeirProcess[] = [];

beforeAll(async () => {
  broker = await startBroker({
    dir: join(work, 'kafka'),
    security: { listeners: ['SASL_PLAINTEXT'], users: USERS, authorizer: true },
  });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop('SIGKILL')));
});

afterAll(async () => {
  await stopBroker(join(work, 'kafka'));
  rmSync(work, { recursive: true, force: true });
});

/** Client settings logging in as `user` with SCRAM-SHA-512 over SASL_PLAINTEXT. */
const login = (user: keyof typeof USERS) =>
  clientSecuritySettings(broker, 'SASL_PLAINTEXT', {
    mechanism: 'SCRAM-SHA-512',
    username: user,
    password: USERS[user],
  });

/** A topic with records only bob may read, and the sink group only bob may use (over PLAINTEXT, a super user). */
async function bobsTopic(connector: string): Promise<string> {
  const topic = uniqueName('bobs');
  const admin = new Admin({ clientId: 'test-admin', bootstrapBrokers: [broker.bootstrap] });
  try {
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
    const allowBob = (resourceType: ResourceTypeValue, resourceName: string) => ({
      resourceType,
      resourceName,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal: 'User:bob',
      host: '*',
      operation: AclOperations.READ,
      permissionType: AclPermissionTypes.ALLOW,
    });
    await admin.createAcls({
      creations: [
        allowBob(ResourceTypes.TOPIC, topic),
        allowBob(ResourceTypes.GROUP, `connect-${connector}`),
      ],
    });
  } finally {
    await admin.close();
  }
  const producer = new Producer({
    clientId: 'test-producer',
    bootstrapBrokers: [broker.bootstrap],
    serializers: stringSerializers,
  });
  await producer.send({ messages: ['one', 'two'].map((value) => ({ topic, value })) });
  await producer.close();
  return topic;
}

async function worker(extra: Record<string, string> = {}): Promise<WeirProcess> {
  const { bootstrap, settings } = login('alice');
  const started = await startWeirStandalone({
    dir: join(work, uniqueName('worker')),
    bootstrap,
    worker: {
      ...settings,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'consumer.session.timeout.ms': '6000',
      'consumer.heartbeat.interval.ms': '1000',
      ...extra,
    },
  });
  workers.push(started);
  return started;
}

describe('a sink connector logging in as its own principal', () => {
  it("reads a topic the worker's own user may not read", async () => {
    const name = uniqueName('bobs-sink');
    const topic = await bobsTopic(name);
    const output = join(work, `${name}.txt`);

    // alice, the worker's user, is refused the topic.
    const alice = login('alice');
    const config = parseWorkerConfig(
      {
        'bootstrap.servers': alice.bootstrap,
        ...alice.settings,
        'key.converter': 'x',
        'value.converter': 'x',
        'offset.storage.file.filename': join(work, 'unused.offsets'),
      },
      standaloneWorkerConfigDef(),
    );
    const consumer = new Consumer({
      ...consumerOptions(config, {}, uniqueName('alice'), `connect-${name}`),
      deserializers: stringDeserializers,
    });
    await expect(
      consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false }),
    ).rejects.toThrow();
    await consumer.close(true).catch(() => {});

    const weir = await worker();
    const created = await http('PUT', `${weir.url}/connectors/${name}/config`, {
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: output,
      'consumer.override.sasl.jaas.config': login('bob').settings['sasl.jaas.config'],
    });
    expect(created.status).toBe(201);
    await waitFor(
      'both records in the sink file',
      () => existsSync(output) && readFileSync(output, 'utf8') === 'one\ntwo\n',
      30_000,
    );
    const status = (await http('GET', `${weir.url}/connectors/${name}/status`)).body as {
      tasks: { state: string }[];
    };
    expect(status.tasks.map((t) => t.state)).toEqual(['RUNNING']);
  });

  it('is refused, with what to change, by a worker whose policy is None', async () => {
    const weir = await worker({ 'connector.client.config.override.policy': 'None' });
    const config = {
      'connector.class': 'FileStreamSink',
      topics: 'anything',
      file: join(work, 'never.txt'),
      'consumer.override.sasl.jaas.config': login('bob').settings['sasl.jaas.config'],
    };
    const refused = await http('PUT', `${weir.url}/connectors/${uniqueName('refused')}/config`, config);
    expect(refused.status).toBe(400);
    expect((refused.body as { message: string }).message).toContain(
      "The 'None' policy does not allow 'sasl.jaas.config' to be overridden in the connector configuration. " +
        'Remove consumer.override.sasl.jaas.config or allow it with connector.client.config.override.policy on the workers.',
    );
    const validated = await http('PUT', `${weir.url}/connector-plugins/FileStreamSink/config/validate`, {
      ...config,
      name: 'refused',
    });
    const body = validated.body as {
      error_count: number;
      configs: { value: { name: string; value: string; errors: string[] } }[];
    };
    expect(body.error_count).toBe(1);
    const override = body.configs.find((c) => c.value.name === 'consumer.override.sasl.jaas.config');
    expect(override?.value.value).toBe('[hidden]');
    expect(override?.value.errors).toHaveLength(1);
  });
});
