// The operator's Kafka authentication for real, against a broker reachable from pods that requires
// it (a server certificate from a test CA): examples/scram-auth as written (SASL_SSL, SCRAM-SHA-512,
// the CA and the password in Secrets named as the example names them) with its log-printing sink
// and a FileStreamSource on a hostPath; a wrong password in the Secret, then the right one again;
// and `authentication: tls` (a client certificate from a Secret, trusted certificates by pattern)
// on a listener that requires client certificates. `weir operator` runs as a process scoped to
// this test's namespace. Everything turns Ready, lines flow, and neither passwords, keys nor
// certificates are written into the worker configuration.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaConnect, KafkaConnector } from '../operator/api/types.ts';
import { REPO_ROOT } from '../tools/kafka/testbed.ts';
import { conditionTrue as ready, eventually, isReady } from './kube.ts';
import { podLog } from './operator-release.ts';
import { OperatorTestBed } from './operator-test-bed.ts';

const EXAMPLE = join(REPO_ROOT, 'examples', 'scram-auth');
const PASSWORD = 'connect-scram-secret';
const SOURCE = 'lines-to-audit';

const bed = new OperatorTestBed({
  namespaces: ['e2e-auth'],
  operator: 'process',
  data: true,
  brokerSecurity: { listeners: ['SASL_SSL', 'MTLS'], users: { connect: PASSWORD } },
});
const { k, namespace, dataDir, kubectl } = bed;

const getJson = <T>(...what: string[]): T => JSON.parse(kubectl(['get', ...what, '-o', 'json'])) as T;

const workerPods = (cluster: string) => bed.workerPods(cluster);

/** Sets the password in the Secret `connect` (the operator watches it and rolls the workers). */
function setPassword(password: string): void {
  kubectl(['patch', 'secret', 'connect', '--type=merge', '-p', JSON.stringify({ stringData: { password } })]);
}

function secret(name: string, data: Record<string, string>) {
  return k.core.createNamespacedSecret({
    namespace,
    body: { metadata: { name }, stringData: data },
  });
}

beforeAll(async () => {
  await bed.start();
  writeFileSync(join(dataDir, 'in.txt'), 'audit-1\naudit-2\n');
  const { broker } = bed;
  // The Secrets as Strimzi would hold them: the cluster CA and the KafkaUser's password.
  await secret('my-cluster-cluster-ca-cert', {
    'ca.crt': readFileSync(broker.security!.certificates!.caFile, 'utf8'),
  });
  await secret('connect', { password: PASSWORD });
  const tls = broker.security!.certificates!;
  await secret('connect-tls', {
    'user.crt': readFileSync(tls.clientCertFile, 'utf8'),
    'user.key': readFileSync(tls.clientKeyFile, 'utf8'),
  });
}, 180_000);

afterAll(() => bed.stop(), 120_000);

describe('examples/scram-auth against a broker that requires SASL_SSL', () => {
  it('the KafkaConnect and its connectors turn Ready and lines flow', async () => {
    const objects = readFileSync(join(EXAMPLE, 'kafka-connect.yaml'), 'utf8');
    const [connect, sink] = loadAll(objects) as [KafkaConnect, KafkaConnector];
    // This machine's broker (its SASL_SSL listener only), one broker and one worker to spare the
    // shared machine; the rest of the example as it is.
    connect.spec.bootstrapServers = bed.broker.security!.listeners.SASL_SSL!;
    connect.spec.replicas = 1;
    Object.assign(connect.spec.config!, {
      // FileStreamSink writes what it was given at each offset flush (by default every 60 s).
      'offset.flush.interval.ms': 2000,
      'config.storage.replication.factor': 1,
      'offset.storage.replication.factor': 1,
      'status.storage.replication.factor': 1,
    });
    connect.spec.template = bed.dataTemplate();
    const source: KafkaConnector = {
      apiVersion: 'weir.dev/v1beta1',
      kind: 'KafkaConnector',
      metadata: { name: SOURCE, labels: { 'weir.dev/cluster': connect.metadata.name } },
      spec: {
        class: 'FileStreamSource',
        tasksMax: 1,
        config: {
          file: '/data/in.txt',
          topic: 'audit',
          'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        },
      },
    };
    kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [connect, sink, source] }),
    );

    const name = connect.metadata.name;
    const started = Date.now();
    const kc = await eventually(
      `KafkaConnect ${name} Ready`,
      async () => {
        const o = getJson<KafkaConnect>(`kafkaconnect/${name}`);
        return ready(o) && o.status?.connectorPlugins?.length ? o : undefined;
      },
      150_000,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await bed.workerLogs(name)}`);
    });
    expect(kc.status?.replicas).toBe(1);
    const connectReadyMs = Date.now() - started;
    for (const connector of [sink.metadata.name, SOURCE]) {
      await eventually(`KafkaConnector ${connector} Ready`, async () =>
        ready(getJson<KafkaConnector>(`kafkaconnector/${connector}`)) ? true : undefined,
      );
    }

    // The sink prints each record of `audit` to the worker's standard output, its log.
    appendFileSync(join(dataDir, 'in.txt'), 'audit-3\n');
    const [pod] = (await workerPods(name)).filter(isReady);
    const printed = () => printedLines(pod!);
    await eventually('the three lines in the worker log', async () =>
      printed().length >= 3 ? true : undefined,
    );
    expect(printed()).toEqual(['audit-1', 'audit-2', 'audit-3']);
    console.log(
      `scram-auth e2e: KafkaConnect Ready in ${connectReadyMs} ms, connectors Ready and lines through in ${Date.now() - started} ms`,
    );

    // The worker settings point at the mounted Secrets; the secrets themselves are not in them.
    const configMap = await k.core.readNamespacedConfigMap({ name: `${name}-connect-config`, namespace });
    const properties = configMap.data?.['worker.properties'] ?? '';
    expect(properties).toContain('security.protocol=SASL_SSL');
    expect(properties).toContain('sasl.mechanism=SCRAM-SHA-512');
    expect(properties).toContain(
      'ssl.truststore.location=/etc/weir/tls/trusted/my-cluster-cluster-ca-cert/ca.crt',
    );
    expect(properties).toContain('password="${directory:/etc/weir/secrets/sasl:password}"');
    expect(properties).not.toContain(PASSWORD);
    expect(properties).not.toContain('BEGIN CERTIFICATE');
  }, 180_000);

  it('a wrong password in the Secret: the new worker exits saying why, the old one keeps working; fixed, it rolls on', async () => {
    const name = 'secure';
    const [before] = (await workerPods(name)).filter(isReady);
    setPassword('not-the-password');
    // A changed Secret rolls the workers; the new pod cannot log in and says so in one line.
    const failing = await eventually(
      'a new worker pod whose log names the refused login',
      async () =>
        (await workerPods(name)).find(
          (p) =>
            p.metadata?.uid !== before!.metadata?.uid &&
            /the brokers refused the SASL login \(Authentication failed.*SCRAM-SHA-512\): check the username and password in sasl\.jaas\.config/.test(
              podLog(bed.kubeconfig, p, 'connect', 50),
            ),
        ),
      90_000,
    );
    expect(podLog(bed.kubeconfig, failing, 'connect', 50)).not.toMatch(/\n\s+at /);
    const rolling = getJson<KafkaConnect>(`kafkaconnect/${name}`);
    expect(rolling.status?.conditions?.find((c) => c.type === 'Ready')?.status).not.toBe('True');
    // The old worker (maxUnavailable 0) still runs with the password it read at start.
    appendFileSync(join(dataDir, 'in.txt'), 'audit-4\n');
    await eventually('audit-4 printed by the old worker', async () =>
      printedLines(before!).includes('audit-4') ? true : undefined,
    );

    setPassword(PASSWORD);
    await eventually(
      'the KafkaConnect Ready on a new worker',
      async () => {
        const o = getJson<KafkaConnect>(`kafkaconnect/${name}`);
        const pods = (await workerPods(name)).filter(isReady);
        return ready(o) && pods.length === 1 && pods[0]!.metadata?.uid !== before!.metadata?.uid
          ? pods[0]
          : undefined;
      },
      150_000,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await bed.workerLogs(name)}`);
    });
    const [after] = (await workerPods(name)).filter(isReady);
    appendFileSync(join(dataDir, 'in.txt'), 'audit-5\n');
    await eventually('audit-5 printed by the new worker', async () =>
      printedLines(after!).includes('audit-5') ? true : undefined,
    );
  }, 300_000);
});

