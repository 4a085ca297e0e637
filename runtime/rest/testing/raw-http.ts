// One HTTP request with its path sent exactly as written: fetch() and URL normalize paths (dot segments,
// backslashes), which would hide from a test what a client's raw request does.
import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function rawHttp(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    // A connection per request: Jetty closes the connection after refusing a path.
    // Content-Length always: without it Node sends a GET's or DELETE's body unframed.
    const headers = {
      ...options.headers,
      ...(options.body !== undefined && { 'content-length': String(Buffer.byteLength(options.body)) }),
    };
    const req = request({ hostname, port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
