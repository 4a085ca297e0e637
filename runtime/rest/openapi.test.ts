// The shipped OpenAPI document against the app: the same routes both ways, and every response a
// scripted session produces has a documented status and a body matching its schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import openapi from './openapi.json' with { type: 'json' };
import { createRestApp } from './server.ts';
import { serveRest, type TestServer } from './testing/client.ts';
import { FakeHerder } from './testing/fake-herder.ts';

type Schema = Record<string, unknown>;
const doc = openapi as unknown as {
  paths: Record<string, Record<string, { responses: Record<string, Schema> }>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, Schema> };
};
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function registeredRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]): void => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all')
            out.push(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out.sort();
}

function documentedRoutes(): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    )
    .sort();
}

function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const [, , kind, name] = ref.split('/');
  return resolve(
    (doc.components as Record<string, Record<string, Schema>>)[kind as string]?.[name as string] ?? {},
  );
}

function typeMatches(type: string, value: unknown): boolean {
  if (type === 'null') return value === null;
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  if (type === 'integer') return Number.isInteger(value);
  return typeof value === type;
}

/** A small JSON Schema checker: the keywords this document uses. Returns the problems found. */
function check(schemaOrRef: Schema, value: unknown, at = '$'): string[] {
  const schema = resolve(schemaOrRef);
  if (Array.isArray(schema.oneOf)) {
    const passing = (schema.oneOf as Schema[]).filter((s) => check(s, value, at).length === 0);
    return passing.length === 1 ? [] : [`${at}: matches ${passing.length} of oneOf`];
  }
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type as string);
  if (types.length > 0 && !types.some((t) => typeMatches(t, value))) return [`${at}: not ${types.join('|')}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    return [`${at}: ${String(value)} not in enum`];
  const problems: string[] = [];
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => problems.push(...check(schema.items as Schema, item, `${at}[${i}]`)));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[])
      if (!(key in record)) problems.push(`${at}.${key}: missing`);
    for (const [key, item] of Object.entries(record)) {
      if (properties[key]) problems.push(...check(properties[key], item, `${at}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${at}.${key}: not in the schema`);
      else if (typeof schema.additionalProperties === 'object') {
        problems.push(...check(schema.additionalProperties as Schema, item, `${at}.${key}`));
      }
    }
  }
  return problems;
}

describe('openapi.json', () => {
  it('documents exactly the routes the app registers', () => {
    const app = createRestApp({ herder: new FakeHerder(), version: 'v', commit: 'c' });
    const registered = registeredRoutes(app);
    expect(registered.length).toBeGreaterThan(25);
    expect(documentedRoutes()).toEqual(registered);
  });

  it('resolves every $ref', () => {
    const refs = JSON.stringify(openapi).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) expect(resolve(JSON.parse(`{${ref}}`) as Schema), ref).not.toEqual({});
  });
});

describe('responses match the documented status codes and schemas', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serveRest(new FakeHerder());
  });
  afterAll(() => server.close());

  const source = { 'connector.class': 'FileStreamSource', file: 'in.txt', topic: 't' };
  const offsets = { offsets: [{ partition: { filename: 'in.txt' }, offset: { position: 1 } }] };
  const script: [string, string, string, unknown?][] = [
    ['GET', '/', '/'],
    ['GET', '/health', '/health'],
    ['GET', '/openapi.json', '/openapi.json'],
    ['POST', '/connectors', '/connectors', { name: 'a', config: source }],
    ['POST', '/connectors', '/connectors', { name: 'a', config: source }],
    ['POST', '/connectors', '/connectors', { name: 'b' }],
    ['GET', '/connectors', '/connectors'],
    ['GET', '/connectors?expand=status&expand=info', '/connectors'],
    ['GET', '/connectors?expand=status&expand=info&expand=topics', '/connectors'],
    ['GET', '/connectors/a', '/connectors/{name}'],
    ['GET', '/connectors/zz', '/connectors/{name}'],
    ['GET', '/connectors/a/config', '/connectors/{name}/config'],
    ['PUT', '/connectors/a/config', '/connectors/{name}/config', source],
    ['PUT', '/connectors/c/config', '/connectors/{name}/config', source],
    ['PATCH', '/connectors/a/config', '/connectors/{name}/config', { file: null }],
    ['GET', '/connectors/a/status', '/connectors/{name}/status'],
    ['GET', '/connectors/a/tasks', '/connectors/{name}/tasks'],
    ['GET', '/connectors/a/tasks/0/status', '/connectors/{name}/tasks/{task}/status'],
    ['GET', '/connectors/a/tasks/x/status', '/connectors/{name}/tasks/{task}/status'],
    ['POST', '/connectors/a/restart', '/connectors/{name}/restart'],
    ['POST', '/connectors/a/restart?includeTasks=true', '/connectors/{name}/restart'],
    ['POST', '/connectors/a/tasks/0/restart', '/connectors/{name}/tasks/{task}/restart'],
    ['PUT', '/connectors/a/pause', '/connectors/{name}/pause'],
    ['PUT', '/connectors/a/resume', '/connectors/{name}/resume'],
    ['GET', '/connectors/a/topics', '/connectors/{name}/topics'],
    ['PUT', '/connectors/a/topics/reset', '/connectors/{name}/topics/reset'],
    ['PUT', '/connectors/a/stop', '/connectors/{name}/stop'],
    ['GET', '/connectors/a/offsets', '/connectors/{name}/offsets'],
    ['PATCH', '/connectors/a/offsets', '/connectors/{name}/offsets', offsets],
    ['PATCH', '/connectors/a/offsets', '/connectors/{name}/offsets', { offsets: [] }],
    ['DELETE', '/connectors/a/offsets', '/connectors/{name}/offsets'],
    ['DELETE', '/connectors/a', '/connectors/{name}'],
    ['GET', '/connector-plugins?connectorsOnly=false', '/connector-plugins'],
    ['GET', '/connector-plugins/FileStreamSource/config', '/connector-plugins/{plugin}/config'],
    [
      'PUT',
      '/connector-plugins/FileStreamSource/config/validate',
      '/connector-plugins/{plugin}/config/validate',
      source,
    ],
    ['GET', '/admin/loggers', '/admin/loggers'],
    ['GET', '/admin/loggers/root', '/admin/loggers/{logger}'],
    ['PUT', '/admin/loggers/weir.openapi', '/admin/loggers/{logger}', { level: 'INFO' }],
    ['PUT', '/admin/loggers/weir.openapi?scope=cluster', '/admin/loggers/{logger}', { level: 'INFO' }],
    // Distributed mode only: a standalone herder answers 404.
    ['POST', '/connectors/a/tasks', '/connectors/{name}/tasks', [{ topic: 't' }]],
    ['PUT', '/connectors/a/fence', '/connectors/{name}/fence'],
    ['GET', '/admin/workers', '/admin/workers'],
    ['DELETE', '/admin/workers/w1:8083', '/admin/workers/{worker}'],
  ];

  it('every documented operation is exercised by the script', () => {
    const exercised = new Set(script.map(([method, , path]) => `${method} ${path}`));
    expect([...exercised].sort()).toEqual(documentedRoutes());
  });

  it.each(script)('%s %s', async (method, url, path, body) => {
    const res = await server.call(method, url, body);
    const documented = doc.paths[path]?.[method.toLowerCase()]?.responses ?? {};
    expect(Object.keys(documented), `status ${res.status} is documented`).toContain(String(res.status));
    const response = resolve(documented[String(res.status)] as Schema) as {
      content?: { 'application/json': { schema: Schema } };
    };
    const schema = response.content?.['application/json'].schema;
    if (schema === undefined) expect(res.text).toBe('');
    else expect(check(schema, res.body)).toEqual([]);
  });
});
