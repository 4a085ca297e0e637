// Runs Apache Kafka Connect (Java, standalone mode) as a child process, as tools/weir-process.ts runs
// Weir: for compatibility tests and benchmarks that send the same requests to both.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, javaArgs } from './kafka/testbed.ts';
import { toProperties, waitFor } from './weir-process.ts';

export interface JavaConnectProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code once the JVM has ended. */
  readonly exited: Promise<number | null>;
  /** SIGTERM (or `signal`), SIGKILL after `graceMs`, and wait for the exit code. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

export interface StartJavaConnectOptions {
  /** Folder for the worker's properties, offsets and log (`java-connect.log`). */
  dir: string;
  bootstrap: string;
  /** Extra worker settings, over the same defaults tools/weir-process.ts gives Weir. */
  worker?: Record<string, string>;
  port?: number;
  heap?: string;
  /** How long to wait for GET /health to answer 200; the JVM scans plugins first. */
  timeoutMs?: number;
}

/**
 * Starts `ConnectStandalone` with the same default worker settings as startWeirStandalone (JSON
 * without schemas, file offsets flushed every second, one listener on 127.0.0.1) and resolves once
 * GET /health answers 200. `plugin.discovery=service_load` skips the slow reflective classpath scan;
 * Kafka's own plugins all carry ServiceLoader manifests, so the same plugins are found.
 */
export async function startJavaConnectStandalone(
  options: StartJavaConnectOptions,
): Promise<JavaConnectProcess> {
  const port = options.port ?? (await freePort());
  const workerFile = join(options.dir, 'java-worker.properties');
  writeFileSync(
    workerFile,
    toProperties({
      'bootstrap.servers': options.bootstrap,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter.schemas.enable': 'false',
      'offset.storage.file.filename': join(options.dir, 'java-connect.offsets'),
      'offset.flush.interval.ms': '1000',
      'plugin.discovery': 'service_load',
      listeners: `http://127.0.0.1:${port}`,
      ...options.worker,
    }),
  );
  const logFile = join(options.dir, 'java-connect.log');
  const child = spawn(
    'java',
    javaArgs('org.apache.kafka.connect.cli.ConnectStandalone', [workerFile], {
      heap: options.heap ?? '512m',
    }),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let ended = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      ended = true;
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      `Apache Kafka Connect's REST API at ${url}`,
      async () => {
        if (ended) throw new Error(`Java Connect exited before its REST API answered; see ${logFile}`);
        return (await fetch(`${url}/health`)).status === 200;
      },
      options.timeoutMs ?? 90_000,
      100,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    child,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      if (ended) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
