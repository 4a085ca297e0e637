// /connectors and everything below it, as Apache Kafka Connect's ConnectorsResource answers them.
import type { Request } from 'express';
import { WeirError, badRequest } from '../errors.ts';
import { logger } from '../logging.ts';
import type { Herder } from '../herder/herder.ts';
import type { ConnectorOffsets, TargetState } from './types.ts';
import {
  booleanQuery,
  describe,
  isObject,
  objectBody,
  pathParam,
  queryValues,
  reply,
  stringMap,
  taskParam,
  type Reply,
  type Route,
  type RouteContext,
} from './request.ts';

const log = logger('weir.rest');

const connectorName = (req: Request): string => pathParam(req, 'name');

const TARGET_STATES: readonly TargetState[] = ['RUNNING', 'PAUSED', 'STOPPED'];

const created = (name: string, body: unknown): Reply => ({
  status: 201,
  body,
  location: `/connectors/${encodeURIComponent(name)}`,
});

/**
 * The connector's name goes into its config: Java fills `name` when absent and refuses a different one.
 */
function withConnectorName(name: string, config: Record<string, string>): Record<string, string> {
  const included = config.name;
  if (included !== undefined && included !== name) {
    throw badRequest(
      `Connector name configuration (${included}) doesn't match connector name in the URL (${name})`,
    );
  }
  return { ...config, name };
}

/** Java's String.trim: drops every character up to U+0020 (spaces and control characters) at both ends. */
const javaTrim = (text: string): string => {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
};

function initialState(value: unknown): TargetState | undefined {
  if (value === undefined || value === null) return undefined;
  const state = typeof value === 'string' ? value.toUpperCase() : undefined;
  if (!TARGET_STATES.includes(state as TargetState)) {
    const shown = typeof value === 'string' ? `'${value}'` : describe(value);
    throw badRequest(`Invalid initial_state ${shown}: expected one of ${TARGET_STATES.join(', ')}`);
  }
  return state as TargetState;
}

function offsetsBody(req: Request): ConnectorOffsets {
  const body = objectBody(req, 'a JSON object with an "offsets" array');
  const offsets = body.offsets;
  if (!Array.isArray(offsets) || offsets.length === 0) {
    throw badRequest('Partitions / offsets need to be provided for an alter offsets request');
  }
  return {
    offsets: offsets.map((entry: unknown, i) => {
      if (!isObject(entry))
        throw badRequest(`Field 'offsets[${i}]' must be an object, not ${describe(entry)}`);
      const { partition, offset } = entry;
      if (partition === undefined)
        throw badRequest(`Field 'offsets[${i}].partition' is required (an object)`);
      if (!isObject(partition)) {
        throw badRequest(`Field 'offsets[${i}].partition' must be an object, not ${describe(partition)}`);
      }
      if (offset !== null && offset !== undefined && !isObject(offset)) {
        throw badRequest(`Field 'offsets[${i}].offset' must be an object or null, not ${describe(offset)}`);
      }
      return { partition, offset: offset ?? null };
    }),
  };
}

/**
 * `?expand=status` and `?expand=info` as in Java; `?expand=topics` is Weir's: the active topics
 * (GET /connectors/{name}/topics) of every connector in the same call, left out when topic tracking
 * is off. Java ignores it, like any unknown expansion, so a client asking for it works on both.
 */
const EXPANSIONS = ['status', 'info', 'topics'];

async function listConnectors(herder: Herder, req: Request): Promise<Reply> {
  const expand = queryValues(req, 'expand');
  const names = await herder.connectors();
  if (expand === undefined) return reply(200, names);
  for (const kind of expand) {
    if (!EXPANSIONS.includes(kind)) log.info(`Ignoring unknown expansion type ${kind}`);
  }
  const entries = await Promise.all(
    names.map(async (name) => {
      try {
        const expansions: Record<string, unknown> = {};
        if (expand.includes('status')) expansions.status = await herder.connectorStatus(name);
        if (expand.includes('info')) expansions.info = await herder.connectorInfo(name);
        if (expand.includes('topics')) {
          const topics = await activeTopics(herder, name);
          if (topics) expansions.topics = topics;
        }
        return [name, expansions] as const;
      } catch (error) {
        // Deleted while we looked it up: leave it out, as Java does.
        if (error instanceof WeirError && error.code === 'WEIR_NOT_FOUND') return undefined;
        throw error;
      }
    }),
  );
  return reply(200, Object.fromEntries(entries.filter((entry) => entry !== undefined)));
}

/** The connector's active topics; undefined when topic tracking is disabled. */
async function activeTopics(herder: Herder, name: string): Promise<string[] | undefined> {
  try {
    return await herder.connectorActiveTopics(name);
  } catch (error) {
    if (error instanceof WeirError && error.code === 'WEIR_FORBIDDEN') return undefined;
    throw error;
  }
}

