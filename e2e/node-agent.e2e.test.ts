// What a pod sees and how its life goes, as on a real node: env and envFrom, volumes at their
// mountPaths, a service-account token that the API server accepts, probes, init containers,
// restart policies, weir:* images, and deletion within the grace period.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { hostAddressForPods } from './cluster/cluster.ts';
import { createNamespace, eventually, isReady, kube, type Kube } from './kube.ts';

let k: Kube;
let namespace: string;
const local = inject('cluster') === 'local';
const hostDir = mkdtempSync(join(tmpdir(), 'weir-e2e-host-'));

beforeAll(async () => {
  k = kube(inject('kubeconfig'));
  namespace = await createNamespace(k, 'e2e-node');
  await eventually('the namespace default service account', () =>
    k.core.readNamespacedServiceAccount({ name: 'default', namespace }),
  );
});

afterAll(async () => {
  await k?.core.deleteNamespace({ name: namespace }).catch(() => {});
  rmSync(hostDir, { recursive: true, force: true });
});

async function pod(name: string): Promise<V1Pod> {
  return k.core.readNamespacedPod({ name, namespace });
}

async function phase(name: string, want: string): Promise<V1Pod> {
  return eventually(`pod ${name} to be ${want}`, async () => {
    const p = await pod(name);
    return p.status?.phase === want ? p : undefined;
  });
}

const INSPECTOR = `
const fs = require('node:fs');
const read = (p) => { try { return fs.readFileSync(p, 'utf8'); } catch { return null; } };
const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
function whoami() {
  return new Promise((resolve) => {
    const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    const req = require('node:https').request({
      method: 'POST', host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT,
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', ca: read(sa + '/ca.crt'),
      headers: { authorization: 'Bearer ' + read(sa + '/token'), 'content-type': 'application/json' },
    }, (res) => { let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => resolve(JSON.parse(b).status?.userInfo?.username ?? b)); });
    req.on('error', (e) => resolve('error: ' + e.message));
    req.end(body);
  });
}
require('node:http').createServer(async (q, r) => r.end(JSON.stringify({
  env: { GREETING: process.env.GREETING, PASSWORD: process.env.PASSWORD, NS: process.env.NS,
    CFG_COLOR: process.env.CFG_COLOR, EXPANDED: process.env.EXPANDED },
  files: { color: read('/etc/app/color'), password: read('/etc/secret/pw'), init: read('/data/init.txt'),
    host: read('/host/hello'), namespace: read(sa + '/namespace') },
  hostname: require('node:os').hostname(),
  user: await whoami(),
}))).listen(8080);
`;

describe('a pod with env, volumes and a service-account token', () => {
  it('sees them all where a real node puts them', async () => {
    writeFileSync(join(hostDir, 'hello'), 'from the machine');
    await k.core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'cfg' }, data: { COLOR: 'blue' } },
    });
    await k.core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'sec' }, stringData: { pw: 's3cret' } },
    });
    await k.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'inspector' },
        spec: {
          initContainers: [
            {
              name: 'prepare',
              image: inject('image'),
              command: ['node', '-e', "require('fs').writeFileSync('/data/init.txt', 'prepared')"],
              volumeMounts: [{ name: 'work', mountPath: '/data' }],
            },
          ],
          containers: [
            {
              name: 'inspector',
              image: inject('image'),
              command: ['node', '-e', INSPECTOR],
              env: [
                { name: 'GREETING', value: 'hi' },
                { name: 'EXPANDED', value: '$(GREETING) there' },
                { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'sec', key: 'pw' } } },
                { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              ],
              envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
              ports: [{ containerPort: 8080 }],
              readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
              volumeMounts: [
                { name: 'cfg', mountPath: '/etc/app', readOnly: true },
                { name: 'sec', mountPath: '/etc/secret', readOnly: true },
                { name: 'work', mountPath: '/data' },
                { name: 'host', mountPath: '/host' },
              ],
            },
          ],
          volumes: [
            { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'COLOR', path: 'color' }] } },
            { name: 'sec', secret: { secretName: 'sec' } },
            { name: 'work', emptyDir: {} },
            { name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
          ],
        },
      },
    });
    const ready = await eventually('the inspector to be ready', async () => {
      const p = await pod('inspector');
      return isReady(p) ? p : undefined;
    });
    const res = await fetch(`http://${ready.status?.podIP}:8080/`, { signal: AbortSignal.timeout(5000) });
    const seen = (await res.json()) as Record<string, Record<string, string> | string>;
    expect(seen.env).toEqual({
      GREETING: 'hi',
      PASSWORD: 's3cret',
      NS: namespace,
      CFG_COLOR: 'blue',
      EXPANDED: 'hi there',
    });
    expect(seen.files).toMatchObject({ color: 'blue', password: 's3cret', init: 'prepared', namespace });
    if (local) expect((seen.files as Record<string, string>).host).toBe('from the machine');
    expect(seen.hostname).toBe('inspector');
    expect(seen.user).toBe(`system:serviceaccount:${namespace}:default`);
  });
});

