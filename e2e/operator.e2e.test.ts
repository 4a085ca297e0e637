// The operator end to end on the local cluster: CRDs applied with kubectl, `weir operator` as a
// child process, a real broker reachable from pods, a KafkaConnect of 3 workers and the seed's two
// FileStream connectors as KafkaConnectors with their files on a hostPath volume. Lines flow from
// test.txt to test.sink.txt, both resources turn Ready, and the rest of the life follows.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { KubeClient, RESOURCES, resourcePath } from '../operator/kube/client.ts';
import type { KafkaConnect, KafkaConnector } from '../operator/api/types.ts';
import { REPO_ROOT, startBroker, stopBroker, type BrokerState } from '../tools/kafka/testbed.ts';
import { hostAddressForPods } from './cluster/cluster.ts';
import { binary } from './cluster/build.ts';
import { createNamespace, eventually, kube, type Kube } from './kube.ts';

const CONNECT = 'files';
let k: Kube;
let client: KubeClient;
let namespace: string;
let broker: BrokerState;
let operator: ChildProcess | undefined;
// Not under /tmp: the workers mount an emptyDir there, which would hide a hostPath below it.
const work = mkdtempSync(join(REPO_ROOT, '.weir', 'operator-e2e-'));
const brokerDir = join(work, 'kafka');
const dataDir = join(work, 'data');
const operatorLog = join(work, 'operator.log');

function startOperator(): ChildProcess {
  const out = createWriteStream(operatorLog, { flags: 'a' });
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'bin', 'weir.js'),
      'operator',
      '--kubeconfig',
      inject('kubeconfig'),
      '--namespace',
      namespace,
      '--lease-namespace',
      namespace,
      '--metrics-port',
      '0',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}

async function stopOperator(): Promise<void> {
  const child = operator;
  operator = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const path = (kind: 'KafkaConnect' | 'KafkaConnector', name?: string) =>
  resourcePath(RESOURCES[kind], namespace, name);

async function get<T>(kind: 'KafkaConnect' | 'KafkaConnector', name: string): Promise<T | undefined> {
  return client.get<T & KubernetesObject>(RESOURCES[kind], namespace, name);
}

async function create(obj: KafkaConnect | KafkaConnector): Promise<void> {
  await client.request('POST', path(obj.kind), { body: obj });
}

const ready = (o: { status?: { conditions?: { type: string; status: string }[] } } | undefined) =>
  o?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function connector(name: string, cls: string, config: Record<string, string>): KafkaConnector {
  return {
    apiVersion: 'weir.dev/v1beta1',
    kind: 'KafkaConnector',
    metadata: { name, namespace, labels: { 'weir.dev/cluster': CONNECT } },
    spec: { class: cls, tasksMax: 1, config },
  };
}

function sinkLines(): string[] {
  try {
    return readFileSync(join(dataDir, 'test.sink.txt'), 'utf8')
      .split('\n')
      .filter((l) => l);
  } catch {
    return [];
  }
}

beforeAll(async () => {
  k = kube(inject('kubeconfig'));
  const kc = new KubeConfig();
  kc.loadFromFile(inject('kubeconfig'));
  client = new KubeClient(kc);
  execFileSync(
    binary('kubectl'),
    ['--kubeconfig', inject('kubeconfig'), 'apply', '-f', join(REPO_ROOT, 'crds')],
    {
      stdio: 'pipe',
    },
  );
  namespace = await createNamespace(k, 'e2e-operator');
  execFileSync('mkdir', ['-p', dataDir]);
  writeFileSync(join(dataDir, 'test.txt'), ['foo', 'bar'].join('\n') + '\n');
  broker = await startBroker({ dir: brokerDir, host: hostAddressForPods() });
  operator = startOperator();
}, 180_000);

afterAll(async () => {
  // Connectors first, while the operator runs (their finalizer), then everything else.
  for (const name of ['local-file-source', 'local-file-sink']) {
    await client?.request('DELETE', path('KafkaConnector', name)).catch(() => {});
  }
  await eventually('connectors gone', async () =>
    (await get('KafkaConnector', 'local-file-source')) || (await get('KafkaConnector', 'local-file-sink'))
      ? undefined
      : true,
  ).catch(() => {});
  await stopOperator();
  await k?.core.deleteNamespace({ name: namespace }).catch(() => {});
  await stopBroker(brokerDir).catch(() => {});
  if (process.env.WEIR_E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('weir operator', () => {
  it('runs a KafkaConnect of 3 workers and the seed connectors: lines flow, both Ready', async () => {
    const started = Date.now();
    await create({
      apiVersion: 'weir.dev/v1beta1',
      kind: 'KafkaConnect',
      metadata: { name: CONNECT, namespace },
      spec: {
        replicas: 3,
        bootstrapServers: broker.bootstrap,
        config: { 'offset.flush.interval.ms': 1000 },
        template: {
          pod: { volumes: [{ name: 'data', hostPath: { path: dataDir, type: 'Directory' } }] },
          connectContainer: { volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        },
      },
    });
    const kc = await eventually(
      'KafkaConnect Ready',
      async () => {
        const o = await get<KafkaConnect>('KafkaConnect', CONNECT);
        return ready(o) && o?.status?.connectorPlugins?.length ? o : undefined;
      },
      120_000,
    );
    const connectReadyMs = Date.now() - started;
    expect(kc.status?.replicas).toBe(3);
    expect(kc.status?.labelSelector).toBe('weir.dev/cluster=files,weir.dev/kind=KafkaConnect');
    expect(kc.status?.connectorPlugins?.map((p) => p.class)).toContain(
      'org.apache.kafka.connect.file.FileStreamSourceConnector',
    );

    const applied = Date.now();
    await create(
      connector('local-file-source', 'FileStreamSource', { file: '/data/test.txt', topic: 'connect-test' }),
    );
    await create(
      connector('local-file-sink', 'FileStreamSink', { file: '/data/test.sink.txt', topics: 'connect-test' }),
    );
    for (const name of ['local-file-source', 'local-file-sink']) {
      const ktr = await eventually(`${name} Ready`, async () => {
        const o = await get<KafkaConnector>('KafkaConnector', name);
        return ready(o) ? o : undefined;
      });
      expect(ktr.status?.connectorStatus?.connector.state).toBe('RUNNING');
      expect(ktr.status?.connectorStatus?.tasks.map((t) => t.state)).toEqual(['RUNNING']);
      expect(ktr.metadata.finalizers).toContain('weir.dev/connector');
    }
    const runningMs = Date.now() - applied;
    await eventually('lines in test.sink.txt', async () => (sinkLines().length >= 2 ? true : undefined));
    appendFileSync(join(dataDir, 'test.txt'), 'baz\n');
    await eventually('a new line in test.sink.txt', async () => (sinkLines().length >= 3 ? true : undefined));
    expect(sinkLines()).toEqual(['foo', 'bar', 'baz']);
    console.log(
      `operator e2e: KafkaConnect Ready in ${connectReadyMs} ms; connectors RUNNING ${runningMs} ms after apply`,
    );
  }, 240_000);
});
