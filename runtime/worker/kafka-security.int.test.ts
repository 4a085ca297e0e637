// The worker's Kafka clients against a broker that requires TLS or SASL: each mechanism (admin,
// producer and consumer as the worker makes them), PEM trust and key material in the forms Java and
// the operator write, clear errors for wrong credentials and untrusted certificates, and a distributed
// worker pair running a FileStream pipeline entirely over SASL_SSL with SCRAM-SHA-512.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupKafkaClusterId } from '../cli/standalone.ts';
import { resolveWorkerProperties } from '../config/config-providers.ts';
import { parseWorkerConfig, standaloneWorkerConfigDef, type WorkerConfig } from '../config/worker-config.ts';
import {
  clientSecuritySettings,
  type ClientLogin,
  type SaslMechanism,
  type SecureListener,
} from '../../tools/kafka/security.ts';
import { REPO_ROOT, startBroker, stopBroker, type BrokerState } from '../../tools/kafka/testbed.ts';
import { uniqueName } from '../../tools/vitest/kafka.ts';
import { WeirCluster } from '../../tools/weir-cluster.ts';
import { http, toProperties, waitFor } from '../../tools/weir-process.ts';
import { baseClientOptions, consumerOptions, producerOptions } from './kafka-clients.ts';

const USERS = { alice: 'alice-secret', bob: 'bob-secret' };
const work = mkdtempSync(join(tmpdir(), 'weir-kafka-security-'));
let broker: BrokerState;

beforeAll(async () => {
  broker = await startBroker({
    dir: join(work, 'kafka'),
    security: { listeners: ['SASL_PLAINTEXT', 'SSL', 'SASL_SSL', 'MTLS'], users: USERS },
  });
});

afterAll(async () => {
  await stopBroker(join(work, 'kafka'));
  rmSync(work, { recursive: true, force: true });
});

const certificates = () => broker.security!.certificates!;

/** Worker settings for a listener (and login), with `extra` settings on top. */
function settings(
  listener: SecureListener,
  login?: ClientLogin,
  extra: Record<string, string> = {},
): Record<string, string> {
  const { bootstrap, settings: security } = clientSecuritySettings(broker, listener, login);
  return { 'bootstrap.servers': bootstrap, ...security, ...extra };
}

function workerConfig(props: Record<string, string>): WorkerConfig {
  return parseWorkerConfig(
    resolveWorkerProperties({
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.storage.file.filename': join(work, 'unused.offsets'),
      ...props,
    }),
    standaloneWorkerConfigDef(),
  );
}

/** A topic made by the worker's admin client, a record sent by its producer and read by its consumer. */
async function roundTrip(config: WorkerConfig): Promise<string> {
  const topic = uniqueName('secure');
  const admin = new Admin(baseClientOptions(config, uniqueName('admin'), 'admin'));
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  await admin.close();
  const producer = new Producer({
    ...producerOptions(config, {}, uniqueName('producer')),
    serializers: stringSerializers,
  });
  await producer.send({ messages: [{ topic, key: 'k', value: topic }] });
  await producer.close();
  const consumer = new Consumer({
    ...consumerOptions(config, {}, uniqueName('consumer'), uniqueName('group')),
    deserializers: stringDeserializers,
  });
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  let value = '';
  for await (const message of stream) {
    value = message.value;
    break;
  }
  await stream.close();
  await consumer.close();
  return value;
}

