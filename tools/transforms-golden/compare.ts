// What a harness reports for a case, and the comparison of Java's report with Weir's: field by field,
// the key, value and header texts (JsonConverter output, schemas enabled) compared byte for byte.

export interface GoldenError {
  /** config: building the chain; input: reading the case's JSON; transform; output: writing JSON. */
  stage: 'config' | 'input' | 'transform' | 'output';
  /** The exception's simple class name, e.g. DataException, ConfigException. */
  class: string;
  message: string | null;
}

export interface GoldenOutput {
  topic: string;
  partition: number | null;
  timestamp: number | null;
  headers: { key: string; value: string | null }[];
  key: string | null;
  value: string | null;
}

/** What became of one input record: an output record, dropped by the chain, or an error. */
export type GoldenRecordResult = GoldenOutput | { dropped: true } | { error: GoldenError };

export interface GoldenResult {
  name: string;
  /** The chain could not be built; no record ran. */
  error?: GoldenError;
  records?: GoldenRecordResult[];
}

function show(value: unknown): string {
  return value === undefined ? '(nothing)' : JSON.stringify(value);
}

/**
 * The same failure. Input and output errors come from the harnesses' JsonConverters, not from the
 * transforms, and the converters' messages differ on purpose (json-converter.ts): there the stage
 * and the class must match, the messages only show.
 */
function sameError(a: GoldenError | undefined, b: GoldenError | undefined): boolean {
  if (!a || !b || a.stage !== b.stage || a.class !== b.class) return false;
  return a.stage === 'input' || a.stage === 'output' || a.message === b.message;
}

function describeRecord(result: GoldenRecordResult | undefined): string {
  if (result === undefined) return '(no result)';
  if ('dropped' in result) return 'dropped';
  if ('error' in result) return `${result.error.stage} error`;
  return 'a record';
}

function compareRecord(
  java: GoldenRecordResult | undefined,
  weir: GoldenRecordResult | undefined,
  where: string,
): string[] {
  if (java === undefined || weir === undefined || 'dropped' in java || 'dropped' in weir) {
    return describeRecord(java) === describeRecord(weir)
      ? []
      : [`${where}: java ${describeRecord(java)}, weir ${describeRecord(weir)}`];
  }
  if ('error' in java || 'error' in weir) {
    const j = 'error' in java ? java.error : undefined;
    const w = 'error' in weir ? weir.error : undefined;
    if (sameError(j, w)) return [];
    return [
      `${where}:`,
      `  java: ${j ? show(j) : describeRecord(java)}`,
      `  weir: ${w ? show(w) : show(weir)}`,
    ];
  }
  const lines: string[] = [];
  for (const field of ['topic', 'partition', 'timestamp', 'key', 'value'] as const) {
    if (java[field] !== weir[field]) {
      lines.push(`${where} ${field}:`, `  java: ${show(java[field])}`, `  weir: ${show(weir[field])}`);
    }
  }
  const count = Math.max(java.headers.length, weir.headers.length);
  for (let i = 0; i < count; i++) {
    const j = java.headers[i];
    const w = weir.headers[i];
    if (j?.key !== w?.key || j?.value !== w?.value) {
      lines.push(`${where} header ${i}:`, `  java: ${show(j)}`, `  weir: ${show(w)}`);
    }
  }
  return lines;
}

/** Where Weir's result differs from Java's, one readable line (or three) each; empty when identical. */
export function compareResults(java: GoldenResult, weir: GoldenResult): string[] {
  if (java.error || weir.error) {
    if (sameError(java.error, weir.error)) return [];
    const chain = (e: GoldenError | undefined) => (e ? show(e) : 'the chain was built');
    return ['chain:', `  java: ${chain(java.error)}`, `  weir: ${chain(weir.error)}`];
  }
  const j = java.records ?? [];
  const w = weir.records ?? [];
  const lines: string[] = [];
  for (let i = 0; i < Math.max(j.length, w.length); i++) {
    lines.push(...compareRecord(j[i], w[i], `record ${i}`));
  }
  return lines;
}

/** The message of a failing case: its name, then each difference. */
export function describeDifferences(name: string, differences: string[]): string {
  return [`${name}: Weir differs from Java`, ...differences.map((d) => `  ${d}`)].join('\n');
}
