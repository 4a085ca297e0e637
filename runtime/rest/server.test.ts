import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WeirError } from '../errors.ts';
import { createRestApp, parseListeners, startRestServer } from './server.ts';
import { rawHttp } from './testing/raw-http.ts';
import { serveRest, type TestServer } from './testing/client.ts';
import { FakeHerder } from './testing/fake-herder.ts';

let herder: FakeHerder;
let server: TestServer;

beforeAll(async () => {
  herder = new FakeHerder();
  server = await serveRest(herder, { requestTimeoutMs: 200 });
});
afterAll(() => server.close());
afterEach(() => {
  herder.failure = undefined;
  herder.delayMs = 0;
  herder.healthInfo = {
    status: 'healthy',
    message: 'Worker has completed startup and is ready to handle requests.',
  };
});

describe('root resources', () => {
  it('GET / returns version, commit and Kafka cluster id', async () => {
    expect(await server.call('GET', '/')).toMatchObject({
      status: 200,
      body: {
        version: '4.3.1',
        commit: '26b251a451ce941d',
        kafka_cluster_id: 'fake-cluster-id',
        weir_version: '0.1.0',
        weir_commit: 'abc123',
      },
    });
  });

  it.each([
    ['healthy', 200],
    ['starting', 503],
    ['unhealthy', 500],
  ] as const)('GET /health when %s → %i', async (status, code) => {
    herder.healthInfo = { status, message: `Worker is ${status}` };
    expect(await server.call('GET', '/health')).toMatchObject({
      status: code,
      body: { status, message: `Worker is ${status}` },
    });
  });

  it('GET /openapi.json serves the OpenAPI document', async () => {
    const res = await server.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ openapi: '3.1.0', paths: expect.any(Object) });
  });

  it('HEAD works wherever GET does', async () => {
    const res = await fetch(`${server.url}/connectors`, { method: 'HEAD' });
    expect(res.status).toBe(200);
  });
});

