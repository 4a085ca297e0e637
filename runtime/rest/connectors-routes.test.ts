import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveRest, type TestServer } from './testing/client.ts';
import { FakeHerder, WORKER_ID } from './testing/fake-herder.ts';

const SOURCE = {
  'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  'tasks.max': '1',
  file: 'test.txt',
  topic: 'connect-test',
};

let herder: FakeHerder;
let server: TestServer;

beforeAll(async () => {
  herder = new FakeHerder();
  server = await serveRest(herder);
});
afterAll(() => server.close());
beforeEach(() => {
  herder.connectorsByName.clear();
  herder.calls.length = 0;
  herder.failure = undefined;
  herder.topicTracking = true;
});

async function create(name: string, config: Record<string, string> = SOURCE): Promise<void> {
  const res = await server.call('POST', '/connectors', { name, config });
  expect(res.status).toBe(201);
}

describe('GET /connectors', () => {
  it('lists connector names', async () => {
    expect((await server.call('GET', '/connectors')).body).toEqual([]);
    await create('a');
    await create('b');
    const res = await server.call('GET', '/connectors');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual(['a', 'b']);
  });

  it('expands status and info, with repeated expand parameters', async () => {
    await create('a');
    const res = await server.call('GET', '/connectors?expand=status&expand=info');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      a: {
        status: {
          name: 'a',
          connector: { state: 'RUNNING', worker_id: WORKER_ID },
          tasks: [{ id: 0, state: 'RUNNING', worker_id: WORKER_ID }],
          type: 'source',
        },
        info: {
          name: 'a',
          config: { ...SOURCE, name: 'a' },
          tasks: [{ connector: 'a', task: 0 }],
          type: 'source',
        },
      },
    });
    const statusOnly = (await server.call('GET', '/connectors?expand=status')).body as Record<string, object>;
    expect(Object.keys(statusOnly.a as object)).toEqual(['status']);
  });

  it('ignores unknown expand values', async () => {
    await create('a');
    expect((await server.call('GET', '/connectors?expand=bogus')).body).toEqual({ a: {} });
    expect((await server.call('GET', '/connectors?expand=bogus&expand=info')).body).toEqual({
      a: { info: expect.objectContaining({ name: 'a' }) },
    });
  });

  it('expands topics (a Weir extension) in the same call; left out when topic tracking is off', async () => {
    await create('a');
    await create('b');
    herder.connectorsByName.get('a')!.topics = ['t1', 't2'];
    const res = await server.call('GET', '/connectors?expand=status&expand=info&expand=topics');
    expect(res.status).toBe(200);
    const body = res.body as Record<string, Record<string, unknown>>;
    expect(Object.keys(body.a!)).toEqual(['status', 'info', 'topics']);
    expect(body.a!.topics).toEqual(['t1', 't2']);
    expect(body.b!.topics).toEqual([]);
    expect((await server.call('GET', '/connectors?expand=topics')).body).toEqual({
      a: { topics: ['t1', 't2'] },
      b: { topics: [] },
    });
    herder.topicTracking = false;
    expect((await server.call('GET', '/connectors?expand=topics&expand=status')).body).toEqual({
      a: { status: expect.objectContaining({ name: 'a' }) },
      b: { status: expect.objectContaining({ name: 'b' }) },
    });
  });

  it('leaves out a connector deleted during expansion', async () => {
    await create('a');
    await create('b');
    const original = herder.connectorStatus.bind(herder);
    herder.connectorStatus = async (name) => {
      if (name === 'b') herder.connectorsByName.delete('b');
      return original(name);
    };
    try {
      expect(Object.keys((await server.call('GET', '/connectors?expand=status')).body as object)).toEqual([
        'a',
      ]);
    } finally {
      herder.connectorStatus = original;
    }
  });
});

