// What rolls the workers and what status says when the new ones fail, with the operator installed
// by the Helm chart (its Role is what the operator may do) watching this test's namespace, and a
// broker that requires SASL SCRAM-SHA-512 (SASL_PLAINTEXT):
// - a Secret the KafkaConnect refers to (its SASL password, a `template` env var) changed → the
//   workers roll within seconds (the operator watches Secrets' metadata), deleted → status names it;
// - the credentials Secret deleted → made again at once, with new tokens the workers roll to;
// - a wrong password → the new worker exits saying why; the KafkaConnect names the pod and the
//   worker's line (its termination message, FallbackToLogsOnError), Reconciling and then Stalled
//   while it crash-loops; the right password again → Ready.
// Also the node agent's side of FallbackToLogsOnError, on a container of its own.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject, V1Deployment, V1Pod, V1Secret } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition, KafkaConnect } from '../operator/api/types.ts';
import { RESOURCES, resourcePath } from '../operator/kube/client.ts';
import { makeInformer } from '../operator/kube/informer.ts';
import { ContainerRunner } from './node-agent/container.ts';
import { eventually, isReady } from './kube.ts';
import { OperatorTestBed } from './operator-test-bed.ts';

const NAME = 'secure';
const PASSWORD = 'connect-scram-secret';
const SASL_REFUSED =
  /the brokers refused the SASL login \(Authentication failed.*SCRAM-SHA-512\): check the username and password/;

const bed = new OperatorTestBed({
  namespaces: ['e2e-rollouts'],
  operator: 'chart',
  chartReplicas: 1,
  brokerSecurity: { listeners: ['SASL_PLAINTEXT'], users: { connect: PASSWORD } },
});
const { k, client, namespace } = bed;
/** The cluster's node agent turns the end of a failed container's log into its termination message. */
let agentFillsMessages = false;

const MERGE = 'application/merge-patch+json';
const secretPath = (name?: string) => resourcePath(RESOURCES.Secret, namespace, name);
const patchSecret = (name: string, stringData: Record<string, string>) =>
  client.request('PATCH', secretPath(name), { body: { stringData }, contentType: MERGE });
const createSecret = (name: string, stringData: Record<string, string>) =>
  client.request('POST', secretPath(), { body: { metadata: { name }, stringData } });

const connect = async () => (await bed.get<KafkaConnect>('KafkaConnect', NAME))!;
const condition = (kc: KafkaConnect, type: Condition['type']) =>
  kc.status?.conditions?.find((c) => c.type === type);
const configHash = async () =>
  (await client.get<V1Deployment>(RESOURCES.Deployment, namespace, `${NAME}-connect`))?.spec?.template
    ?.metadata?.annotations?.['weir.dev/config-hash'];

/** The workers, those being deleted left out. */
async function workerPods(): Promise<V1Pod[]> {
  return (await bed.workerPods(NAME)).filter((p) => !p.metadata?.deletionTimestamp);
}

/** Ready on exactly one worker pod that is not `before`; resolves to that pod. */
async function readyOnNewWorker(before: V1Pod, what: string): Promise<V1Pod> {
  return eventually(
    what,
    async () => {
      const kc = await connect();
      const pods = await workerPods();
      const ready = pods.filter(isReady);
      return condition(kc, 'Ready')?.status === 'True' &&
        pods.length === 1 &&
        ready.length === 1 &&
        ready[0]!.metadata?.uid !== before.metadata?.uid
        ? ready[0]
        : undefined;
    },
    150_000,
    500,
  ).catch(async (error: unknown) => {
    throw new Error(`${String(error)}\n${await diagnostics()}`);
  });
}

/** Seconds since `started`, for the log. */
const since = (started: number) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** A pod made by the Deployment after `started` (the roll has begun). */
async function newPodSince(before: V1Pod): Promise<V1Pod | undefined> {
  return (await workerPods()).find((p) => p.metadata?.uid !== before.metadata?.uid);
}