describe('error responses', () => {
  it('an unknown route is a 404 in the error shape', async () => {
    for (const path of ['/nope', '/connectors/a/b/c/d/e', '/Connectors']) {
      expect(await server.call('GET', path)).toMatchObject({
        status: 404,
        body: { error_code: 404, message: 'HTTP 404 Not Found' },
      });
    }
  });

  it('a known route with another method is a 405 with Allow', async () => {
    const res = await server.call('DELETE', '/connectors');
    expect(res).toMatchObject({
      status: 405,
      body: { error_code: 405, message: 'HTTP 405 Method Not Allowed' },
    });
    expect(res.headers.get('allow')).toBe('HEAD,POST,GET,OPTIONS');
    expect((await server.call('POST', '/connectors/a/pause')).status).toBe(405);
    expect((await server.call('GET', '/connectors/a/restart')).status).toBe(405);
  });

  it('OPTIONS lists the methods of a path as Java does: 200, an Allow header and a text body', async () => {
    const res = await server.call('OPTIONS', '/connectors/x/config');
    expect(res.status).toBe(200);
    expect(res.headers.get('allow')).toBe('HEAD,GET,OPTIONS,PUT,PATCH');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.body).toBe('HEAD, GET, OPTIONS, PUT, PATCH');
    expect((await server.call('OPTIONS', '/nope')).status).toBe(404);
  });

  it.each([
    ['/connectors/a%2Fb', 'Ambiguous URI path separator'],
    ['/connectors/a%01b', 'Suspicious Path Character'],
    ['/connectors/a%5Cb/status', 'Suspicious Path Character'],
    ['/connectors/a%00b', 'Bad Request'],
    ['/connectors/a%25b', 'Ambiguous URI path encoding'],
    ['/connectors/%2e%2e/status', 'Ambiguous URI path segment'],
    ['//connectors', 'Ambiguous URI empty segment'],
    ['/connectors/a|b', 'Illegal Path Character'],
    ['/connectors/a%FFb', 'Bad UTF-8 encoding'],
  ])('a path Java refuses (%s) is a 400 naming why, before anything else', async (path, reason) => {
    for (const method of ['GET', 'PUT', 'OPTIONS']) {
      const res = await rawHttp(server.url, method, path);
      expect([res.status, (JSON.parse(res.text) as { message: string }).message]).toEqual([
        400,
        expect.stringMatching(new RegExp(`^${reason.replace(/[()]/g, '\\$&')}: `)),
      ]);
    }
  });

  it('drops matrix parameters from path segments, as Jersey does', async () => {
    expect((await server.call('GET', '/connectors;x=1')).status).toBe(200);
  });

  it.each([
    ['{"name": "a", "config": }', "Unexpected token '}' at line 1, column 25 (position 24)"],
    [
      '{"name": "a",\n "config": {"a": 1,}}',
      'Expected double-quoted property name at line 2, column 20 (position 33)',
    ],
    ['{"name": "a"', "Expected ',' or '}' after property value at line 1, column 13 (position 12)"],
    ['{"name": "a"}}', 'Unexpected non-whitespace character after JSON at line 1, column 14 (position 13)'],
    ['{"name": tru}', "Unexpected token '}' at line 1, column 13 (position 12)"],
    ['{"a": "\\x"}', 'Bad escaped character at line 1, column 9 (position 8)'],
  ])('malformed JSON %j → 400 saying where', async (body, where) => {
    const res = await server.call('POST', '/connectors', body, { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 400, message: `Malformed JSON request body: ${where}` });
  });

  it('a body without Content-Type is read as JSON; a non-JSON Content-Type is a 415', async () => {
    const untyped = await fetch(`${server.url}/connectors`, {
      method: 'POST',
      body: new Blob(['{"name": 1}']),
    });
    expect(untyped.status).toBe(400);
    const res = await server.call('POST', '/connectors', 'name=a', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      error_code: 415,
      message: expect.stringMatching(/^HTTP 415 Unsupported Media Type: .*Content-Type: application\/json/),
    });
  });

  it('an empty body on a route that reads none is fine, whatever its Content-Type', async () => {
    await herder.putConnectorConfig('p', { 'connector.class': 'FileStreamSource' }, { allowReplace: true });
    const res = await server.call('PUT', '/connectors/p/pause', '', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(202);
  });

  it('a malformed URL escape is a 400', async () => {
    const res = await rawHttp(server.url, 'GET', '/connectors/%E0%A4%A/status');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({
      error_code: 400,
      message: expect.stringMatching(/^Bad Request: .*'%'/),
    });
  });

  it('a WeirError maps to its status and message', async () => {
    herder.failure = new WeirError(
      'WEIR_CONFLICT',
      'Cannot complete request because of a conflicting operation',
    );
    expect(await server.call('GET', '/connectors')).toMatchObject({
      status: 409,
      body: { error_code: 409, message: 'Cannot complete request because of a conflicting operation' },
    });
  });

  it('anything unexpected is a 500 with its message, and the server keeps serving', async () => {
    herder.failure = new TypeError("Cannot read properties of undefined (reading 'config')");
    expect(await server.call('GET', '/connectors/a')).toMatchObject({
      status: 500,
      body: { error_code: 500, message: "Cannot read properties of undefined (reading 'config')" },
    });
    herder.failure = 'a bare string';
    expect((await server.call('GET', '/connectors')).body).toEqual({
      error_code: 500,
      message: 'a bare string',
    });
    herder.failure = undefined;
    expect((await server.call('GET', '/connectors')).status).toBe(200);
  });

  it('a synchronous throw from the herder is a 500 too', async () => {
    const original = herder.plugins;
    herder.plugins = () => {
      throw new RangeError('plugin scan broke');
    };
    try {
      expect((await server.call('GET', '/connector-plugins')).body).toEqual({
        error_code: 500,
        message: 'plugin scan broke',
      });
    } finally {
      herder.plugins = original;
    }
  });

  it('a reply that cannot be serialized is a 500, not a crash', async () => {
    const original = herder.plugins;
    herder.plugins = () => [{ class: 'X', type: 'source', version: 1n as unknown as string }];
    try {
      expect((await server.call('GET', '/connector-plugins')).body).toEqual({
        error_code: 500,
        message: 'Do not know how to serialize a BigInt',
      });
    } finally {
      herder.plugins = original;
    }
  });

  it('a request that takes longer than the timeout is a 500 "Request timed out"', async () => {
    herder.delayMs = 1000;
    const started = Date.now();
    expect(await server.call('GET', '/connectors')).toMatchObject({
      status: 500,
      body: { error_code: 500, message: 'Request timed out' },
    });
    expect(Date.now() - started).toBeLessThan(900);
  });
});