describe("the worker's Kafka clients on secure listeners", () => {
  it.each<[SecureListener, SaslMechanism, string]>([
    ['SASL_PLAINTEXT', 'SCRAM-SHA-256', 'alice'],
    ['SASL_PLAINTEXT', 'SCRAM-SHA-512', 'bob'],
    ['SASL_PLAINTEXT', 'PLAIN', 'alice'],
    ['SASL_SSL', 'SCRAM-SHA-256', 'bob'],
    ['SASL_SSL', 'SCRAM-SHA-512', 'alice'],
    ['SASL_SSL', 'PLAIN', 'bob'],
  ])('%s with %s: admin, producer and consumer', async (listener, mechanism, username) => {
    const config = workerConfig(
      settings(listener, { mechanism, username, password: USERS[username as keyof typeof USERS] }),
    );
    expect(await roundTrip(config)).toMatch(/^secure-/);
  });

  it('SSL with the CA as a PEM truststore file, and as a glob over a folder (trustedCertificates pattern)', async () => {
    expect(await roundTrip(workerConfig(settings('SSL')))).toMatch(/^secure-/);
    const glob = join(dirname(certificates().caFile), '*.crt');
    expect(
      await roundTrip(workerConfig(settings('SSL', undefined, { 'ssl.truststore.location': glob }))),
    ).toMatch(/^secure-/);
  });

  it('mutual TLS with a PEM keystore file (key and chain in one, as Java reads it)', async () => {
    expect(await roundTrip(workerConfig(settings('MTLS')))).toMatch(/^secure-/);
  });

  it('mutual TLS with the chain and key read through the directory config provider, as the operator writes', async () => {
    const dir = dirname(certificates().clientCertFile);
    const props = settings('MTLS');
    delete props['ssl.keystore.location'];
    const config = workerConfig({
      ...props,
      'config.providers': 'directory',
      'config.providers.directory.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
      'ssl.keystore.certificate.chain': `\${directory:${dir}:client.crt}`,
      'ssl.keystore.key': `\${directory:${dir}:client.key}`,
    });
    expect(await roundTrip(config)).toMatch(/^secure-/);
  });

  it('a wrong password fails at once with the broker saying why, and the settings to check', async () => {
    const started = Date.now();
    const config = workerConfig(
      settings('SASL_SSL', { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'wrong' }),
    );
    await expect(lookupKafkaClusterId(config)).rejects.toThrow(
      /refused the SASL login \(Authentication failed.*invalid credentials with SASL mechanism SCRAM-SHA-512\): check the username and password in sasl\.jaas\.config/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('weir connect-distributed with a wrong password exits 1 and prints the reason in one line', async () => {
    const props = {
      ...settings('SASL_PLAINTEXT', { mechanism: 'PLAIN', username: 'bob', password: 'wrong' }),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'group.id': uniqueName('connect'),
      'config.storage.topic': uniqueName('configs'),
      'offset.storage.topic': uniqueName('offsets'),
      'status.storage.topic': uniqueName('status'),
      listeners: 'http://127.0.0.1:0',
    };
    const file = join(work, `${uniqueName('worker')}.properties`);
    writeFileSync(file, toProperties(props));
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'weir.js'), 'connect-distributed', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^weir: Cannot connect to Kafka at bootstrap\.servers=\S+: the brokers refused the SASL login \(Authentication failed[^)]*\): check the username and password in sasl\.jaas\.config and sasl\.mechanism\.$/m,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('an untrusted broker certificate fails at once, naming the truststore settings', async () => {
    const props = settings('SSL');
    delete props['ssl.truststore.location'];
    await expect(lookupKafkaClusterId(workerConfig(props))).rejects.toThrow(
      /TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE.*ssl\.truststore\.location or ssl\.truststore\.certificates/,
    );
  });

  it('a plaintext client on a TLS listener is told to use SSL', async () => {
    const props = settings('SSL', undefined, { 'security.protocol': 'PLAINTEXT' });
    await expect(lookupKafkaClusterId(workerConfig(props))).rejects.toThrow(
      /the listener speaks TLS: set security\.protocol to SSL or SASL_SSL/,
    );
  });

  it('mutual TLS without a client certificate is refused (no hang)', async () => {
    const props = settings('MTLS');
    delete props['ssl.keystore.location'];
    await expect(lookupKafkaClusterId(workerConfig(props), 3000)).rejects.toThrow(
      /within 3 s .*security\.protocol matches the listener/,
    );
  });
});

// Only the SASL_SSL address is given, and the broker advertises per listener, so every connection
// (internal topics, the group coordinator, tasks' producers and consumers, admin) logs in over TLS:
// a group client without the worker's SASL settings never joins and the workers never answer.
describe('a distributed worker pair over SASL_SSL with SCRAM-SHA-512', () => {
  it('runs FileStreamSource → FileStreamSink: internal topics, group, producer, consumer, admin', async () => {
    const login = { mechanism: 'SCRAM-SHA-512', username: 'alice', password: USERS.alice } as const;
    const { bootstrap, settings: security } = clientSecuritySettings(broker, 'SASL_SSL', login);
    const groupId = uniqueName('connect');
    const token = 'admin-token';
    const cluster = new WeirCluster({
      bootstrap,
      groupId,
      worker: { ...security, 'weir.admin.token': token },
    });
    try {
      const [a, b] = await cluster.add(2);
      await waitFor('both workers in the group', async () => {
        const r = await http('GET', `${a!.url}/admin/workers`, undefined, {
          authorization: `Bearer ${token}`,
        });
        return r.status === 200 && (r.body as unknown[]).length === 2;
      });
      const topic = uniqueName('lines');
      const input = join(cluster.dir, 'in.txt');
      const output = join(cluster.dir, 'out.txt');
      writeFileSync(input, 'one\ntwo\n');
      const put = (via: string, name: string, config: Record<string, string>) =>
        waitFor(`PUT ${name}`, async () => {
          const r = await http('PUT', `${via}/connectors/${name}/config`, config);
          return r.status === 201 || r.status === 200 ? r : undefined;
        });
      const [source, sink] = [uniqueName('source'), uniqueName('sink')];
      await put(a!.url, source, { 'connector.class': 'FileStreamSource', file: input, topic });
      await put(b!.url, sink, { 'connector.class': 'FileStreamSink', file: output, topics: topic });
      await cluster.waitRunning(source, 1);
      await cluster.waitRunning(sink, 1);
      appendFileSync(input, 'three\n');
      const lines = () =>
        existsSync(output) ? readFileSync(output, 'utf8').split('\n').filter(Boolean) : [];
      await waitFor('three lines in the sink file', () => lines().length >= 3, 30_000);
      expect(lines()).toEqual(['one', 'two', 'three']);

      // Everything the workers made lives on the broker, seen through the same listener.
      const admin = new Admin({
        ...baseClientOptions(workerConfig({ 'bootstrap.servers': bootstrap, ...security }), 'check'),
      });
      const topics = await admin.listTopics();
      // Not the workers' own group: Admin.describeGroups decodes members as consumers and throws an
      // uncaught error on the connect protocol's metadata.
      const groups = await admin.describeGroups({ groups: [`connect-${sink}`] });
      await admin.close();
      expect(topics).toEqual(
        expect.arrayContaining([`${groupId}-configs`, `${groupId}-offsets`, `${groupId}-status`, topic]),
      );
      expect(groups.get(`connect-${sink}`)?.members.size).toBe(1);
    } finally {
      await cluster.stop();
    }
  }, 120_000);
});
