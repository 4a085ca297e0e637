// The soak's verdict and its table: pure functions of what a run saw.
import { markdownTable, median } from '../../bench/table.ts';
import type { FuzzRequest } from './fuzz.ts';

export interface KillOutcome {
  worker: string;
  /** From the kill -9 until both connectors and all tasks were RUNNING again; undefined: never. */
  backMs?: number;
}

export interface BrokerOutcome {
  downMs: number;
  /** From the broker answering again until a record appended after that reached the sink. */
  flowingMs?: number;
}

export interface SoakResult {
  minutes: number;
  produced: number;
  lost: number;
  /** Some of the lost records, as ranges. */
  missing: string[];
  duplicates: number;
  kills: KillOutcome[];
  brokerRestarts: BrokerOutcome[];
  fuzzRuns: number;
  fuzzRequests: number;
  serverErrors: FuzzRequest[];
  /** Connectors or tasks seen FAILED, one line each with the worker and the trace's first line. */
  failed: string[];
  /** Workers that ended without being killed by the soak. */
  crashes: string[];
  /** States other than RUNNING at the end. */
  notRunningAtEnd: string[];
}

const n = (value: number): string => Math.round(value).toLocaleString('en-US');

function spread(values: (number | undefined)[]): string {
  const known = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const never = values.length - known.length;
  const parts =
    known.length === 0
      ? '–'
      : `${n(known[0] as number)} / ${n(median(known) as number)} / ${n(known[known.length - 1] as number)}`;
  return never > 0 ? `${parts} (${never} never)` : parts;
}

/** Whether the run passed: nothing lost and no 5xx. */
export function passed(result: SoakResult): boolean {
  return result.lost === 0 && result.serverErrors.length === 0;
}

export function formatSoakReport(result: SoakResult): string {
  const rows = [
    ['records produced (lines appended to the source file)', n(result.produced)],
    ['records lost (must be 0)', n(result.lost)],
    ['duplicates', n(result.duplicates)],
    ['worker kills (kill -9, restarted)', n(result.kills.length)],
    ['kill → all RUNNING again, ms min / median / max', spread(result.kills.map((k) => k.backMs))],
    ['broker restarts (stopped 10–20 s)', n(result.brokerRestarts.length)],
    [
      'broker back → records flowing, ms min / median / max',
      spread(result.brokerRestarts.map((b) => b.flowingMs)),
    ],
    [`REST fuzz requests (schemathesis, ${result.fuzzRuns} run(s))`, n(result.fuzzRequests)],
    ['5xx answers (must be 0)', n(result.serverErrors.length)],
    ['connectors or tasks seen FAILED', n(result.failed.length)],
    ['workers that exited on their own', n(result.crashes.length)],
  ];
  const lines = [
    markdownTable(
      [`soak: ${result.minutes} min, 3 workers, FileStreamSource → FileStreamSink (6 tasks)`, ''],
      rows,
    ),
  ];
  const list = (title: string, items: string[]): void => {
    if (items.length > 0) lines.push('', title, ...items.map((i) => `  ${i}`));
  };
  list(`Lost records (first ranges of ${n(result.lost)}):`, result.missing);
  list(
    '5xx answers:',
    result.serverErrors.map(
      (r) =>
        `${r.status} ${r.method} ${r.url}${r.body ? ` ${r.body.slice(0, 200)}` : ''} → ${(r.response ?? '').slice(0, 300)}`,
    ),
  );
  list('Seen FAILED:', result.failed);
  list('Exited on their own:', result.crashes);
  list('Not RUNNING at the end:', result.notRunningAtEnd);
  list(
    'Kills not back to RUNNING:',
    result.kills.filter((k) => k.backMs === undefined).map((k) => k.worker),
  );
  lines.push('', passed(result) ? 'soak: PASSED' : 'soak: FAILED (records lost or 5xx answers)');
  return lines.join('\n');
}