describe('authentication hook', () => {
  it('401 when it refuses, the route when it accepts, 500 when it throws', async () => {
    const guarded = await serveRest(new FakeHerder(), {
      authenticate: (req) => {
        if (req.get('authorization') === 'boom') throw new Error('auth backend down');
        return req.get('authorization') === 'Basic dXNlcjpwYXNz';
      },
    });
    try {
      expect(await guarded.call('GET', '/connectors')).toMatchObject({
        status: 401,
        body: { error_code: 401 },
      });
      expect(
        (await guarded.call('GET', '/connectors', undefined, { authorization: 'Basic dXNlcjpwYXNz' })).status,
      ).toBe(200);
      expect((await guarded.call('GET', '/connectors', undefined, { authorization: 'boom' })).body).toEqual({
        error_code: 500,
        message: 'auth backend down',
      });
    } finally {
      await guarded.close();
    }
  });
});

describe('listeners', () => {
  it('parses Kafka Connect listeners values', () => {
    expect(parseListeners('http://:8083')).toEqual([{ protocol: 'http', host: '', port: 8083 }]);
    expect(parseListeners('HTTP://127.0.0.1:0, http://[::1]:8084')).toEqual([
      { protocol: 'http', host: '127.0.0.1', port: 0 },
      { protocol: 'http', host: '::1', port: 8084 },
    ]);
    expect(parseListeners('http://my-host.example.com:80')[0]?.host).toBe('my-host.example.com');
  });

  it.each([
    ['', "'listeners' is empty"],
    ['localhost:8083', "doesn't have the right format (protocol://hostname:port)"],
    ['http://localhost', "doesn't have the right format"],
    ['https://:8443', 'HTTPS is not supported yet'],
    ['ftp://:21', 'protocol must be "http"'],
    ['http://:70000', 'port 70000 is not between 0 and 65535'],
  ])('refuses %j', (value, message) => {
    expect(() => parseListeners(value)).toThrow(
      expect.objectContaining({ code: 'WEIR_INVALID_CONFIG', message: expect.stringContaining(message) }),
    );
  });

  it('serves on every listener; a taken port is a clear error; close stops it', async () => {
    const app = createRestApp({ herder: new FakeHerder(), version: 'v', commit: 'c' });
    const running = await startRestServer({ listeners: 'http://127.0.0.1:0,http://:0', app });
    try {
      expect(running.urls).toHaveLength(2);
      expect(running.urls[1]).toMatch(/^http:\/\/localhost:\d+$/);
      for (const url of running.urls) expect((await fetch(`${url}/`)).status).toBe(200);
      await expect(startRestServer({ listeners: `http://127.0.0.1:${running.port}`, app })).rejects.toThrow(
        `Cannot listen on http://127.0.0.1:${running.port}: the address is already in use`,
      );
    } finally {
      await running.close();
    }
    await expect(fetch(`${running.url}/`)).rejects.toThrow();
  });
});