describe('POST /connectors', () => {
  it('creates: 201, Location and ConnectorInfo, name filled into the config', async () => {
    const res = await server.call('POST', '/connectors', { name: 'local-file-source', config: SOURCE });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${server.url}/connectors/local-file-source`);
    expect(res.body).toEqual({
      name: 'local-file-source',
      config: { ...SOURCE, name: 'local-file-source' },
      tasks: [{ connector: 'local-file-source', task: 0 }],
      type: 'source',
    });
  });

  it('trims the name, URL-encodes it in Location and reads numbers as strings', async () => {
    const res = await server.call('POST', '/connectors', {
      name: ' my source/1 ',
      config: { ...SOURCE, 'tasks.max': 2, 'errors.log.enable': true },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${server.url}/connectors/my%20source%2F1`);
    expect(herder.connectorsByName.get('my source/1')?.config).toMatchObject({
      'tasks.max': '2',
      'errors.log.enable': 'true',
      name: 'my source/1',
    });
  });

  it('passes initial_state in any case', async () => {
    const res = await server.call('POST', '/connectors', {
      name: 'a',
      config: SOURCE,
      initial_state: 'stopped',
    });
    expect(res.status).toBe(201);
    expect(herder.calls.at(-1)).toEqual([
      'putConnectorConfig',
      'a',
      { ...SOURCE, name: 'a' },
      { allowReplace: false, initialState: 'STOPPED' },
    ]);
    expect(herder.connectorsByName.get('a')?.target).toBe('STOPPED');
  });

  it.each([
    [{ config: SOURCE }, "Field 'name' is required"],
    [{ name: '  ', config: SOURCE }, "Field 'name' is required"],
    [{ name: 7, config: SOURCE }, "Field 'name' must be a string, not a number"],
    [{ name: 'a' }, "Field 'config' is required"],
    [{ name: 'a', config: [] }, "Field 'config' must be an object, not an array"],
    [
      { name: 'a', config: { ...SOURCE, topic: { x: 1 } } },
      "Field 'config.topic' must be a string, number or boolean, not an object",
    ],
    [
      { name: 'a', config: { ...SOURCE, name: 'b' } },
      "Connector name configuration (b) doesn't match connector name in the URL (a)",
    ],
    [
      { name: 'a', config: SOURCE, initial_state: 'SLEEPING' },
      "Invalid initial_state 'SLEEPING': expected one of RUNNING, PAUSED, STOPPED",
    ],
    [['a'], 'Request body must be a JSON object with "name" and "config", not an array'],
  ])('400 for %j', async (body, message) => {
    const res = await server.call('POST', '/connectors', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 400, message: expect.stringContaining(message) });
    expect(herder.connectorsByName.size).toBe(0);
  });

  it('400 for a missing body', async () => {
    const res = await server.call('POST', '/connectors');
    expect(res.body).toEqual({
      error_code: 400,
      message: expect.stringContaining('Request body is missing'),
    });
  });

  it('409 when the connector exists; 400 with the herder message for an invalid config', async () => {
    await create('a');
    expect((await server.call('POST', '/connectors', { name: 'a', config: SOURCE })).body).toEqual({
      error_code: 409,
      message: 'Connector a already exists',
    });
    const invalid = await server.call('POST', '/connectors', { name: 'b', config: { topic: 't' } });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { message: string }).message).toMatch(
      /^Connector configuration is invalid and contains the following 1 error\(s\)/,
    );
  });
});

