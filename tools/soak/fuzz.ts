// A bounded REST fuzz of a worker with schemathesis (PyPI), driven by the worker's own
// GET /openapi.json. schemathesis is installed once into a virtualenv in the cache.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../kafka/testbed.ts';

export const SCHEMATHESIS_VERSION = '4.32.5';

export interface FuzzOptions {
  /** The worker's base URL; only 127.0.0.1 is accepted. */
  url: string;
  /** Examples per operation and phase. */
  maxExamples: number;
  /** schemathesis is stopped after this long. */
  timeLimitMs: number;
  /** Folder for the HAR file and schemathesis' output. */
  dir: string;
  seed: number;
  log: (line: string) => void;
}

export interface FuzzRequest {
  method: string;
  url: string;
  status: number;
  body?: string;
  response?: string;
}

export interface FuzzResult {
  requests: number;
  /** Requests answered 5xx. */
  serverErrors: FuzzRequest[];
  /** Whether schemathesis ran to its end (false: stopped at the time limit, or it failed). */
  finished: boolean;
  /** schemathesis' exit code (1 when a check failed, which a 5xx does). */
  exitCode: number | null;
  output: string;
}

/** The virtualenv's schemathesis, installed with pip into the cache on first use. */
export function ensureSchemathesis(log: (line: string) => void): string {
  const home = join(cacheDir(), `schemathesis-${SCHEMATHESIS_VERSION}`);
  const bin = join(home, 'bin', 'schemathesis');
  if (existsSync(join(home, '.complete'))) return bin;
  log(`Installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${home} (first run only)…`);
  // A virtualenv holds its own path in its scripts, so it is made in place; the marker says it is whole.
  rmSync(home, { recursive: true, force: true });
  const run = (command: string, args: string[]): void => {
    const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.error || result.status !== 0)
      throw new Error(
        `${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}); ` +
          'the soak needs python3 with venv (Debian: apt-get install python3-venv)',
      );
  };
  run('python3', ['-m', 'venv', home]);
  run(join(home, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  writeFileSync(join(home, '.complete'), `${SCHEMATHESIS_VERSION}\n`);
  return bin;
}

/** Runs schemathesis against every operation of the worker's API and reads back each exchange. */
export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const base = new URL(options.url);
  if (base.hostname !== '127.0.0.1') throw new Error(`the fuzz only targets 127.0.0.1, not ${base.host}`);
  const bin = ensureSchemathesis(options.log);
  const har = join(options.dir, `fuzz-${Date.now()}.har`);
  const args = [
    'run',
    `${base.origin}/openapi.json`,
    // The document's servers entry names localhost:8083; every request goes to this worker instead.
    '--url',
    base.origin,
    '--checks',
    'not_a_server_error',
    '--max-examples',
    String(options.maxExamples),
    '--seed',
    String(options.seed),
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--continue-on-failure',
    // Shrinking repeats failing requests to minimise them; the soak lists each 5xx as sent instead.
    '--no-shrink',
    '--generation-database',
    'none',
    '--report',
    'har',
    '--report-har-path',
    har,
    '--no-color',
  ];
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.dir,
    detached: true,
    env: { ...process.env, SCHEMATHESIS_HOOKS: '', NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // SIGINT: schemathesis stops and still writes its reports.
    if (child.pid) process.kill(-child.pid, 'SIGINT');
    setTimeout(() => {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    }, 15_000).unref();
  }, options.timeLimitMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(timer);
  writeFileSync(`${har}.log`, output);
  const requests = existsSync(har) ? readHar(har) : [];
  return {
    requests: requests.length,
    serverErrors: requests.filter((r) => r.status >= 500),
    finished: !timedOut && (exitCode === 0 || exitCode === 1),
    exitCode,
    output,
  };
}

interface HarEntry {
  request: { method: string; url: string; postData?: { text?: string } };
  response: { status: number; content?: { text?: string } };
}

/** The exchanges of a HAR file (requests without an answer have status 0). */
export function readHar(file: string): FuzzRequest[] {
  const har = JSON.parse(readFileSync(file, 'utf8')) as { log?: { entries?: HarEntry[] } };
  return (har.log?.entries ?? []).map((e) => ({
    method: e.request.method,
    url: e.request.url,
    status: e.response.status,
    body: e.request.postData?.text,
    response: e.response.content?.text,
  }));
}