async function diagnostics(): Promise<string> {
  const kc = await connect().catch(() => undefined);
  return [
    `KafkaConnect status: ${JSON.stringify(kc?.status?.conditions)}`,
    await bed.workerLogs(NAME),
    await bed.operatorLogs(),
  ].join('\n');
}

/**
 * The KafkaConnect: SCRAM-SHA-512 with the password from the Secret `connect`, an env var from the
 * Secret `connect-extra`.
 */
function secureConnect(): KafkaConnect {
  return {
    apiVersion: 'weir.dev/v1beta1',
    kind: 'KafkaConnect',
    metadata: { name: NAME, namespace },
    spec: {
      replicas: 1,
      bootstrapServers: bed.broker.security!.listeners.SASL_PLAINTEXT!,
      authentication: {
        type: 'scram-sha-512',
        username: 'connect',
        passwordSecret: { secretName: 'connect', password: 'password' },
      },
      config: {
        'config.storage.replication.factor': 1,
        'offset.storage.replication.factor': 1,
        'status.storage.replication.factor': 1,
      },
      template: {
        connectContainer: {
          env: [{ name: 'NOTE', valueFrom: { secretKeyRef: { name: 'connect-extra', key: 'note' } } }],
        },
      },
    },
  };
}

/** Whether the cluster's node agent fills termination messages (an agent started before it did would not). */
async function probeTerminationMessages(): Promise<boolean> {
  // Retried: a namespace made a moment ago may not have its default ServiceAccount yet.
  const create = () =>
    k.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'last-words' },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'main',
              image: 'busybox',
              command: ['sh', '-c', 'echo starting; echo "cannot go on: no such thing" >&2; exit 3'],
              terminationMessagePolicy: 'FallbackToLogsOnError',
            },
          ],
        },
      },
    });
  const created = async () => {
    await create().catch((error: unknown) => {
      if ((error as { code?: number }).code !== 409) throw error; // made by an earlier try
    });
    return true;
  };
  await eventually('the probe pod created', created, 30_000, 500);
  const terminated = await eventually('the probe pod ended', async () => {
    const pod = await k.core.readNamespacedPod({ name: 'last-words', namespace });
    return pod.status?.containerStatuses?.[0]?.state?.terminated;
  });
  await k.core.deleteNamespacedPod({ name: 'last-words', namespace }).catch(() => {});
  return terminated.message === 'starting\ncannot go on: no such thing';
}

beforeAll(async () => {
  await bed.start();
  agentFillsMessages = await probeTerminationMessages();
  if (!agentFillsMessages)
    console.log(
      'operator-rollouts e2e: the cluster node agent predates FallbackToLogsOnError (started from older sources); the worker-line checks are skipped until the cluster restarts',
    );
  await createSecret('connect', { password: PASSWORD });
  await createSecret('connect-extra', { note: 'one' });
}, 480_000); // the first install builds Helm (~5 min)

afterAll(() => bed.stop(), 180_000);

