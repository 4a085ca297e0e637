// Serves the REST app on 127.0.0.1 with an ephemeral port and calls it over real HTTP, for tests.
import type { Herder } from '../../herder/herder.ts';
import { createRestApp, startRestServer, type RestAppOptions, type RunningRestServer } from '../server.ts';

export interface CallResult {
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  text: string;
}

export interface TestServer extends RunningRestServer {
  /** A JSON body is sent as application/json; a string body is sent as is (Content-Type from `headers`). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<CallResult>;
}

export async function serveRest(
  herder: Herder,
  options: Partial<Omit<RestAppOptions, 'herder'>> = {},
): Promise<TestServer> {
  const app = createRestApp({ herder, version: '0.1.0', commit: 'abc123', ...options });
  const server = await startRestServer({ listeners: 'http://127.0.0.1:0', app });
  return {
    ...server,
    async call(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (typeof body === 'string') init.body = body;
      else if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers = { 'content-type': 'application/json', ...headers };
      }
      const response = await fetch(`${server.url}${path}`, init);
      const text = await response.text();
      let parsed: unknown = undefined;
      if (text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
  };
}
