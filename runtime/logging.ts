// Logging: one pino root logger, named child loggers whose levels /admin/loggers changes at run time.
// JSON by default; readable lines on a terminal (or with WEIR_LOG_FORMAT=pretty).
import { pino, type Logger, type LevelWithSilent } from 'pino';

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

function createRoot(): Logger {
  const level = pinoLevel(process.env.WEIR_LOG_LEVEL ?? 'INFO') ?? 'info';
  const pretty =
    process.env.WEIR_LOG_FORMAT === 'pretty' ||
    (process.env.WEIR_LOG_FORMAT !== 'json' && process.stdout.isTTY);
  return pretty
    ? pino({ level, transport: { target: 'pino-pretty', options: { colorize: true, destination: 2 } } })
    : pino({ level }, pino.destination(2));
}

let root: Logger | undefined;
const loggers = new Map<string, { logger: Logger; lastModified: number | null }>();

export function rootLogger(): Logger {
  root ??= createRoot();
  return root;
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
