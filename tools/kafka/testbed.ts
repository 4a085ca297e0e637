// Apache Kafka from Maven Central, run with the machine's Java: the broker Weir develops and tests
// against, and the Java Kafka Connect reference. Jars go to the cache outside the checkout.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  openSync,
  closeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import {
  checkSecurityOptions,
  needsCertificates,
  scramFormatArgs,
  secureListenerProperties,
  testCertificates,
  type BrokerSecurityOptions,
  type BrokerSecurityState,
  type SecureListener,
} from './security.ts';

export const KAFKA_VERSION = '4.3.1';
const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '../..');

/** The cache for downloads and builds: `WEIR_CACHE_DIR`, else `~/.cache/weir`. */
export function cacheDir(): string {
  return resolve(process.env.WEIR_CACHE_DIR ?? join(homedir(), '.cache', 'weir'));
}

/** A clear sentence when a tool the test bed needs is missing. */
export class MissingToolError extends Error {}

function checkTool(command: string, args: string[], install: string): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new MissingToolError(`${command} is needed to run Apache Kafka but was not found: ${install}`);
  }
  return `${result.stdout}${result.stderr}`;
}

export function checkJava(): void {
  const out = checkTool(
    'java',
    ['-version'],
    'install Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless).',
  );
  const major = Number(/version "(\d+)/.exec(out)?.[1] ?? '0');
  if (major < 17) {
    throw new MissingToolError(
      `Java ${major} found, but Apache Kafka ${KAFKA_VERSION} needs Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless).`,
    );
  }
}

/**
 * Every jar of Kafka, kafka-tools and Connect in one folder, fetched once with Maven into the cache.
 * The copy lands in a temporary folder and is renamed into place, so concurrent callers never see
 * half a folder.
 */
export function ensureKafkaJars(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  const libs = join(cacheDir(), `kafka-${KAFKA_VERSION}`, 'libs');
  if (existsSync(join(libs, '.complete'))) return libs;
  checkJava();
  checkTool('mvn', ['-v'], 'install Apache Maven (Debian: apt-get install maven).');
  log(
    `Fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${libs} (first run only, about 30 s)…`,
  );
  const started = Date.now();
  const staging = `${libs}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  // Maven's own log (every download) is kept, and shown only when it fails.
  const result = spawnSync(
    'mvn',
    [
      '-B',
      '--no-transfer-progress',
      '-f',
      join(HERE, 'pom.xml'),
      `-Dmaven.repo.local=${join(cacheDir(), 'maven')}`,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trimEnd().split('\n').slice(-40).join('\n');
    throw new Error(
      `Maven could not fetch the Kafka jars (exit ${result.status ?? result.error?.message}); the end of its output:\n${output}`,
    );
  }
  log(`Fetched ${readdirSync(staging).length} jars in ${Math.round((Date.now() - started) / 1000)} s.`);
  writeFileSync(join(staging, '.complete'), `${KAFKA_VERSION}\n`);
  mkdirSync(dirname(libs), { recursive: true });
  try {
    renameSync(staging, libs);
  } catch {
    // Another process finished first; its copy is as good as ours.
    rmSync(staging, { recursive: true, force: true });
  }
  return libs;
}

/** `java` arguments for a main class of the Kafka distribution. */
export function javaArgs(mainClass: string, args: string[], opts: { heap?: string } = {}): string[] {
  const libs = ensureKafkaJars();
  return [
    `-Xmx${opts.heap ?? '1g'}`,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(HERE, 'log4j2.properties')}`,
    '-cp',
    `${libs}/*`,
    mainClass,
    ...args,
  ];
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface BrokerState {
  host: string;
  port: number;
  controllerPort: number;
  pid: number;
  /** The PLAINTEXT listener's host:port. */
  bootstrap: string;
  /** The secure listeners, when started with `security`. */
  security?: BrokerSecurityState;
}

export interface StartBrokerOptions {
  dir: string;
  port?: number;
  host?: string;
  /** Secure listeners to open beside PLAINTEXT, and their users (see ./security.ts). */
  security?: BrokerSecurityOptions;
  log?: (line: string) => void;
}

const STATE_FILE = 'broker.json';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readBrokerState(dir: string): BrokerState | undefined {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as BrokerState;
  return isAlive(state.pid) ? state : undefined;
}

/** Resolves once the broker answers a Metadata request, or throws after `timeoutMs`. */
export async function waitForMetadata(
  bootstrap: string,
  timeoutMs: number,
  alive?: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (alive && !alive()) throw new Error('the broker process exited while starting');
    const admin = new Admin({
      clientId: 'weir-testbed',
      bootstrapBrokers: [bootstrap],
      timeout: 2000,
      retries: 0,
    });
    try {
      const metadata = await admin.metadata({ topics: [] });
      if (metadata.brokers.size > 0) return;
    } catch (error) {
      lastError = error;
    } finally {
      await admin.close().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(
    `the broker at ${bootstrap} did not answer Metadata within ${timeoutMs} ms: ${String(lastError)}`,
  );
}

function serverProperties(
  dir: string,
  host: string,
  port: number,
  controllerPort: number,
  secure: ReturnType<typeof secureListenerProperties> = { listeners: [], protocolMap: [], lines: [] },
): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${host}:${controllerPort}`,
    `listeners=${[`PLAINTEXT://${host}:${port}`, `CONTROLLER://${host}:${controllerPort}`, ...secure.listeners].join(',')}`,
    `advertised.listeners=${[`PLAINTEXT://${host}:${port}`, ...secure.listeners].join(',')}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=${['PLAINTEXT:PLAINTEXT', 'CONTROLLER:PLAINTEXT', ...secure.protocolMap].join(',')}`,
    ...secure.lines,
    `log.dirs=${join(dir, 'data')}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=5',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=5',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // Tests use short session timeouts to see failover quickly.
    'group.min.session.timeout.ms=1000',
    'auto.create.topics.enable=true',
    '',
  ].join('\n');
}

