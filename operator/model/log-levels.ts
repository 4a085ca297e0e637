// Live log levels: what to PUT on a worker's /admin/loggers so its levels match spec.logging,
// given what GET /admin/loggers answered. Pure; the controller does the calls.
//
// A worker's PUT /admin/loggers/<name> sets that logger and every logger below it (dot-separated),
// and `root` sets them all, as Apache Kafka Connect's does. So the updates go parents first: root,
// then shorter names before longer ones, and a PUT on a name is followed by the PUTs of the spec's
// loggers below it (the parent's PUT overwrote them). A logger the spec no longer names falls back
// to its closest named ancestor (at worst root), so removing an entry from spec.logging undoes it.

/** One PUT /admin/loggers/<logger> {"level": <level>}. */
export interface LoggerUpdate {
  logger: string;
  level: string;
}

/** What GET /admin/loggers answers: logger name → its level (and when it was last set). */
export type WorkerLoggers = Record<string, { level: string; last_modified?: number | null }>;

const covers = (ancestor: string, name: string): boolean =>
  ancestor === 'root' || name === ancestor || name.startsWith(`${ancestor}.`);

const depth = (name: string): number => (name === 'root' ? -1 : name.split('.').length);

/** The spec's logger that decides `name`'s level: itself, its closest named ancestor, or root. */
export function governingLogger(desired: Record<string, string>, name: string): string {
  let best = 'root';
  for (const candidate of Object.keys(desired)) {
    if (candidate === 'root' || !covers(candidate, name)) continue;
    if (best === 'root' || candidate.length > best.length) best = candidate;
  }
  return best;
}

const same = (a: string | undefined, b: string | undefined): boolean =>
  (a ?? '').toUpperCase() === (b ?? '').toUpperCase();

/**
 * The PUTs, in order, that bring a worker's loggers (`current`) to `desired` (logger → level, with
 * `root`; from loggerLevels in connect-cluster.ts). Empty when they already match — the call is
 * then idempotent. A spec logger the worker does not list yet is set too: loggers created later
 * inherit only from ancestors that were set.
 */
export function loggerUpdates(desired: Record<string, string>, current: WorkerLoggers): LoggerUpdate[] {
  const want: Record<string, string> = { root: 'INFO', ...desired };
  const level = (name: string): string => want[governingLogger(want, name)]!;
  const put = new Set<string>();
  for (const [name, state] of Object.entries(current)) {
    if (!same(state.level, level(name))) put.add(governingLogger(want, name));
  }
  for (const name of Object.keys(want)) if (!(name in current)) put.add(name);
  // A PUT overwrites everything below it: the spec's loggers under it go again, after it.
  for (const name of Object.keys(want)) {
    if ([...put].some((p) => p !== name && covers(p, name))) put.add(name);
  }
  return [...put]
    .sort((a, b) => depth(a) - depth(b) || a.localeCompare(b))
    .map((logger) => ({ logger, level: want[logger]!.toUpperCase() }));
}

/** A short, stable text of the desired levels: a worker that got these needs nothing until they change. */
export function levelsFingerprint(desired: Record<string, string>): string {
  return Object.entries(desired)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, level]) => `${name}=${level.toUpperCase()}`)
    .join(',');
}
