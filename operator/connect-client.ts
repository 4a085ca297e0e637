// A typed client of the Kafka Connect REST API as Weir workers serve it, used by the operator. It
// talks to the worker pods' IPs (no Service routing or DNS needed), with a bearer token, a connect
// timeout and a whole-request timeout on every call. A connection that cannot be made (refused,
// unreachable, connect timeout) moves on to the next ready worker; once a request was sent it is
// never sent again elsewhere (a POST could otherwise create twice).
import { request as httpRequest } from 'node:http';
import type {
  ConnectorInfo,
  ConnectorStateInfo,
  CreateConnectorRequest,
  PluginInfo,
} from '../runtime/rest/types.ts';

export interface ConnectClientOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Default 2 s. */
  connectTimeoutMs?: number;
  /** Whole request, from the connection to the last byte; default 10 s. */
  requestTimeoutMs?: number;
  /** Told of every request sent (metrics): its method and route, e.g. `GET /connectors/{name}`. */
  onRequest?: (method: HttpMethod, route: string) => void;
}

/** The workers answered with a non-2xx status. */
export class ConnectRestError extends Error {
  readonly status: number;
  readonly endpoint: string;
  constructor(status: number, message: string, endpoint: string) {
    super(message);
    this.name = 'ConnectRestError';
    this.status = status;
    this.endpoint = endpoint;
  }
  /** 409 (rebalance in progress), 5xx and 408 go away by themselves; other 4xx need a changed spec. */
  get retryable(): boolean {
    return this.status === 409 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** No worker could be reached. */
export class ConnectUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectUnreachableError';
  }
}

/** One entry of GET /connectors?expand=status&expand=info&expand=topics. */
export interface ConnectorExpansion {
  status?: ConnectorStateInfo;
  info?: ConnectorInfo;
  /** Weir's expansion (absent from workers that do not know it, or with topic tracking off). */
  topics?: string[];
}

/** GET /admin/loggers: logger name → level. */
export type LoggerLevels = Record<string, { level: string; last_modified?: number | null }>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

class ConnectFailed extends Error {}

export class ConnectClient {
  /** `host:port` of each ready worker, tried in order (the list is read on every call). */
  private readonly endpoints: () => string[];
  private readonly token: string | undefined;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly onRequest: ConnectClientOptions['onRequest'];

  constructor(endpoints: string[] | (() => string[]), options: ConnectClientOptions = {}) {
    this.endpoints = typeof endpoints === 'function' ? endpoints : () => endpoints;
    this.token = options.token;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.onRequest = options.onRequest;
  }

