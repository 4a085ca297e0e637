// LogLevelSync against small HTTP workers that keep their loggers as runtime/logging.ts does (a PUT
// sets the logger and everything below it; root sets all): levels converge, a worker that got them is
// not called again, a failing worker is reported without holding up the others, a restarted
// container is checked again.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectClient } from '../connect-client.ts';
import { LogLevelSync, type WorkerAccess } from './log-levels.ts';

interface FakeWorker {
  levels: Record<string, string>;
  requests: string[];
  port: number;
  failWith?: number;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function worker(levels: Record<string, string>): Promise<FakeWorker> {
  const w: FakeWorker = { levels: { ...levels }, requests: [], port: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      w.requests.push(`${req.method} ${req.url}${body ? ` ${body}` : ''}`);
      const reply = (status: number, payload?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      if (w.failWith) return reply(w.failWith, { error_code: w.failWith, message: 'broken' });
      if (req.method === 'GET' && req.url === '/admin/loggers') {
        return reply(
          200,
          Object.fromEntries(
            Object.entries(w.levels).map(([n, level]) => [n, { level, last_modified: null }]),
          ),
        );
      }
      const name = decodeURIComponent(req.url?.replace('/admin/loggers/', '') ?? '');
      const { level } = JSON.parse(body) as { level: string };
      for (const n of Object.keys(w.levels)) {
        if (name === 'root' || n === name || n.startsWith(`${name}.`)) w.levels[n] = level;
      }
      w.levels[name] = level;
      reply(200, [name]);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  w.port = (server.address() as AddressInfo).port;
  return w;
}

const pod = (ip: string, extra: { ready?: boolean; restarts?: number } = {}): V1Pod => ({
  metadata: { uid: `uid-${ip}`, name: `w-${ip}` },
  status: {
    phase: 'Running',
    podIP: ip,
    conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }],
    containerStatuses: [
      { name: 'connect', restartCount: extra.restarts ?? 0, ready: true, image: 'weir', imageID: '' },
    ],
  },
});

/** Pods at 10.0.0.N reach the fake workers' ports on loopback (the sync asks for `<podIP>:8083`). */
function access(pods: () => V1Pod[], ports: Record<string, number>): WorkerAccess {
  return {
    workerPods: () => pods(),
    restTo: async (_cluster, endpoint, timeouts) =>
      new ConnectClient([`127.0.0.1:${ports[endpoint.split(':')[0]!] ?? 1}`], timeouts),
  };
}

const CLUSTER = 'ns/connect';

describe('LogLevelSync', () => {
  it('brings every ready worker to spec.logging, then leaves them alone', async () => {
    const a = await worker({ root: 'INFO', 'weir.rest': 'INFO', 'weir.worker': 'INFO' });
    const b = await worker({ root: 'INFO', 'weir.rest': 'INFO' });
    const notReady = await worker({ root: 'INFO' });
    const pods = [pod('10.0.0.1'), pod('10.0.0.2'), pod('10.0.0.3', { ready: false })];
    const sync = new LogLevelSync(
      access(() => pods, { '10.0.0.1': a.port, '10.0.0.2': b.port, '10.0.0.3': notReady.port }),
    );
    const desired = { root: 'WARN', 'weir.worker': 'DEBUG' };
    const outcome = await sync.sync(CLUSTER, desired);
    expect(outcome.failures).toEqual([]);
    expect(outcome.updated.map((u) => u.worker)).toEqual(['10.0.0.1:8083', '10.0.0.2:8083']);
    expect(a.levels).toEqual({ root: 'WARN', 'weir.rest': 'WARN', 'weir.worker': 'DEBUG' });
    expect(b.levels).toEqual({ root: 'WARN', 'weir.rest': 'WARN', 'weir.worker': 'DEBUG' });
    expect(a.requests).toEqual([
      'GET /admin/loggers',
      'PUT /admin/loggers/root {"level":"WARN"}',
      'PUT /admin/loggers/weir.worker {"level":"DEBUG"}',
    ]);
    expect(notReady.requests).toEqual([]);

    // Idempotent: the same levels again cost no request at all.
    const again = await sync.sync(CLUSTER, desired);
    expect(again).toEqual({ updated: [], failures: [] });
    expect(a.requests).toHaveLength(3);

    // A change: read, and only what differs is set.
    await sync.sync(CLUSTER, { root: 'WARN' });
    expect(a.requests.slice(3)).toEqual(['GET /admin/loggers', 'PUT /admin/loggers/root {"level":"WARN"}']);
    expect(a.levels['weir.worker']).toBe('WARN');
  });

  it('reports a failing worker without holding up the others, and retries only it', async () => {
    const good = await worker({ root: 'INFO' });
    const broken = await worker({ root: 'INFO' });
    broken.failWith = 500;
    const pods = [pod('10.0.0.1'), pod('10.0.0.2'), pod('10.0.0.9')]; // .9: nothing listens
    const sync = new LogLevelSync(access(() => pods, { '10.0.0.1': good.port, '10.0.0.2': broken.port }));
    const outcome = await sync.sync(CLUSTER, { root: 'DEBUG' });
    expect(good.levels.root).toBe('DEBUG');
    expect(outcome.updated.map((u) => u.worker)).toEqual(['10.0.0.1:8083']);
    expect(outcome.failures).toHaveLength(2);
    expect(outcome.failures[0]).toMatch(/^10\.0\.0\.2:8083: GET \/admin\/loggers: 500 broken/);
    expect(outcome.failures[1]).toMatch(/^10\.0\.0\.9:8083: no worker answered/);

    broken.failWith = undefined;
    const retry = await sync.sync(CLUSTER, { root: 'DEBUG' });
    expect(retry.updated.map((u) => u.worker)).toEqual(['10.0.0.2:8083']);
    expect(good.requests).toHaveLength(2); // not called again
  });

  it('checks a worker again when its container restarted (it starts from the ConfigMap)', async () => {
    const w = await worker({ root: 'INFO' });
    let pods = [pod('10.0.0.1')];
    const sync = new LogLevelSync(access(() => pods, { '10.0.0.1': w.port }));
    await sync.sync(CLUSTER, { root: 'ERROR' });
    w.levels = { root: 'INFO' }; // the restarted process
    pods = [pod('10.0.0.1', { restarts: 1 })];
    const outcome = await sync.sync(CLUSTER, { root: 'ERROR' });
    expect(outcome.updated).toEqual([
      { worker: '10.0.0.1:8083', updates: [{ logger: 'root', level: 'ERROR' }] },
    ]);
    expect(w.levels.root).toBe('ERROR');
  });
});