function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Ports and certificates for the secure listeners asked for. */
async function securityState(
  dir: string,
  host: string,
  security: BrokerSecurityOptions,
): Promise<{ ports: Partial<Record<SecureListener, number>>; state: BrokerSecurityState }> {
  const ports: Partial<Record<SecureListener, number>> = {};
  for (const listener of security.listeners) ports[listener] = await freePort(host);
  const listeners = Object.fromEntries(security.listeners.map((l) => [l, `${host}:${ports[l]}`]));
  const certificates = needsCertificates(security) ? testCertificates(join(dir, 'tls'), host) : undefined;
  return {
    ports,
    state: { listeners, users: { ...security.users }, ...(certificates ? { certificates } : {}) },
  };
}

/**
 * Starts a single-node KRaft broker (broker + controller) in the background with its data in `dir`,
 * formatting the storage on first use. Harmless when a broker already runs from `dir`.
 */
export async function startBroker(options: StartBrokerOptions): Promise<BrokerState> {
  const dir = resolve(options.dir);
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  if (options.security) checkSecurityOptions(options.security);
  const running = readBrokerState(dir);
  if (running) {
    if (options.port !== undefined && options.port !== running.port) {
      throw new Error(
        `a broker already runs from ${dir} on port ${running.port}; stop it first or choose another --dir`,
      );
    }
    const missing = (options.security?.listeners ?? []).filter((l) => !running.security?.listeners[l]);
    if (missing.length > 0) {
      throw new Error(
        `a broker already runs from ${dir} without the ${missing.join(', ')} listener(s); stop it first or choose another --dir`,
      );
    }
    await waitForMetadata(running.bootstrap, 30_000);
    return running;
  }
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await freePort(host));
  const controllerPort = await freePort(host);
  const security = options.security ? await securityState(dir, host, options.security) : undefined;
  const propertiesFile = join(dir, 'server.properties');
  writeFileSync(
    propertiesFile,
    serverProperties(
      dir,
      host,
      port,
      controllerPort,
      options.security && security
        ? secureListenerProperties(options.security, host, security.ports, security.state.certificates)
        : undefined,
    ),
  );
  ensureKafkaJars(log);
  const logFile = join(dir, 'broker.log');

  if (!existsSync(join(dir, 'data', 'meta.properties'))) {
    // As Kafka's Uuid.randomUuid(): never starting with '-', which the tool would read as a flag.
    let clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
    const format = spawnSync(
      'java',
      javaArgs(
        'kafka.tools.StorageTool',
        [
          'format',
          '-t',
          clusterId,
          '-c',
          propertiesFile,
          ...(options.security ? scramFormatArgs(options.security) : []),
        ],
        { heap: '256m' },
      ),
      {
        encoding: 'utf8',
      },
    );
    if (format.status !== 0) {
      throw new Error(`formatting the broker's storage failed:\n${format.stdout}${format.stderr}`);
    }
  }

  const out = openSync(logFile, 'a');
  const child = spawn('java', javaArgs('kafka.Kafka', [propertiesFile]), {
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('java could not be started');
  const state: BrokerState = {
    host,
    port,
    controllerPort,
    pid,
    bootstrap: `${host}:${port}`,
    ...(security ? { security: security.state } : {}),
  };
  writeFileSync(join(dir, STATE_FILE), JSON.stringify(state, null, 2));
  try {
    await waitForMetadata(state.bootstrap, 90_000, () => isAlive(pid));
  } catch (error) {
    await stopBroker(dir);
    throw new Error(`${(error as Error).message}\nLast lines of ${logFile}:\n${tail(logFile)}`, {
      cause: error,
    });
  }
  return state;
}

/** Stops the broker started from `dir` (SIGTERM, then SIGKILL after `graceMs`). No-op when none runs. */
export async function stopBroker(dir: string, graceMs = 20_000): Promise<boolean> {
  const file = join(resolve(dir), STATE_FILE);
  if (!existsSync(file)) return false;
  const state = JSON.parse(readFileSync(file, 'utf8')) as BrokerState;
  let stopped = false;
  if (isAlive(state.pid)) {
    // The broker leads its own process group (detached), so the signal reaches the JVM and nothing else.
    process.kill(-state.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(state.pid)) process.kill(-state.pid, 'SIGKILL');
    while (isAlive(state.pid)) await new Promise((r) => setTimeout(r, 50));
    stopped = true;
  }
  rmSync(file, { force: true });
  return stopped;
}