  /** Sends one request; resolves to the parsed body (undefined when empty). */
  async request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const endpoints = this.endpoints();
    if (endpoints.length === 0) throw new ConnectUnreachableError('no ready worker to call');
    const failures: string[] = [];
    this.onRequest?.(method, routeOf(path));
    for (const endpoint of endpoints) {
      try {
        return await this.send<T>(endpoint, method, path, body);
      } catch (error) {
        if (!(error instanceof ConnectFailed)) throw error;
        failures.push(`${endpoint}: ${error.message}`);
      }
    }
    throw new ConnectUnreachableError(`no worker answered ${method} ${path} (${failures.join('; ')})`);
  }

  private send<T>(endpoint: string, method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const [host, port] = splitHostPort(endpoint);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      let connected = false;
      const req = httpRequest({
        host,
        port,
        method,
        path,
        headers: {
          accept: 'application/json',
          ...(payload !== undefined
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
      });
      const fail = (error: Error) => {
        clearTimeout(connectTimer);
        clearTimeout(requestTimer);
        req.destroy();
        reject(connected ? error : new ConnectFailed(error.message));
      };
      const connectTimer = setTimeout(
        () => fail(new Error(`connect timeout after ${this.connectTimeoutMs} ms`)),
        this.connectTimeoutMs,
      );
      const requestTimer = setTimeout(
        () =>
          fail(new Error(`${method} ${path} on ${endpoint}: no answer within ${this.requestTimeoutMs} ms`)),
        this.requestTimeoutMs,
      );
      req.on('socket', (socket) => {
        if (!socket.connecting) {
          connected = true;
          clearTimeout(connectTimer);
        } else
          socket.once('connect', () => {
            connected = true;
            clearTimeout(connectTimer);
          });
      });
      req.on('error', fail);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(requestTimer);
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = text;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(parsed as T);
          const message =
            parsed && typeof parsed === 'object' && 'message' in parsed
              ? String((parsed as { message: unknown }).message)
              : text || `HTTP ${status}`;
          reject(new ConnectRestError(status, `${method} ${path}: ${status} ${message}`, endpoint));
        });
      });
      req.end(payload);
    });
  }

  /** Every connector with its status, info and active topics, in one call. */
  connectors(): Promise<Record<string, ConnectorExpansion>> {
    return this.request('GET', '/connectors?expand=status&expand=info&expand=topics');
  }

  createConnector(body: CreateConnectorRequest): Promise<ConnectorInfo> {
    return this.request('POST', '/connectors', body);
  }

  putConnectorConfig(name: string, config: Record<string, string>): Promise<ConnectorInfo> {
    return this.request('PUT', `/connectors/${enc(name)}/config`, config);
  }

  /** PUT /connectors/{name}/pause, /resume or /stop. */
  async setState(name: string, action: 'pause' | 'resume' | 'stop'): Promise<void> {
    await this.request('PUT', `/connectors/${enc(name)}/${action}`);
  }

  async restartConnector(name: string, options: { includeTasks?: boolean; onlyFailed?: boolean } = {}) {
    const q = `includeTasks=${options.includeTasks ?? false}&onlyFailed=${options.onlyFailed ?? false}`;
    await this.request('POST', `/connectors/${enc(name)}/restart?${q}`);
  }

  async restartTask(name: string, task: number): Promise<void> {
    await this.request('POST', `/connectors/${enc(name)}/tasks/${task}/restart`);
  }

  /** Deletes the connector; false when there was none. */
  async deleteConnector(name: string): Promise<boolean> {
    try {
      await this.request('DELETE', `/connectors/${enc(name)}`);
      return true;
    } catch (error) {
      if (error instanceof ConnectRestError && error.status === 404) return false;
      throw error;
    }
  }

  connectorPlugins(): Promise<PluginInfo[]> {
    return this.request('GET', '/connector-plugins');
  }

  /** The levels of the answering worker's loggers. */
  loggers(): Promise<LoggerLevels> {
    return this.request('GET', '/admin/loggers');
  }

  /** Sets a logger (and those below it) on the answering worker only. */
  async setLoggerLevel(name: string, level: string): Promise<void> {
    await this.request('PUT', `/admin/loggers/${enc(name)}`, { level });
  }

  /** Weir's admin endpoint: the worker `workerId` (`<podIP>:8083`) is gone; its work moves now. */
  async removeWorker(workerId: string): Promise<void> {
    await this.request('DELETE', `/admin/workers/${enc(workerId)}`);
  }
}

const enc = encodeURIComponent;

/** The path with its variable parts named, so metrics stay few: `/connectors/{name}/status`. */
export function routeOf(path: string): string {
  const parts = path.split('?')[0]!.split('/');
  if (parts[1] === 'connectors' && parts.length > 2) parts[2] = '{name}';
  if (parts[1] === 'connectors' && parts[3] === 'tasks' && parts.length > 4) parts[4] = '{task}';
  if (parts[1] === 'admin' && parts.length > 3) parts[3] = parts[2] === 'loggers' ? '{logger}' : '{worker}';
  return parts.join('/');
}

function splitHostPort(endpoint: string): [string, number] {
  const i = endpoint.lastIndexOf(':');
  return [endpoint.slice(0, i).replace(/^\[|\]$/g, ''), Number(endpoint.slice(i + 1))];
}