describe('Secrets a KafkaConnect refers to', () => {
  it('a KafkaConnect with SCRAM-SHA-512 from a Secret and an env var from another turns Ready', async () => {
    await bed.create(secureConnect());
    const started = Date.now();
    await eventually(
      'the KafkaConnect Ready',
      async () => (condition(await connect(), 'Ready')?.status === 'True' ? true : undefined),
      150_000,
      500,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await diagnostics()}`);
    });
    console.log(`operator-rollouts e2e: KafkaConnect Ready in ${since(started)}`);
  }, 180_000);

  it('the operator caches Secrets as metadata only', async () => {
    // The same informer the operator runs, on the real API server: names and versions, no data.
    const secrets = makeInformer<KubernetesObject>(client, RESOURCES.Secret, {
      namespaces: namespace,
      metadataOnly: true,
    });
    try {
      await secrets.start();
      const cached = secrets.get(namespace, 'connect') as V1Secret & KubernetesObject;
      expect(cached.kind).toBe('PartialObjectMetadata');
      expect(cached.metadata?.resourceVersion).toBeTruthy();
      expect(cached.data).toBeUndefined();
    } finally {
      await secrets.stop();
    }
  });

  it('a changed Secret (a template env var) rolls the workers within seconds; a deleted one is named in status', async () => {
    const [before] = (await workerPods()).filter(isReady);
    const hash = await configHash();
    const started = Date.now();
    await patchSecret('connect-extra', { note: 'two' });
    const rolled = await eventually('a new worker pod', () => newPodSince(before!), 10_000, 200).catch(
      async (error: unknown) => {
        throw new Error(`${String(error)}\n${await diagnostics()}`);
      },
    );
    const newPodAfter = since(started);
    expect(await configHash()).not.toBe(hash);
    const after = await readyOnNewWorker(before!, 'Ready on the rolled worker');
    expect(after.metadata?.uid).toBe(rolled.metadata?.uid);
    console.log(
      `operator-rollouts e2e: Secret changed → new worker pod in ${newPodAfter}, rolled and Ready in ${since(started)}`,
    );

    const deleted = Date.now();
    await client.request('DELETE', secretPath('connect-extra'));
    const reconciling = await eventually(
      'Reconciling, naming the missing Secret',
      async () => {
        const c = condition(await connect(), 'Reconciling');
        return c?.status === 'True' && c.message.includes(`Secret ${namespace}/connect-extra`)
          ? c
          : undefined;
      },
      10_000,
      200,
    );
    expect(reconciling.reason).toBe('ReconcileFailed');
    expect(reconciling.message).toContain('does not exist');
    console.log(`operator-rollouts e2e: Secret deleted → named in status in ${since(deleted)}`);
    // Made again: the workers roll onto it (a new version) and the KafkaConnect is Ready again.
    await createSecret('connect-extra', { note: 'three' });
    await readyOnNewWorker(after, 'Ready again after the Secret came back');
  }, 360_000);

  it('the credentials Secret deleted: made again at once with new tokens, which the workers roll to', async () => {
    const name = `${NAME}-connect-credentials`;
    const old = (await client.get<V1Secret>(RESOURCES.Secret, namespace, name))!;
    const [before] = (await workerPods()).filter(isReady);
    const started = Date.now();
    await client.request('DELETE', secretPath(name));
    const made = await eventually(
      'the credentials Secret made again',
      async () => {
        const s = await client.get<V1Secret>(RESOURCES.Secret, namespace, name);
        return s && s.metadata?.uid !== old.metadata?.uid ? s : undefined;
      },
      10_000,
      200,
    );
    console.log(`operator-rollouts e2e: credentials Secret deleted → made again in ${since(started)}`);
    expect(made.data?.['admin-token']).toBeTruthy();
    expect(made.data?.['admin-token']).not.toBe(old.data?.['admin-token']);
    expect(made.data?.['rest-token']).not.toBe(old.data?.['rest-token']);
    const after = await readyOnNewWorker(before!, 'Ready on a worker with the new tokens');
    // The new worker takes the new REST token, not the old one.
    const call = (token: string | undefined) =>
      fetch(`http://${after.status?.podIP}:8083/connectors`, {
        headers: { authorization: `Bearer ${Buffer.from(token ?? '', 'base64').toString('utf8')}` },
        signal: AbortSignal.timeout(5_000),
      }).then((r) => r.status);
    expect(await call(made.data?.['rest-token'])).toBe(200);
    expect(await call(old.data?.['rest-token'])).toBe(401);
  }, 240_000);
});

