import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectClient, ConnectRestError, ConnectUnreachableError, routeOf } from './connect-client.ts';

const servers: Server[] = [];

async function serve(
  handler: (method: string, url: string, auth: string | undefined, body: string) => [number, unknown],
): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const [status, payload] = handler(req.method ?? '', req.url ?? '', req.headers.authorization, body);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closedPort(): Promise<string> {
  const endpoint = await serve(() => [200, {}]);
  const server = servers.pop()!;
  await new Promise((r) => server.close(r));
  return endpoint;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('ConnectClient', () => {
  it('sends the bearer token and JSON, and reads the one expand call', async () => {
    const seen: string[] = [];
    const endpoint = await serve((method, url, auth, body) => {
      seen.push(`${method} ${url} ${auth} ${body}`);
      return [200, { a: { status: { name: 'a' } } }];
    });
    const client = new ConnectClient([endpoint], { token: 't0k' });
    expect(await client.connectors()).toEqual({ a: { status: { name: 'a' } } });
    await client.putConnectorConfig('a b', { x: '1' });
    expect(seen).toEqual([
      'GET /connectors?expand=status&expand=info&expand=topics Bearer t0k ',
      'PUT /connectors/a%20b/config Bearer t0k {"x":"1"}',
    ]);
  });

  it('reads and sets logger levels, and tells onRequest of each request by route', async () => {
    const seen: string[] = [];
    const endpoint = await serve((method, url, _auth, body) => {
      seen.push(`${method} ${url} ${body}`);
      return method === 'GET' ? [200, { root: { level: 'INFO', last_modified: null } }] : [200, ['a.b']];
    });
    const routes: string[] = [];
    const client = new ConnectClient([endpoint], { onRequest: (m, r) => routes.push(`${m} ${r}`) });
    expect(await client.loggers()).toEqual({ root: { level: 'INFO', last_modified: null } });
    await client.setLoggerLevel('a.b', 'DEBUG');
    expect(seen).toEqual(['GET /admin/loggers ', 'PUT /admin/loggers/a.b {"level":"DEBUG"}']);
    expect(routes).toEqual(['GET /admin/loggers', 'PUT /admin/loggers/{logger}']);
  });

  it('names routes without their variable parts', () => {
    expect(routeOf('/connectors?expand=status')).toBe('/connectors');
    expect(routeOf('/connectors/x%20y/tasks/3/restart')).toBe('/connectors/{name}/tasks/{task}/restart');
    expect(routeOf('/connectors/x/restart?includeTasks=true')).toBe('/connectors/{name}/restart');
    expect(routeOf('/admin/workers/10.0.0.1%3A8083')).toBe('/admin/workers/{worker}');
    expect(routeOf('/connector-plugins')).toBe('/connector-plugins');
  });

  it('moves on to the next worker when a connection cannot be made', async () => {
    const dead = await closedPort();
    const live = await serve(() => [200, []]);
    const client = new ConnectClient([dead, live]);
    expect(await client.connectorPlugins()).toEqual([]);
  });

  it('does not resend a request a worker answered with an error', async () => {
    let calls = 0;
    const a = await serve(() => {
      calls++;
      return [409, { error_code: 409, message: 'rebalance in progress' }];
    });
    const b = await serve(() => {
      calls++;
      return [201, {}];
    });
    const client = new ConnectClient([a, b]);
    const error = await client.createConnector({ name: 'x', config: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectRestError);
    expect((error as ConnectRestError).status).toBe(409);
    expect((error as ConnectRestError).retryable).toBe(true);
    expect((error as Error).message).toContain('rebalance in progress');
    expect(calls).toBe(1);
  });

  it('says no worker answered when none can be reached, and when there is none', async () => {
    const client = new ConnectClient([await closedPort()]);
    await expect(client.connectors()).rejects.toBeInstanceOf(ConnectUnreachableError);
    await expect(new ConnectClient([]).connectors()).rejects.toThrow(/no ready worker/);
  });

  it('gives up on a worker that does not answer within the request timeout', async () => {
    const server = createServer(() => {}); // accepts, never answers
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new ConnectClient([endpoint], { requestTimeoutMs: 200 });
    const started = Date.now();
    await expect(client.connectors()).rejects.toThrow(/no answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('treats a 404 on delete as already gone', async () => {
    const endpoint = await serve(() => [404, { error_code: 404, message: 'not found' }]);
    expect(await new ConnectClient([endpoint]).deleteConnector('x')).toBe(false);
  });
});