describe('authentication tls against a listener that requires a client certificate', () => {
  it('a client certificate and key from a Secret, trusted certificates by pattern: Ready, lines flow', async () => {
    const name = 'mutual';
    const connect: KafkaConnect = {
      apiVersion: 'weir.dev/v1beta1',
      kind: 'KafkaConnect',
      metadata: { name },
      spec: {
        replicas: 1,
        bootstrapServers: bed.broker.security!.listeners.MTLS!,
        tls: { trustedCertificates: [{ secretName: 'my-cluster-cluster-ca-cert', pattern: '*.crt' }] },
        authentication: {
          type: 'tls',
          certificateAndKey: { secretName: 'connect-tls', certificate: 'user.crt', key: 'user.key' },
        },
        config: {
          'offset.flush.interval.ms': 1000,
          'config.storage.replication.factor': 1,
          'offset.storage.replication.factor': 1,
          'status.storage.replication.factor': 1,
        },
        template: bed.dataTemplate(),
      },
    };
    const connector = (cls: string, config: Record<string, string>): KafkaConnector => ({
      apiVersion: 'weir.dev/v1beta1',
      kind: 'KafkaConnector',
      metadata: { name: `${name}-${cls.toLowerCase()}`, labels: { 'weir.dev/cluster': name } },
      spec: { class: cls, tasksMax: 1, config },
    });
    writeFileSync(join(dataDir, 'mutual.txt'), 'm-1\nm-2\n');
    const items = [
      connect,
      connector('FileStreamSource', { file: '/data/mutual.txt', topic: 'mutual' }),
      connector('FileStreamSink', { file: '/data/mutual.sink.txt', topics: 'mutual' }),
    ];
    kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    await eventually(
      `KafkaConnect ${name} Ready`,
      async () => (ready(getJson<KafkaConnect>(`kafkaconnect/${name}`)) ? true : undefined),
      150_000,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await bed.workerLogs(name)}`);
    });
    const sinkLines = () => bed.dataLines('mutual.sink.txt');
    await eventually('both lines in mutual.sink.txt', async () =>
      sinkLines().length >= 2 ? true : undefined,
    );
    expect(sinkLines()).toEqual(['m-1', 'm-2']);
    const configMap = await k.core.readNamespacedConfigMap({ name: `${name}-connect-config`, namespace });
    const properties = configMap.data?.['worker.properties'] ?? '';
    expect(properties).toContain(
      'ssl.truststore.location=/etc/weir/tls/trusted/my-cluster-cluster-ca-cert/*.crt',
    );
    expect(properties).toContain('ssl.keystore.key=${directory:/etc/weir/tls/client:user.key}');
    expect(properties).not.toContain('BEGIN');
  }, 180_000);
});

/** What the example's sink printed (lines audit-N) into a worker pod's log. */
function printedLines(pod: V1Pod): string[] {
  return podLog(bed.kubeconfig, pod, 'connect', 10_000)
    .split('\n')
    .filter((l) => /^audit-\d+$/.test(l));
}
