// The same REST requests to a Java Kafka Connect worker and to a Weir worker, answers compared: status
// codes, and bodies field by field (same keys, same value types; values where they are deterministic).
// Each side may have its own names (connectors, topics, files): `vars` maps placeholders ({SRC}, {FILE},
// …) to one side's concrete values, filled into requests and put back into answers before comparing.
// Used by the compatibility integration tests (runtime/rest/compat*.int.test.ts).
import { rawHttp, type RawAnswer } from './raw-http.ts';

export type Side = 'java' | 'weir';
export type Json = unknown;

export interface Answer {
  status: number;
  body: Json;
  location: string | null;
  headers: RawAnswer['headers'];
}

/** Keys whose values are texts for people, ids of this process or times: compared by type only. */
const TYPE_ONLY_KEYS = new Set(['message', 'trace', 'worker_id', 'last_modified']);

/** Fields of GET / that only Weir has, on purpose (its own version and commit). */
const WEIR_ADDED_KEYS = new Set(['weir_version', 'weir_commit']);

/**
 * Differences between a (Java) and b (Weir) at `path`: missing or extra keys, different value types,
 * and different values (unless `valuesToo` is false or the key is compared by type only).
 */
export function compareJson(a: Json, b: Json, valuesToo: boolean, path = '$', key = ''): string[] {
  const type = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (type(a) !== type(b)) return [`${path}: Java has ${type(a)} ${short(a)}, Weir ${type(b)} ${short(b)}`];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length && valuesToo) {
      return [`${path}: Java has ${a.length} elements ${short(a)}, Weir ${b.length} ${short(b)}`];
    }
    const n = Math.min(a.length, b.length);
    return Array.from({ length: n }, (_, i) =>
      compareJson(a[i], b[i], valuesToo, `${path}[${i}]`, key),
    ).flat();
  }
  if (type(a) === 'object') {
    const ao = a as Record<string, Json>;
    const bo = b as Record<string, Json>;
    const diffs: string[] = [];
    for (const k of Object.keys(ao))
      if (!(k in bo)) diffs.push(`${path}.${k}: only Java has it (${short(ao[k])})`);
    for (const k of Object.keys(bo))
      if (!(k in ao) && !WEIR_ADDED_KEYS.has(k))
        diffs.push(`${path}.${k}: only Weir has it (${short(bo[k])})`);
    for (const k of Object.keys(ao)) {
      if (k in bo) diffs.push(...compareJson(ao[k], bo[k], valuesToo, `${path}.${k}`, k));
    }
    return diffs;
  }
  if (!valuesToo || TYPE_ONLY_KEYS.has(key) || a === b) return [];
  return [`${path}: Java ${short(a)}, Weir ${short(b)}`];
}

export function short(v: Json): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** Replaces every occurrence of each value by its placeholder, in every string of `value`. */
export function normalize(value: Json, vars: [string, string][]): Json {
  if (typeof value === 'string') {
    let s = value;
    for (const [placeholder, concrete] of vars) s = s.split(concrete).join(placeholder);
    return s;
  }
  if (Array.isArray(value)) return value.map((v) => normalize(v, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [normalize(k, vars) as string, normalize(v, vars)]),
    );
  }
  return value;
}

/** Fills placeholders in a request path or body with one side's concrete values. */
export function fill(value: Json, vars: [string, string][]): Json {
  return normalize(
    value,
    vars.map(([placeholder, concrete]) => [concrete, placeholder]),
  );
}

export interface Worker {
  url: string;
  /** Placeholder → this side's value; longest values first, so a name that contains another is replaced whole. */
  vars: [string, string][];
}

export interface Step {
  /** Compare bodies' values too (default), only their keys and types, or not at all (checked apart). */
  body?: 'values' | 'types' | 'none';
  /** Weir's status where it deliberately differs from Java's; the difference is recorded. */
  weirStatus?: number;
  because?: string;
  /** Also compare the Location header. */
  location?: boolean;
  /** A body sent as is (not JSON-encoded), with `contentType` (application/json by default). */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** One Java and one Weir worker, and what differed between their answers. */
export class SideBySide {
  readonly workers = {} as Record<Side, Worker>;
  /** Differences that fail the test. */
  readonly problems: string[] = [];
  /** Deliberate or known differences, printed with the problems. */
  readonly differences: string[] = [];
  /** Every exchange, printed when the test fails (or with WEIR_COMPAT_TRANSCRIPT=1). */
  readonly transcript: string[] = [];

  /** One side's answer to a request, its placeholders filled in and put back. */
  async ask(side: Side, method: string, path: string, body?: Json, step: Step = {}): Promise<Answer> {
    const { url, vars } = this.workers[side];
    const hasBody = step.raw !== undefined || body !== undefined;
    const text = step.raw ?? (body === undefined ? undefined : JSON.stringify(fill(body, vars)));
    // The path goes as written (no URL normalization), so encoded characters reach the server as given.
    const answer = await rawHttp(url, method, fill(path, vars) as string, {
      headers: {
        ...(hasBody && { 'content-type': step.contentType ?? 'application/json' }),
        ...step.headers,
      },
      ...(text !== undefined && { body: text }),
    });
    let parsed: unknown = answer.text;
    try {
      parsed = answer.text ? JSON.parse(answer.text) : null;
    } catch {
      // not JSON: keep the text
    }
    const location = answer.headers['location'];
    return {
      status: answer.status,
      body: normalize(parsed, vars),
      location: typeof location === 'string' ? (normalize(new URL(location).pathname, vars) as string) : null,
      headers: answer.headers,
    };
  }

  /** Sends one request to both workers and records every difference; returns both answers. */
  async both(method: string, path: string, body?: Json, step: Step = {}): Promise<Record<Side, Answer>> {
    const [a, b] = await Promise.all([
      this.ask('java', method, path, body, step),
      this.ask('weir', method, path, body, step),
    ]);
    const label = `${method} ${path}`;
    this.transcript.push(
      `${label}\n    Java ${a.status} ${short(a.body)}\n    Weir ${b.status} ${short(b.body)}`,
    );
    if (step.weirStatus !== undefined) {
      this.differences.push(`${label}: Java ${a.status}, Weir ${b.status} — ${step.because ?? ''}`);
      if (b.status !== step.weirStatus)
        this.problems.push(`${label}: Weir answered ${b.status}, expected ${step.weirStatus}`);
      return { java: a, weir: b };
    }
    if (a.status !== b.status) {
      this.problems.push(`${label}: status Java ${a.status}, Weir ${b.status} (Weir body ${short(b.body)})`);
      return { java: a, weir: b };
    }
    const mode = step.body ?? 'values';
    if (mode !== 'none') {
      for (const diff of compareJson(a.body, b.body, mode === 'values'))
        this.problems.push(`${label}: ${diff}`);
    }
    if (step.location && a.location !== b.location) {
      this.problems.push(`${label}: Location Java ${a.location}, Weir ${b.location}`);
    }
    return { java: a, weir: b };
  }

  /** Prints the transcript and the differences when `failed` (or WEIR_COMPAT_TRANSCRIPT is set). */
  report(failed: boolean): void {
    if (!failed && !process.env.WEIR_COMPAT_TRANSCRIPT) return;
    console.log(`transcript:\n${this.transcript.join('\n')}`);
    console.log(
      `compatibility with Java: ${this.problems.length} problem(s)${this.problems.map((p) => `\n  - ${p}`).join('')}` +
        `\nknown and deliberate differences:${[...new Set(this.differences)].map((d) => `\n  - ${d}`).join('') || ' none'}`,
    );
  }
}