describe('status when new workers fail', () => {
  it("a wrong password: the KafkaConnect names the failing pod and the worker's line, then Stalled; fixed, Ready", async () => {
    const [before] = (await workerPods()).filter(isReady);
    const started = Date.now();
    await patchSecret('connect', { password: 'not-the-password' });
    const failing = await eventually(
      'Reconciling or Stalled, naming a new worker pod that exited',
      async () => {
        const kc = await connect();
        const pod = await newPodSince(before!);
        const c = condition(kc, 'Ready');
        return pod && c?.message.includes(`pod ${pod.metadata?.name}: the worker exited with code 1`)
          ? { pod, c }
          : undefined;
      },
      90_000,
      500,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await diagnostics()}`);
    });
    console.log(`operator-rollouts e2e: wrong password → failing pod named in status in ${since(started)}`);
    expect(failing.c.message).toMatch(/^1\/1 workers ready; pod /);
    expect(failing.c.status).toBe('False');
    if (agentFillsMessages) expect(failing.c.message).toMatch(SASL_REFUSED);

    const stalled = await eventually(
      'Stalled (WorkerCrashLoop) once the worker crash-loops',
      async () => {
        const c = condition(await connect(), 'Stalled');
        return c?.status === 'True' ? c : undefined;
      },
      120_000,
      500,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await diagnostics()}`);
    });
    console.log(`operator-rollouts e2e: wrong password → Stalled in ${since(started)}: ${stalled.message}`);
    expect(stalled.reason).toBe('WorkerCrashLoop');
    expect(stalled.message).toContain(
      `pod ${failing.pod.metadata?.name}: the worker exited with code 1, restarted`,
    );
    if (agentFillsMessages) expect(stalled.message).toMatch(SASL_REFUSED);
    // The old worker, started with the right password, still runs.
    expect((await workerPods()).filter(isReady).map((p) => p.metadata?.uid)).toEqual([before!.metadata?.uid]);

    await patchSecret('connect', { password: PASSWORD });
    const fixed = Date.now();
    await readyOnNewWorker(before!, 'Ready on a worker with the right password');
    const kc = await connect();
    expect(condition(kc, 'Stalled')?.status).toBe('False');
    console.log(`operator-rollouts e2e: right password again → Ready in ${since(fixed)}`);
  }, 360_000);
});

describe('the node agent: FallbackToLogsOnError', () => {
  it("a container that exits with an error gets its run's last log lines (80 lines, 2 KiB at most)", async () => {
    const dir = join(bed.work, 'agent');
    mkdirSync(dir, { recursive: true });
    const logFile = join(dir, 'main.log');
    let exited!: () => void;
    let done = new Promise<void>((r) => (exited = r));
    const script = [
      'if [ -e "$0.ran" ]; then seq 1 200; echo "the second run failed: bad setting x"; exit 2; fi',
      'touch "$0.ran"; echo "the first run failed"; exit 1',
    ].join('\n');
    const runner = new ContainerRunner({
      container: { name: 'main', terminationMessagePolicy: 'FallbackToLogsOnError' },
      restartPolicy: 'OnFailure',
      graceSeconds: 1,
      podIP: () => '127.0.0.1',
      logFile,
      backoffBaseMs: 60_000,
      launch: async () => {
        const out = openSync(logFile, 'a');
        try {
          return {
            child: spawn('sh', ['-c', script, join(dir, 'marker')], {
              detached: true,
              stdio: ['ignore', out, out],
            }),
            env: {},
          };
        } finally {
          closeSync(out);
        }
      },
      changed: () => {
        if (runner.state.terminated || runner.state.waiting?.reason === 'CrashLoopBackOff') exited();
      },
    });
    await runner.start();
    await done;
    const first = runner.lastState.terminated ?? runner.state.terminated;
    expect(first?.exitCode).toBe(1);
    expect(first?.message).toBe('the first run failed');
    done = new Promise<void>((r) => (exited = r));
    await runner.start(); // the restart (its back-off is long: started by hand)
    await done;
    const second = runner.lastState.terminated!;
    expect(second.exitCode).toBe(2);
    const lines = second.message!.split('\n');
    expect(lines.at(-1)).toBe('the second run failed: bad setting x');
    expect(lines.length).toBeLessThanOrEqual(80);
    expect(Buffer.byteLength(second.message!)).toBeLessThanOrEqual(2048);
    expect(second.message).not.toContain('the first run failed');
    await runner.kill(1);
  });

  it('the cluster node agent fills termination messages (skipped while it runs older sources)', (ctx) => {
    if (!agentFillsMessages) ctx.skip();
    expect(agentFillsMessages).toBe(true);
  });
});