async function createConnector(herder: Herder, req: Request): Promise<Reply> {
  const body = objectBody(req, 'a JSON object with "name" and "config"');
  if (body.name !== undefined && body.name !== null && typeof body.name !== 'string') {
    throw badRequest(`Field 'name' must be a string, not ${describe(body.name)}`);
  }
  const name = javaTrim(body.name ?? '');
  if (name === '') throw badRequest("Field 'name' is required: the name of the connector to create");
  if (body.config === undefined || body.config === null) {
    throw badRequest("Field 'config' is required: an object with the connector's configuration");
  }
  if (!isObject(body.config))
    throw badRequest(`Field 'config' must be an object, not ${describe(body.config)}`);
  const config = withConnectorName(name, stringMap(body.config, 'config'));
  const state = initialState(body.initial_state);
  const result = await herder.putConnectorConfig(name, config, {
    allowReplace: false,
    ...(state && { initialState: state }),
  });
  return created(name, result.info);
}

async function putConnectorConfig(herder: Herder, req: Request): Promise<Reply> {
  const name = pathParam(req, 'name');
  const body = objectBody(req, "a JSON object with the connector's configuration");
  const config = withConnectorName(name, stringMap(body, ''));
  const result = await herder.putConnectorConfig(name, config, { allowReplace: true });
  return result.created ? created(name, result.info) : reply(200, result.info);
}

async function restartConnector(herder: Herder, req: Request): Promise<Reply> {
  const name = pathParam(req, 'name');
  const includeTasks = booleanQuery(req, 'includeTasks', false);
  const onlyFailed = booleanQuery(req, 'onlyFailed', false);
  const status = await herder.restartConnector(name, { includeTasks, onlyFailed });
  // Both flags false: the connector alone restarts, answered with no content for backward compatibility.
  if (!includeTasks && !onlyFailed) return reply(204);
  return reply(202, status ?? undefined);
}

export function connectorRoutes({ herder }: RouteContext): Route[] {
  return [
    { method: 'get', path: '/connectors', handle: (req) => listConnectors(herder, req) },
    { method: 'post', path: '/connectors', body: true, handle: (req) => createConnector(herder, req) },
    {
      method: 'get',
      path: '/connectors/:name',
      handle: async (req) => reply(200, await herder.connectorInfo(connectorName(req))),
    },
    {
      method: 'delete',
      path: '/connectors/:name',
      handle: async (req) => {
        await herder.deleteConnector(connectorName(req));
        return reply(204);
      },
    },
    {
      method: 'get',
      path: '/connectors/:name/config',
      handle: async (req) => reply(200, await herder.connectorConfig(connectorName(req))),
    },
    {
      method: 'put',
      path: '/connectors/:name/config',
      body: true,
      handle: (req) => putConnectorConfig(herder, req),
    },
    {
      method: 'patch',
      path: '/connectors/:name/config',
      body: true,
      handle: async (req) => {
        const name = connectorName(req);
        // As Java: an unknown connector is a 404 whatever the body (a missing one included).
        await herder.connectorConfig(name);
        const patch = stringMap(objectBody(req, 'a JSON object of settings to change'), '', true);
        return reply(200, await herder.patchConnectorConfig(name, patch));
      },
    },
    {
      method: 'get',
      path: '/connectors/:name/status',
      handle: async (req) => reply(200, await herder.connectorStatus(connectorName(req))),
    },
    {
      method: 'get',
      path: '/connectors/:name/tasks',
      handle: async (req) => reply(200, await herder.taskConfigs(connectorName(req))),
    },
    {
      method: 'get',
      path: '/connectors/:name/tasks/:task/status',
      handle: async (req) => reply(200, await herder.taskStatus(connectorName(req), taskParam(req))),
    },
    { method: 'post', path: '/connectors/:name/restart', handle: (req) => restartConnector(herder, req) },
    {
      method: 'post',
      path: '/connectors/:name/tasks/:task/restart',
      handle: async (req) => {
        await herder.restartTask(connectorName(req), taskParam(req));
        return reply(204);
      },
    },
    {
      method: 'put',
      path: '/connectors/:name/pause',
      handle: async (req) => {
        await herder.pauseConnector(connectorName(req));
        return reply(202);
      },
    },
    {
      method: 'put',
      path: '/connectors/:name/resume',
      handle: async (req) => {
        await herder.resumeConnector(connectorName(req));
        return reply(202);
      },
    },
    {
      method: 'put',
      path: '/connectors/:name/stop',
      handle: async (req) => {
        await herder.stopConnector(connectorName(req));
        return reply(204);
      },
    },
    {
      method: 'get',
      path: '/connectors/:name/topics',
      handle: async (req) => {
        const connector = connectorName(req);
        const topics = await herder.connectorActiveTopics(connector);
        return reply(200, { [connector]: { topics } });
      },
    },
    {
      method: 'put',
      path: '/connectors/:name/topics/reset',
      handle: async (req) => {
        await herder.resetConnectorActiveTopics(connectorName(req));
        return reply(202);
      },
    },
    {
      method: 'get',
      path: '/connectors/:name/offsets',
      handle: async (req) => reply(200, await herder.connectorOffsets(connectorName(req))),
    },
    {
      method: 'patch',
      path: '/connectors/:name/offsets',
      body: true,
      handle: async (req) => {
        const connector = connectorName(req);
        const offsets = offsetsBody(req);
        return reply(200, { message: await herder.alterConnectorOffsets(connector, offsets) });
      },
    },
    {
      method: 'delete',
      path: '/connectors/:name/offsets',
      handle: async (req) => reply(200, { message: await herder.resetConnectorOffsets(connectorName(req)) }),
    },
  ];
}
