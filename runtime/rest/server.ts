// The worker's REST server: an express app over the Herder (createRestApp) and the HTTP listeners that
// serve it (startRestServer), configured like Kafka Connect's `listeners` (http://:8083).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { NotLeaderError, WeirError } from '../errors.ts';
import { logger } from '../logging.ts';
import type { Herder } from '../herder/herder.ts';
import { adminRoutes } from './admin-routes.ts';
import { clusterRoutes } from './cluster-routes.ts';
import { ignoreBody, jsonBody, parseBody } from './body.ts';
import { connectorRoutes } from './connectors-routes.ts';
import {
  errorMapper,
  methodNotAllowed,
  requestTimedOut,
  routeNotFound,
  sendError,
  unauthorized,
} from './errors.ts';
import { forwardToLeader } from './forwarding.ts';
import { pluginRoutes } from './plugins-routes.ts';
import { checkRequestPath } from './request-path.ts';
import type { Reply, Route, RouteContext } from './request.ts';
import { rootRoutes } from './root-routes.ts';

const log = logger('weir.rest');

/** Apache Kafka Connect gives every request 90 seconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 90_000;
const GRACEFUL_SHUTDOWN_MS = 60_000;

export interface RestAppOptions {
  herder: Herder;
  /** For GET /: the Weir version and the commit it was built from (weir_version, weir_commit). */
  version: string;
  commit: string;
  /** Decides whether a request may proceed (e.g. basic auth); false → 401. Every request passes without it. */
  authenticate?: (req: Request) => boolean | Promise<boolean>;
  /** PUT /admin/loggers/{logger}?scope=cluster; without it the level is set on this worker (standalone). */
  setClusterLoggerLevel?: (logger: string, level: string) => Promise<void>;
  requestTimeoutMs?: number;
}

/** Every route the app serves, in registration order. */
export function restRoutes(context: RouteContext): Route[] {
  return [
    ...rootRoutes(context),
    ...connectorRoutes(context),
    ...pluginRoutes(context),
    ...adminRoutes(context),
    ...clusterRoutes(context),
  ];
}

function absoluteLocation(req: Request, path: string): string {
  const host = req.get('host');
  return host ? `${req.protocol}://${host}${path}` : path;
}

function send(req: Request, res: Response, result: Reply): void {
  if (result.location !== undefined) res.location(absoluteLocation(req, result.location));
  res.status(result.status);
  if (result.body === undefined) res.end();
  else res.json(result.body);
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(requestTimedOut()), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function routePattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\?:[A-Za-z_]\w*/g, '[^/]+');
  return new RegExp(`^${escaped === '/' ? '' : escaped}/?$`);
}

/**
 * The order Jersey lists a resource's methods in (its HashSet's iteration order for these names), so an
 * Allow header reads as Java's does.
 */
const JAVA_METHOD_ORDER = ['HEAD', 'DELETE', 'POST', 'GET', 'OPTIONS', 'PUT', 'PATCH'];

/** Whether an Accept header admits text/plain (absent: it does). */
function acceptsText(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept
    .split(',')
    .map((type) => type.split(';')[0]?.trim().toLowerCase())
    .some((type) => type === 'text/plain' || type === 'text/*' || type === '*/*');
}

/**
 * Requests no route matched: 405 when the path exists for other methods, else 404. OPTIONS is answered
 * as Jersey answers it: 200 with the methods in an Allow header and, as text/plain, in the body.
 */
function unmatched(routes: Route[]) {
  const patterns = routes.map((route) => ({
    method: route.method.toUpperCase(),
    pattern: routePattern(route.path),
  }));
  return (req: Request, res: Response, next: NextFunction): void => {
    const methods = patterns.filter(({ pattern }) => pattern.test(req.path)).map(({ method }) => method);
    if (methods.length === 0) {
      next(routeNotFound());
      return;
    }
    const all = new Set([...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS']);
    const allowed = JAVA_METHOD_ORDER.filter((method) => all.has(method));
    res.set('Allow', allowed.join(','));
    if (req.method !== 'OPTIONS') {
      next(methodNotAllowed());
      return;
    }
    if (acceptsText(req.get('accept'))) res.status(200).type('text/plain').send(allowed.join(', '));
    else res.status(200).type('application/json').end();
  };
}

export function createRestApp(options: RestAppOptions): Express {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const context: RouteContext = {
    herder: options.herder,
    version: options.version,
    commit: options.commit,
    ...(options.setClusterLoggerLevel && { setClusterLoggerLevel: options.setClusterLoggerLevel }),
  };
  const routes = restRoutes(context);

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('case sensitive routing', true);

  // Method, path, status and time only: bodies and headers may carry secrets.
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.debug({ method: req.method, path: req.path, status: res.statusCode, ms }, 'REST request');
    });
    next();
  });

  // Paths Java's HTTP server refuses are refused first, as there; matrix parameters are dropped.
  app.use((req, _res, next) => {
    try {
      req.url = checkRequestPath(req.url);
      next();
    } catch (error) {
      next(error);
    }
  });

  const { authenticate } = options;
  if (authenticate) {
    app.use((req, _res, next) => {
      Promise.resolve()
        .then(() => authenticate(req))
        .then((allowed) => next(allowed ? undefined : unauthorized()), next);
    });
  }

  // OPTIONS lists a path's methods (the router's own answer would be a text body).
  const fallback = unmatched(routes);
  app.use((req, res, next) => (req.method === 'OPTIONS' ? fallback(req, res, next) : next()));

  app.use(jsonBody());

  const router = express.Router({ caseSensitive: true });
  for (const route of routes) {
    router[route.method](route.path, route.body ? parseBody : ignoreBody, (req: Request, res: Response) => {
      const work = Promise.resolve()
        .then(() => route.handle(req))
        .catch((error: unknown) => {
          if (error instanceof NotLeaderError) return forwardToLeader(req, error);
          throw error;
        });
      withTimeout(work, timeoutMs)
        .then((result) => send(req, res, result))
        .catch((error: unknown) => sendError(req, res, error))
        .catch((error: unknown) => {
          log.error({ err: error }, `Could not answer REST request ${req.method} ${req.path}`);
          res.destroy();
        });
    });
  }
  app.use(router);
  app.use(fallback);
  app.use(errorMapper);
  return app;
}

