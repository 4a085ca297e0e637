// The benchmark table: one row per system, fixed columns, and the ratio lines under it. Pure
// functions, so the formatting is unit-tested apart from the (slow, machine-dependent) measurements.

/** One system's results; a missing value prints as "–" (e.g. the raw producer has no sink). */
export interface BenchRow {
  name: string;
  sourceRecordsPerSec?: number;
  sinkRecordsPerSec?: number;
  startupMs?: number;
  peakRssMb?: number;
}

/** MB here is 10^6 bytes. */
export const mbPerSec = (recordsPerSec: number | undefined, recordBytes: number): number | undefined =>
  recordsPerSec === undefined ? undefined : (recordsPerSec * recordBytes) / 1e6;

/** The median of the defined values (the mean of the middle two for an even count). */
export function median(values: (number | undefined)[]): number | undefined {
  const sorted = values
    .filter((v): v is number => v !== undefined && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function formatNumber(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const HEADER = ['', 'source rec/s', 'source MB/s', 'sink rec/s', 'sink MB/s', 'start-up ms', 'peak RSS MB'];

function cells(row: BenchRow, recordBytes: number): string[] {
  return [
    row.name,
    formatNumber(row.sourceRecordsPerSec, 0),
    formatNumber(mbPerSec(row.sourceRecordsPerSec, recordBytes), 1),
    formatNumber(row.sinkRecordsPerSec, 0),
    formatNumber(mbPerSec(row.sinkRecordsPerSec, recordBytes), 1),
    formatNumber(row.startupMs, 0),
    formatNumber(row.peakRssMb, 0),
  ];
}

/** A Markdown table (readable as plain text too): names left-aligned, numbers right-aligned. */
export function formatTable(rows: BenchRow[], recordBytes: number): string {
  return markdownTable(
    HEADER,
    rows.map((row) => cells(row, recordBytes)),
  );
}

/** a / b, or undefined when either is missing or b is 0. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b))
    return undefined;
  return a / b;
}

const formatRatio = (value: number | undefined): string =>
  value === undefined ? '–' : `${value.toFixed(2)}×`;

/** "Weir/Java: source 1.23×, sink 0.98×, start-up 0.10×, peak RSS 0.20×" (metrics the other lacks are left out). */
export function ratioLine(a: BenchRow, b: BenchRow): string {
  const parts: string[] = [];
  const add = (label: string, x: number | undefined, y: number | undefined): void => {
    if (x !== undefined && y !== undefined) parts.push(`${label} ${formatRatio(ratio(x, y))}`);
  };
  add('source', a.sourceRecordsPerSec, b.sourceRecordsPerSec);
  add('sink', a.sinkRecordsPerSec, b.sinkRecordsPerSec);
  add('start-up', a.startupMs, b.startupMs);
  add('peak RSS', a.peakRssMb, b.peakRssMb);
  return `${a.name}/${b.name}: ${parts.join(', ')}`;
}

/** The p-th percentile (0–100) by nearest rank; undefined without values. */
export function percentile(values: number[], p: number): number | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** Any rows as a Markdown table (readable as plain text): first column left-aligned, the rest right-aligned. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (values: string[]): string =>
    `| ${widths.map((w, i) => (i === 0 ? (values[i] ?? '').padEnd(w) : (values[i] ?? '').padStart(w))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
