// Why worker pods fail, from their container statuses, for the KafkaConnect's status: a worker that
// exits (a wrong password, an unknown host, a bad setting) says why in its last log lines, which
// the kubelet makes the termination message (terminationMessagePolicy FallbackToLogsOnError: the
// last 80 lines or 2 KiB of the log when the container exits with an error). Pure.
//
// Reconciling or Stalled: a worker that failed fewer than STALL_AFTER_FAILURES times in a row may
// still come up by itself (Kafka not reachable yet, a Secret about to be fixed), so the KafkaConnect
// is Reconciling and says why. From the third failed run of a worker that ran less than
// CRASH_LOOP_RUN_MS each time it is Stalled: it is crash-looping and needs a change. A container
// that cannot start at all (image pull, a missing Secret key) is Reconciling: the kubelet keeps
// trying and it starts once the cause is gone.
import type { V1ContainerStateTerminated, V1Pod } from '../api/kube-types.ts';
import { CONTAINER_NAME } from './names.ts';

/** A worker failed this many times in a row (each run shorter than CRASH_LOOP_RUN_MS): Stalled. */
export const STALL_AFTER_FAILURES = 3;
/** A run longer than this was no crash loop (the kubelet resets its back-off after 10 minutes). */
export const CRASH_LOOP_RUN_MS = 10 * 60_000;
/** The most of the worker's own words that go into a condition message. */
export const MAX_WORKER_MESSAGE = 500;

/** Waiting reasons that mean the container cannot start (as opposed to ContainerCreating). */
const CANNOT_START = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'RunContainerError',
]);

export interface WorkerFailure {
  pod: string;
  restarts: number;
  /** Its worker is crash-looping: the KafkaConnect is Stalled. */
  stalled: boolean;
  /** One line for the condition message: the pod, what happened, and what the worker said. */
  message: string;
}

const millis = (t: Date | string | undefined): number | undefined =>
  t === undefined ? undefined : new Date(t).getTime();

/** How the last run ended: `exited with code 1`, `exited with code 137 (OOMKilled)`. */
function ending(t: V1ContainerStateTerminated): string {
  return `exited with code ${t.exitCode}${t.reason && t.reason !== 'Error' ? ` (${t.reason})` : ''}`;
}

/**
 * The worker pod's failure, or undefined while its worker is ready, starting normally or going away,
 * or has been running again for CRASH_LOOP_RUN_MS (an old failure is no news). `now`: epoch ms.
 */
export function workerFailure(pod: V1Pod, now: number): WorkerFailure | undefined {
  if (pod.metadata?.deletionTimestamp) return undefined;
  const c = pod.status?.containerStatuses?.find((s) => s.name === CONTAINER_NAME);
  if (!c || c.ready) return undefined;
  const name = pod.metadata?.name ?? '';
  const restarts = c.restartCount ?? 0;
  const waiting = c.state?.waiting;
  if (waiting?.reason && CANNOT_START.has(waiting.reason)) {
    const said = waiting.message ? `: ${clip(waiting.message)}` : '';
    return {
      pod: name,
      restarts,
      stalled: false,
      message: `pod ${name}: the worker container cannot start (${waiting.reason})${said}`,
    };
  }
  // The run that ended: the current state, or (waiting to restart, or running again but not ready
  // yet) the last one.
  const ended = c.state?.terminated ?? c.lastState?.terminated;
  if (!ended || ended.exitCode === 0) return undefined;
  const runningSince = millis(c.state?.running?.startedAt);
  if (runningSince !== undefined && now - runningSince >= CRASH_LOOP_RUN_MS) return undefined;
  const failures = restarts + (c.state?.running ? 0 : 1);
  const started = millis(ended.startedAt);
  const finished = millis(ended.finishedAt);
  const shortRun = started === undefined || finished === undefined || finished - started < CRASH_LOOP_RUN_MS;
  const stalled = failures >= STALL_AFTER_FAILURES && shortRun;
  const times = restarts > 0 ? `, restarted ${restarts} time${restarts === 1 ? '' : 's'}` : '';
  const state = waiting?.reason ? ` (now ${waiting.reason})` : c.state?.running ? ' (running again)' : '';
  const said = workerSaid(ended.message);
  return {
    pod: name,
    restarts,
    stalled,
    message: `pod ${name}: the worker ${ending(ended)}${times}${state}${said ? `: ${said}` : ''}`,
  };
}

/** The failing worker pods, the ones to act on first (crash-looping, most restarts) first. */
export function workerFailures(pods: readonly V1Pod[], now: number): WorkerFailure[] {
  return pods
    .map((p) => workerFailure(p, now))
    .filter((f): f is WorkerFailure => f !== undefined)
    .sort((a, b) => Number(b.stalled) - Number(a.stalled) || b.restarts - a.restarts);
}

/**
 * What a failing pod's status says about its worker, for telling whether a status update matters
 * (the KafkaConnect is reconciled when it changes); '' while the worker is not failing.
 */
export function failureSignature(pod: V1Pod | undefined, now: number): string {
  const f = pod && workerFailure(pod, now);
  return f ? `${f.stalled}:${f.message}` : '';
}

/**
 * The line of a termination message that says what went wrong: the last one that is plain text
 * (`weir: …`) or an error logged as JSON (its msg and err.message), leaving out stack frames and
 * Node's version banner; failing those, the last line at all. Cut to MAX_WORKER_MESSAGE.
 */
export function workerSaid(message: string | undefined): string {
  if (!message) return '';
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^at\s/.test(l) && !/^Node\.js v\d/.test(l) && /[\p{L}\p{N}]/u.test(l));
  let fallback: string | undefined;
  for (let i = lines.length - 1; i >= 0; i--) {
    const json = parseLogLine(lines[i]!);
    if (!json) return clip(lines[i]!);
    if (json.error) return clip(json.text);
    fallback ??= json.text;
  }
  return clip(fallback ?? '');
}

/** A JSON log line (pino): its message, and whether it was logged at error level or above. */
function parseLogLine(line: string): { text: string; error: boolean } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const o = JSON.parse(line) as { level?: unknown; msg?: unknown; err?: { message?: unknown } };
    const msg = typeof o.msg === 'string' ? o.msg : '';
    const err = typeof o.err?.message === 'string' ? o.err.message : '';
    const level = typeof o.level === 'number' ? o.level : 0;
    const levelName = typeof o.level === 'string' ? o.level.toLowerCase() : '';
    return {
      text: [msg, err].filter(Boolean).join(': ') || line,
      error: level >= 50 || levelName === 'error' || levelName === 'fatal',
    };
  } catch {
    return undefined; // a line that only looks like JSON: plain text
  }
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_WORKER_MESSAGE ? `${oneLine.slice(0, MAX_WORKER_MESSAGE)}…` : oneLine;
}