describe('container life', () => {
  it('ends a pod Succeeded or Failed by its containers and restartPolicy Never', async () => {
    const run = (name: string, code: number) =>
      k.core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name },
          spec: {
            restartPolicy: 'Never',
            containers: [
              { name: 'c', image: inject('image'), command: ['node', '-e', `process.exit(${code})`] },
            ],
          },
        },
      });
    await Promise.all([run('ok', 0), run('fail', 4)]);
    const ok = await phase('ok', 'Succeeded');
    expect(ok.status?.containerStatuses?.[0]?.state?.terminated?.reason).toBe('Completed');
    const failed = await phase('fail', 'Failed');
    expect(failed.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(4);
    expect(failed.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });

  it('runs a weir:* image without a command as the weir CLI with the container args', async () => {
    await k.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'weir-version' },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'weir', image: inject('image'), args: ['version'] }],
        },
      },
    });
    await phase('weir-version', 'Succeeded');
  });

  it('restarts a container whose exec liveness probe fails', async () => {
    await k.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'unhealthy' },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: 'c',
              image: inject('image'),
              command: [
                'node',
                '-e',
                "fs=require('fs');fs.writeFileSync('/run/alive/x','');setTimeout(()=>fs.rmSync('/run/alive/x'),1500);setInterval(()=>{},1000)",
              ],
              livenessProbe: {
                exec: { command: ['cat', '/run/alive/x'] },
                periodSeconds: 1,
                failureThreshold: 1,
              },
              volumeMounts: [{ name: 'alive', mountPath: '/run/alive' }],
            },
          ],
          volumes: [{ name: 'alive', emptyDir: {} }],
        },
      },
    });
    await eventually('a restart after the liveness probe failed', async () => {
      const p = await pod('unhealthy');
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? true : undefined;
    });
  });

  it('deletes a pod that ignores SIGTERM after its grace period, with SIGKILL', async () => {
    await k.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'stubborn' },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: 'c',
              image: inject('image'),
              command: [
                'node',
                '-e',
                "process.on('SIGTERM',()=>{});require('http').createServer((q,r)=>r.end('up')).listen(8080)",
              ],
              readinessProbe: { httpGet: { port: 8080, path: '/' }, periodSeconds: 1 },
            },
          ],
        },
      },
    });
    const ready = await eventually('stubborn to be ready', async () => {
      const p = await pod('stubborn');
      return isReady(p) ? p : undefined;
    });
    const started = Date.now();
    await k.core.deleteNamespacedPod({ name: 'stubborn', namespace });
    await eventually('stubborn to be gone', async () => {
      const list = await k.core.listNamespacedPod({ namespace, fieldSelector: 'metadata.name=stubborn' });
      return list.items.length === 0 ? true : undefined;
    });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(15_000);
    await expect(
      fetch(`http://${ready.status?.podIP}:8080/`, { signal: AbortSignal.timeout(1000) }),
    ).rejects.toThrow();
  });
});

describe('pod networking', () => {
  it('lets a pod reach another pod at its IP, and the machine at hostAddressForPods()', async () => {
    const heard: { line: string; from: string }[] = [];
    const server = createServer((socket) => {
      socket.once('data', (data) => {
        heard.push({ line: data.toString().trim(), from: socket.remoteAddress ?? '' });
        socket.end('welcome\n');
      });
    });
    const host = local ? hostAddressForPods() : '127.0.0.1';
    await new Promise<void>((resolveListen) => server.listen(0, host, resolveListen));
    const port = (server.address() as AddressInfo).port;
    try {
      await k.core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: 'peer' },
          spec: {
            containers: [
              {
                name: 'peer',
                image: inject('image'),
                command: ['node', '-e', "require('http').createServer((q,r)=>r.end('peer')).listen(8080)"],
                readinessProbe: { httpGet: { port: 8080, path: '/' }, periodSeconds: 1 },
              },
            ],
          },
        },
      });
      const peer = await eventually('the peer to be ready', async () => {
        const p = await pod('peer');
        return isReady(p) ? p : undefined;
      });
      const client = [
        "const net = require('node:net');",
        'const [peer, host, port] = process.argv.slice(1);',
        "fetch('http://' + peer + ':8080/').then((r) => r.text()).then((body) => {",
        "  if (body !== 'peer') process.exit(2);",
        "  if (host === '-') process.exit(0);",
        '  const s = net.connect(Number(port), host, () => s.write(`hello from ${process.env.HOSTNAME}\\n`));',
        "  s.on('data', (d) => process.exit(d.toString().startsWith('welcome') ? 0 : 3));",
        "  s.on('error', () => process.exit(4));",
        '}, () => process.exit(1));',
      ].join('\n');
      await k.core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: 'client' },
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'client',
                image: inject('image'),
                command: ['node', '-e', client, peer.status?.podIP ?? '', local ? host : '-', String(port)],
              },
            ],
          },
        },
      });
      const done = await eventually('the client to finish', async () => {
        const p = await pod('client');
        return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' ? p : undefined;
      });
      expect(done.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
      if (local) expect(heard).toEqual([{ line: 'hello from client', from: done.status?.podIP }]);
    } finally {
      server.close();
    }
  });
});
