// Runs `weir` as a child process, the way a user would, for the demo, integration tests and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, freePort } from './kafka/testbed.ts';

export interface WeirProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  /** SIGTERM (or `signal`) and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartWeirOptions {
  /** Folder for the worker's properties, offsets and log. */
  dir: string;
  bootstrap: string;
  /** Extra worker settings. */
  worker?: Record<string, string>;
  /** Connector property files' contents, written into `dir` and passed on the command line. */
  connectors?: Record<string, string>[];
  port?: number;
  /** Where the worker's output goes: a file (default `dir/weir.log`) or 'inherit'. */
  output?: 'inherit' | string;
}

export function toProperties(props: Record<string, string>): string {
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`)
    .join('\n')}\n`;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

export async function startWeirStandalone(options: StartWeirOptions): Promise<WeirProcess> {
  return startWeir('connect-standalone', options, {
    'offset.storage.file.filename': join(options.dir, 'connect.offsets'),
  });
}

export interface StartDistributedOptions extends StartWeirOptions {
  groupId: string;
  /** Topic name prefix for config, offsets and status topics (default: the group id). */
  topicPrefix?: string;
}

/** A worker of a distributed cluster; its files go to `dir` (one folder per worker). */
export async function startWeirDistributed(options: StartDistributedOptions): Promise<WeirProcess> {
  const prefix = options.topicPrefix ?? options.groupId;
  return startWeir('connect-distributed', options, {
    'group.id': options.groupId,
    'config.storage.topic': `${prefix}-configs`,
    'offset.storage.topic': `${prefix}-offsets`,
    'status.storage.topic': `${prefix}-status`,
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'offset.storage.partitions': '5',
    'status.storage.partitions': '3',
  });
}

async function startWeir(
  command: string,
  options: StartWeirOptions,
  modeDefaults: Record<string, string>,
): Promise<WeirProcess> {
  const port = options.port ?? (await freePort());
  mkdirSync(options.dir, { recursive: true });
  const workerFile = join(options.dir, 'worker.properties');
  writeFileSync(
    workerFile,
    toProperties({
      'bootstrap.servers': options.bootstrap,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter.schemas.enable': 'false',
      'offset.flush.interval.ms': '1000',
      listeners: `http://127.0.0.1:${port}`,
      ...modeDefaults,
      ...options.worker,
    }),
  );
  const connectorFiles = (options.connectors ?? []).map((props, i) => {
    const file = join(options.dir, `connector-${i}.properties`);
    writeFileSync(file, toProperties(props));
    return file;
  });
  const output = options.output ?? join(options.dir, 'weir.log');
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'weir.js'), command, workerFile, ...connectorFiles],
    {
      stdio: output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        WEIR_LOG_FORMAT: output === 'inherit' ? (process.env.WEIR_LOG_FORMAT ?? 'pretty') : 'json',
      },
    },
  );
  if (output !== 'inherit') {
    const log = createWriteStream(output, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  let ended = false;
  void exited.then(() => (ended = true));
  await waitFor(
    `the worker's REST API at ${url}`,
    async () => {
      if (ended) throw new Error(`weir exited before its REST API answered; see ${output}`);
      const response = await fetch(`${url}/health`);
      return response.status === 200;
    },
    60_000,
  );
  return {
    url,
    child,
    exited,
    async stop(signal = 'SIGTERM') {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}

/** JSON over HTTP: the status code and the parsed body. */
export async function http(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