export interface Listener {
  protocol: 'http';
  /** Empty: every interface. */
  host: string;
  port: number;
}

// Java's pattern: protocol://host:port, host optionally in brackets (IPv6) and possibly empty.
const LISTENER = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$/;

/** Parses a Kafka Connect `listeners` value: comma-separated protocol://host:port entries. */
export function parseListeners(listeners: string): Listener[] {
  const entries = listeners
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) {
    throw new WeirError(
      'WEIR_INVALID_CONFIG',
      "'listeners' is empty: give at least one, such as http://:8083",
    );
  }
  return entries.map((entry) => {
    const match = LISTENER.exec(entry);
    if (!match) {
      throw new WeirError(
        'WEIR_INVALID_CONFIG',
        `Listener '${entry}' doesn't have the right format (protocol://hostname:port), e.g. http://:8083`,
      );
    }
    const protocol = (match[1] as string).toLowerCase();
    if (protocol === 'https') {
      throw new WeirError(
        'WEIR_INVALID_CONFIG',
        `Listener '${entry}': HTTPS is not supported yet; use an http:// listener (and TLS in front of it)`,
      );
    }
    if (protocol !== 'http') {
      throw new WeirError('WEIR_INVALID_CONFIG', `Listener '${entry}': protocol must be "http" (or "https")`);
    }
    const port = Number(match[3]);
    if (port < 0 || port > 65535) {
      throw new WeirError(
        'WEIR_INVALID_CONFIG',
        `Listener '${entry}': port ${port} is not between 0 and 65535`,
      );
    }
    return { protocol: 'http', host: match[2] as string, port };
  });
}

export interface RunningRestServer {
  /** The first listener's URL, e.g. http://127.0.0.1:8083 (localhost when it listens on every interface). */
  url: string;
  port: number;
  /** Every listener's URL. */
  urls: string[];
  /** Stops accepting, lets requests in flight finish (up to 60 s), then closes every connection. */
  close(): Promise<void>;
}

function listen(server: Server, listener: Listener, entry: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const reason = error.code === 'EADDRINUSE' ? 'the address is already in use' : error.message;
      reject(new WeirError('WEIR_INVALID_CONFIG', `Cannot listen on ${entry}: ${reason}`, { cause: error }));
    };
    server.once('error', onError);
    const onListening = (): void => {
      server.off('error', onError);
      server.on('error', (error) => log.error({ err: error }, `REST listener ${entry} failed`));
      resolve((server.address() as AddressInfo).port);
    };
    if (listener.host === '') server.listen(listener.port, onListening);
    else server.listen(listener.port, listener.host, onListening);
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), GRACEFUL_SHUTDOWN_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export async function startRestServer(options: {
  listeners: string;
  app: Express;
}): Promise<RunningRestServer> {
  const listeners = parseListeners(options.listeners);
  const servers: Server[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(servers.map(closeServer));
  };
  const urls: string[] = [];
  const ports: number[] = [];
  try {
    for (const listener of listeners) {
      const server = createServer(options.app);
      servers.push(server);
      const port = await listen(server, listener, `${listener.protocol}://${listener.host}:${listener.port}`);
      const host =
        listener.host === ''
          ? 'localhost'
          : listener.host.includes(':')
            ? `[${listener.host}]`
            : listener.host;
      urls.push(`http://${host}:${port}`);
      ports.push(port);
      log.info(`REST server listening on ${urls.at(-1)}`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { url: urls[0] as string, port: ports[0] as number, urls, close };
}
