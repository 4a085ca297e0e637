// Logging: one pino root logger, named child loggers whose levels /admin/loggers changes at run time.
// JSON by default; readable lines on a terminal (or with WEIR_LOG_FORMAT=pretty). Starting levels:
// WEIR_LOG_LEVEL for root, then WEIR_LOG_CONFIG, a log4j-style file (`log4j.rootLogger=LEVEL`,
// `log4j.logger.<name>=LEVEL`), as the operator writes it into the workers' ConfigMap.
import { readFileSync } from 'node:fs';
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { getProperties } from 'properties-file';
import { redactSecrets } from './config/secrets.ts';

const JAVA_TO_PINO: Record<string, LevelWithSilent> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  FATAL: 'fatal',
  OFF: 'silent',
};

function pinoLevel(level: string): LevelWithSilent | undefined {
  return JAVA_TO_PINO[level.toUpperCase()];
}

/** pino-pretty is a development dependency: an image with production dependencies only lacks it. */
function prettyAvailable(): boolean {
  try {
    import.meta.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

function createRoot(): Logger {
  const level = pinoLevel(process.env.WEIR_LOG_LEVEL ?? 'INFO') ?? 'info';
  const asked = process.env.WEIR_LOG_FORMAT === 'pretty';
  let pretty = asked || (process.env.WEIR_LOG_FORMAT !== 'json' && process.stdout.isTTY);
  if (pretty && !prettyAvailable()) {
    pretty = false;
    if (asked)
      process.stderr.write(
        'WEIR_LOG_FORMAT=pretty needs the package pino-pretty, which this installation lacks; logging JSON\n',
      );
  }
  // Every line goes out without the secrets config providers resolved for connectors.
  const hooks = { streamWrite: redactSecrets };
  return pretty
    ? pino({
        level,
        hooks,
        transport: { target: 'pino-pretty', options: { colorize: true, destination: 2 } },
      })
    : pino({ level, hooks }, pino.destination(2));
}

let root: Logger | undefined;
const loggers = new Map<string, { logger: Logger; lastModified: number | null }>();

export function rootLogger(): Logger {
  if (!root) {
    root = createRoot();
    const file = process.env.WEIR_LOG_CONFIG;
    if (file) applyLogConfig(file);
  }
  return root;
}

/** Sets the levels a log4j-style file names: root first, then parents before children. */
export function applyLogConfig(file: string): void {
  let props: Record<string, string>;
  try {
    props = getProperties(readFileSync(file, 'utf8'));
  } catch (error) {
    rootLogger().warn(
      `WEIR_LOG_CONFIG ${file} not read (${(error as Error).message}); log levels stay as they are`,
    );
    return;
  }
  const levels: [string, string][] = [];
  for (const [key, value] of Object.entries(props)) {
    const level = value.split(',')[0]!.trim(); // "INFO, stdout": the appenders are log4j's business
    if (key === 'log4j.rootLogger') levels.push(['root', level]);
    else if (key.startsWith('log4j.logger.')) levels.push([key.slice('log4j.logger.'.length), level]);
  }
  const depth = (name: string) => (name === 'root' ? 0 : name.split('.').length);
  for (const [name, level] of levels.sort(([a], [b]) => depth(a) - depth(b) || a.localeCompare(b))) {
    try {
      setLoggerLevel(name, level);
    } catch (error) {
      rootLogger().warn(`WEIR_LOG_CONFIG ${file}: logger ${name}: ${(error as Error).message}`);
    }
  }
}

/** The logger called `name` (e.g. "org.apache.kafka.connect.runtime.Worker" or "weir.worker"). */
export function logger(name: string): Logger {
  let entry = loggers.get(name);
  if (!entry) {
    entry = { logger: rootLogger().child({ logger: name }), lastModified: null };
    // A logger inherits the level of its closest configured ancestor ("weir" → "weir.worker").
    const parent = [...loggers.entries()]
      .filter(([n, e]) => e.lastModified !== null && name.startsWith(`${n}.`))
      .sort((a, b) => b[0].length - a[0].length)[0];
    if (parent) entry.logger.level = parent[1].logger.level;
    loggers.set(name, entry);
  }
  return entry.logger;
}

function javaLevel(level: string): string {
  return level === 'silent' ? 'OFF' : level.toUpperCase();
}

export function loggerLevels(): Record<string, { level: string; last_modified: number | null }> {
  const out: Record<string, { level: string; last_modified: number | null }> = {
    root: { level: javaLevel(rootLogger().level), last_modified: null },
  };
  for (const [name, entry] of [...loggers.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out[name] = { level: javaLevel(entry.logger.level), last_modified: entry.lastModified };
  }
  return out;
}

export function loggerLevel(name: string): { level: string; last_modified: number | null } | undefined {
  if (name === 'root') return { level: javaLevel(rootLogger().level), last_modified: null };
  const entry = loggers.get(name);
  return entry && { level: javaLevel(entry.logger.level), last_modified: entry.lastModified };
}

/**
 * Sets `name` and every logger below it (dot-separated) to `level`; returns the names changed.
 * Throws an Error naming the valid levels when `level` is not one.
 */
export function setLoggerLevel(name: string, level: string): string[] {
  const target = pinoLevel(level);
  if (!target) {
    throw new Error(`Invalid log level '${level}'. Valid levels: ${Object.keys(JAVA_TO_PINO).join(', ')}.`);
  }
  const now = Date.now();
  if (name === 'root') {
    rootLogger().level = target;
    for (const entry of loggers.values()) {
      entry.logger.level = target;
      entry.lastModified = now;
    }
    return ['root', ...loggers.keys()].sort();
  }
  logger(name);
  const changed: string[] = [];
  for (const [n, entry] of loggers) {
    if (n === name || n.startsWith(`${name}.`)) {
      entry.logger.level = target;
      entry.lastModified = now;
      changed.push(n);
    }
  }
  return changed.sort();
}
