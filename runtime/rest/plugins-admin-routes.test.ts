import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger, loggerLevel } from '../logging.ts';
import { serveRest, type TestServer } from './testing/client.ts';
import { FILE_KEY, FakeHerder, PLUGINS } from './testing/fake-herder.ts';

let herder: FakeHerder;
let server: TestServer;
const clusterCalls: [string, string][] = [];

beforeAll(async () => {
  herder = new FakeHerder();
  server = await serveRest(herder);
});
afterAll(() => server.close());

describe('/connector-plugins', () => {
  it('lists connectors only by default', async () => {
    expect(await server.call('GET', '/connector-plugins')).toMatchObject({
      status: 200,
      body: PLUGINS.filter((p) => p.type === 'source' || p.type === 'sink'),
    });
    expect((await server.call('GET', '/connector-plugins?connectorsOnly=true')).body).toHaveLength(2);
  });

  it('lists every plugin with connectorsOnly=false (any case)', async () => {
    expect((await server.call('GET', '/connector-plugins?connectorsOnly=false')).body).toEqual(PLUGINS);
    expect((await server.call('GET', '/connector-plugins?connectorsOnly=FALSE')).body).toEqual(PLUGINS);
  });

  it('GET /connector-plugins/{plugin}/config; 404 for an unknown plugin', async () => {
    expect(await server.call('GET', '/connector-plugins/FileStreamSourceConnector/config')).toMatchObject({
      status: 200,
      body: [FILE_KEY],
    });
    expect(await server.call('GET', '/connector-plugins/Nope/config')).toMatchObject({
      status: 404,
      body: { error_code: 404, message: 'Unknown plugin Nope' },
    });
  });

  it('PUT …/config/validate returns ConfigInfos and passes the plugin from the URL', async () => {
    const res = await server.call('PUT', '/connector-plugins/FileStreamSourceConnector/config/validate', {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': 1,
      file: null,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      error_count: 1,
      groups: ['Common'],
      configs: [
        {
          definition: FILE_KEY,
          value: {
            name: 'file',
            value: null,
            recommended_values: [],
            errors: ['Missing required configuration "file"'],
            visible: true,
          },
        },
      ],
    });
    expect(herder.calls.at(-1)).toEqual([
      'validateConnectorConfig',
      'FileStreamSourceConnector',
      { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', 'tasks.max': '1' },
    ]);
  });

  it.each([
    ['FileStreamSource', 'FileStreamSourceConnector'],
    ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'FileStreamSource'],
  ])('validate accepts connector.class %s for the URL plugin %s', async (cls, plugin) => {
    const res = await server.call('PUT', `/connector-plugins/${plugin}/config/validate`, {
      'connector.class': cls,
      file: 'f',
    });
    expect(res.status).toBe(200);
  });

  it('validate: 400 when connector.class names another plugin, or the body is not an object', async () => {
    expect(
      (
        await server.call('PUT', '/connector-plugins/FileStreamSinkConnector/config/validate', {
          'connector.class': 'FileStreamSource',
        })
      ).body,
    ).toEqual({
      error_code: 400,
      message: 'Included connector type FileStreamSource does not match request type FileStreamSinkConnector',
    });
    expect((await server.call('PUT', '/connector-plugins/FileStreamSink/config/validate', [1])).status).toBe(
      400,
    );
    expect((await server.call('PUT', '/connector-plugins/FileStreamSink/config/validate')).status).toBe(400);
  });
});

describe('/admin/loggers', () => {
  it('GET lists root and the known loggers', async () => {
    logger('weir.rest.test');
    const res = await server.call('GET', '/admin/loggers');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      root: { level: expect.any(String), last_modified: null },
      'weir.rest.test': { level: expect.any(String) },
    });
  });

  it('GET one logger; 404 when unknown', async () => {
    expect(await server.call('GET', '/admin/loggers/root')).toMatchObject({
      status: 200,
      body: { last_modified: null },
    });
    expect(await server.call('GET', '/admin/loggers/no.such.logger')).toMatchObject({
      status: 404,
      body: { error_code: 404, message: 'Logger no.such.logger not found.' },
    });
  });

  it('PUT sets a logger and its descendants; answers the names changed', async () => {
    logger('weir.demo');
    logger('weir.demo.child');
    logger('weir.demolition');
    const before = Date.now();
    const res = await server.call('PUT', '/admin/loggers/weir.demo', { level: 'debug' });
    expect(res).toMatchObject({ status: 200, body: ['weir.demo', 'weir.demo.child'] });
    expect(loggerLevel('weir.demo.child')).toEqual({ level: 'DEBUG', last_modified: expect.any(Number) });
    expect(loggerLevel('weir.demo.child')!.last_modified).toBeGreaterThanOrEqual(before);
    expect(loggerLevel('weir.demolition')?.last_modified).toBeNull();
    expect((await server.call('GET', '/admin/loggers/weir.demo')).body).toMatchObject({ level: 'DEBUG' });
  });

  it('PUT with an unknown scope falls back to worker', async () => {
    const res = await server.call('PUT', '/admin/loggers/weir.scope?scope=galaxy', { level: 'WARN' });
    expect(res).toMatchObject({ status: 200, body: ['weir.scope'] });
  });

  it('PUT ?scope=cluster: 204; standalone sets this worker, a cluster hook gets the call', async () => {
    expect(
      (await server.call('PUT', '/admin/loggers/weir.cluster?scope=cluster', { level: 'ERROR' })).status,
    ).toBe(204);
    expect(loggerLevel('weir.cluster')?.level).toBe('ERROR');
    const clustered = await serveRest(new FakeHerder(), {
      setClusterLoggerLevel: async (name, level) => void clusterCalls.push([name, level]),
    });
    try {
      expect(
        (await clustered.call('PUT', '/admin/loggers/weir.x?scope=CLUSTER', { level: 'TRACE' })).status,
      ).toBe(204);
      expect(clusterCalls).toEqual([['weir.x', 'TRACE']]);
    } finally {
      await clustered.close();
    }
  });

  it('PUT: 400 without a level, 404 for an invalid level (as Java)', async () => {
    expect((await server.call('PUT', '/admin/loggers/weir.rest', {})).body).toEqual({
      error_code: 400,
      message: "Desired 'level' parameter was not specified in request.",
    });
    expect((await server.call('PUT', '/admin/loggers/weir.rest', { level: 'LOUD' })).body).toEqual({
      error_code: 404,
      message: "invalid log level 'LOUD'. Valid levels: TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF.",
    });
    expect(
      (await server.call('PUT', '/admin/loggers/weir.rest', 'x', { 'content-type': 'application/json' }))
        .status,
    ).toBe(400);
  });
});