describe('a connector', () => {
  it('GET /connectors/{name}, with URL-encoded names; 404 when unknown', async () => {
    await create('my source;1');
    const res = await server.call('GET', '/connectors/my%20source%3B1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'my source;1', type: 'source' });
    // An encoded slash never reaches a route, as in Java (Jetty refuses it).
    expect(await server.call('GET', '/connectors/my%20source%2F1')).toMatchObject({
      status: 400,
      body: { error_code: 400, message: expect.stringMatching(/^Ambiguous URI path separator: /) },
    });
    expect(await server.call('GET', '/connectors/nope')).toMatchObject({
      status: 404,
      body: { error_code: 404, message: 'Connector nope not found' },
    });
  });

  it('GET /connectors/{name}/config', async () => {
    await create('a');
    expect(await server.call('GET', '/connectors/a/config')).toMatchObject({
      status: 200,
      body: { ...SOURCE, name: 'a' },
    });
  });

  it('PUT /connectors/{name}/config: 201 + Location when created, 200 when updated', async () => {
    const created = await server.call('PUT', '/connectors/a/config', SOURCE);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${server.url}/connectors/a`);
    expect(created.body).toMatchObject({ name: 'a', config: { ...SOURCE, name: 'a' } });
    const updated = await server.call('PUT', '/connectors/a/config', {
      ...SOURCE,
      name: 'a',
      'tasks.max': 3,
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('location')).toBeNull();
    expect(updated.body).toMatchObject({ config: { 'tasks.max': '3' } });
  });

  it('PUT /connectors/{name}/config: 400 when the body names another connector or is not an object', async () => {
    expect((await server.call('PUT', '/connectors/a/config', { ...SOURCE, name: 'b' })).body).toEqual({
      error_code: 400,
      message: "Connector name configuration (b) doesn't match connector name in the URL (a)",
    });
    expect(
      (await server.call('PUT', '/connectors/a/config', '"x"', { 'content-type': 'application/json' })).body,
    ).toEqual({
      error_code: 400,
      message: "Request body must be a JSON object with the connector's configuration, not a string",
    });
    expect((await server.call('PUT', '/connectors/a/config', { ...SOURCE, file: null })).body).toEqual({
      error_code: 400,
      message: "Field 'file' must be a string, number or boolean, not null",
    });
  });

  it('PATCH /connectors/{name}/config: null removes a key; 404 when absent', async () => {
    await create('a');
    const res = await server.call('PATCH', '/connectors/a/config', { file: null, 'tasks.max': 2 });
    expect(res.status).toBe(200);
    expect((res.body as { config: object }).config).toEqual({
      ...SOURCE,
      name: 'a',
      file: undefined,
      'tasks.max': '2',
    });
    expect((res.body as { config: object }).config).not.toHaveProperty('file');
    expect((await server.call('PATCH', '/connectors/b/config', { file: 'x' })).status).toBe(404);
  });

  it('GET status, tasks and task status', async () => {
    await create('a');
    expect(await server.call('GET', '/connectors/a/status')).toMatchObject({
      status: 200,
      body: {
        name: 'a',
        connector: { state: 'RUNNING', worker_id: WORKER_ID },
        tasks: [{ id: 0, state: 'RUNNING' }],
      },
    });
    expect(await server.call('GET', '/connectors/a/tasks')).toMatchObject({
      status: 200,
      body: [{ id: { connector: 'a', task: 0 }, config: { 'task.class': 'FakeTask' } }],
    });
    expect(await server.call('GET', '/connectors/a/tasks/0/status')).toMatchObject({
      status: 200,
      body: { id: 0, state: 'RUNNING', worker_id: WORKER_ID },
    });
    expect((await server.call('GET', '/connectors/a/tasks/0/status')).body).not.toHaveProperty('trace');
    expect((await server.call('GET', '/connectors/a/tasks/5/status')).status).toBe(404);
  });

  it.each(['abc', '1.5', '0x1', '99999999999', '-2147483649'])(
    '404 for the task id %s, as Java',
    async (task) => {
      await create('a');
      for (const [method, path] of [
        ['GET', `/connectors/a/tasks/${task}/status`],
        ['POST', `/connectors/a/tasks/${task}/restart`],
      ] as const) {
        expect((await server.call(method, path)).body).toEqual({
          error_code: 404,
          message: `HTTP 404 Not Found: task id '${task}' in the URL is not a 32-bit integer`,
        });
      }
    },
  );

  it('DELETE /connectors/{name}: 204, then 404', async () => {
    await create('a');
    const res = await server.call('DELETE', '/connectors/a');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await server.call('DELETE', '/connectors/a')).status).toBe(404);
  });
});

describe('restarts and state changes', () => {
  beforeEach(() => create('a'));

  it('POST restart without flags: 204 and a connector-only restart', async () => {
    const res = await server.call('POST', '/connectors/a/restart');
    expect(res.status).toBe(204);
    expect(herder.calls.at(-1)).toEqual([
      'restartConnector',
      'a',
      { includeTasks: false, onlyFailed: false },
    ]);
    expect(
      (await server.call('POST', '/connectors/a/restart?includeTasks=false&onlyFailed=false')).status,
    ).toBe(204);
  });

  it('POST restart?includeTasks=true: 202 with the status showing RESTARTING', async () => {
    const res = await server.call('POST', '/connectors/a/restart?includeTasks=true');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      connector: { state: 'RESTARTING' },
      tasks: [{ id: 0, state: 'RESTARTING' }],
    });
    expect(herder.calls.at(-1)).toEqual(['restartConnector', 'a', { includeTasks: true, onlyFailed: false }]);
  });

  it('POST restart?onlyFailed=TRUE (any case) → 202; other values count as false', async () => {
    expect(
      (await server.call('POST', '/connectors/a/restart?includeTasks=TRUE&onlyFailed=True')).status,
    ).toBe(202);
    expect(herder.calls.at(-1)).toEqual(['restartConnector', 'a', { includeTasks: true, onlyFailed: true }]);
    expect((await server.call('POST', '/connectors/a/restart?includeTasks=yes')).status).toBe(204);
  });

  it('POST restart of an unknown connector: 404', async () => {
    expect((await server.call('POST', '/connectors/zz/restart')).status).toBe(404);
    expect((await server.call('POST', '/connectors/zz/restart?includeTasks=true')).status).toBe(404);
  });

  it('POST /connectors/{name}/tasks/{task}/restart: 204', async () => {
    const res = await server.call('POST', '/connectors/a/tasks/0/restart');
    expect(res.status).toBe(204);
    expect(herder.calls.at(-1)).toEqual(['restartTask', 'a', 0]);
  });

  it('PUT pause and resume: 202; stop: 204', async () => {
    expect((await server.call('PUT', '/connectors/a/pause')).status).toBe(202);
    expect(herder.connectorsByName.get('a')?.target).toBe('PAUSED');
    expect((await server.call('PUT', '/connectors/a/resume')).status).toBe(202);
    expect(herder.connectorsByName.get('a')?.target).toBe('RUNNING');
    const stop = await server.call('PUT', '/connectors/a/stop');
    expect(stop.status).toBe(204);
    expect(herder.connectorsByName.get('a')?.target).toBe('STOPPED');
    expect((await server.call('PUT', '/connectors/zz/pause')).status).toBe(404);
  });
});

describe('topics and offsets', () => {
  beforeEach(() => create('a'));

  it('GET topics: {"name": {"topics": [...]}}; PUT topics/reset: 202', async () => {
    herder.connectorsByName.get('a')!.topics = ['connect-test'];
    expect(await server.call('GET', '/connectors/a/topics')).toMatchObject({
      status: 200,
      body: { a: { topics: ['connect-test'] } },
    });
    expect((await server.call('PUT', '/connectors/a/topics/reset')).status).toBe(202);
    expect((await server.call('GET', '/connectors/a/topics')).body).toEqual({ a: { topics: [] } });
  });

  it('403 when topic tracking is disabled', async () => {
    herder.topicTracking = false;
    expect((await server.call('GET', '/connectors/a/topics')).body).toEqual({
      error_code: 403,
      message: 'Topic tracking is disabled.',
    });
    expect((await server.call('PUT', '/connectors/a/topics/reset')).status).toBe(403);
  });

  it('GET offsets; PATCH and DELETE need a STOPPED connector', async () => {
    const offsets = { offsets: [{ partition: { filename: 'test.txt' }, offset: { position: 30 } }] };
    expect(await server.call('GET', '/connectors/a/offsets')).toMatchObject({
      status: 200,
      body: { offsets: [] },
    });
    const running = await server.call('PATCH', '/connectors/a/offsets', offsets);
    expect(running.status).toBe(400);
    expect((running.body as { message: string }).message).toMatch(/STOPPED state/);
    await server.call('PUT', '/connectors/a/stop');
    expect(await server.call('PATCH', '/connectors/a/offsets', offsets)).toMatchObject({
      status: 200,
      body: { message: 'The offsets for this connector have been altered successfully' },
    });
    expect((await server.call('GET', '/connectors/a/offsets')).body).toEqual(offsets);
    expect(await server.call('DELETE', '/connectors/a/offsets')).toMatchObject({
      status: 200,
      body: { message: 'The offsets for this connector have been reset successfully' },
    });
  });

  it.each([
    [{}, 'Partitions / offsets need to be provided for an alter offsets request'],
    [{ offsets: [] }, 'Partitions / offsets need to be provided for an alter offsets request'],
    [{ offsets: [{ offset: {} }] }, "Field 'offsets[0].partition' is required (an object)"],
    [
      { offsets: [{ partition: {}, offset: 5 }] },
      "Field 'offsets[0].offset' must be an object or null, not a number",
    ],
  ])('PATCH offsets with %j: 400', async (body, message) => {
    await server.call('PUT', '/connectors/a/stop');
    expect((await server.call('PATCH', '/connectors/a/offsets', body)).body).toEqual({
      error_code: 400,
      message,
    });
  });

  it('PATCH offsets accepts a null offset (removes the partition)', async () => {
    await server.call('PUT', '/connectors/a/stop');
    const res = await server.call('PATCH', '/connectors/a/offsets', {
      offsets: [{ partition: { f: 'x' }, offset: null }],
    });
    expect(res.status).toBe(200);
  });
});
