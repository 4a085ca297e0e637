// The golden corpus (corpus/<group>.json, one file per transform or predicate) and the cases it
// expands to: every default filled in and every key, value and header as the exact JSON text both
// sides' JsonConverters read, so that Java and Weir start from the same bytes.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'corpus');

/** One input record as the harnesses read it. */
export interface GoldenRecord {
  topic: string;
  /** null: a source record that leaves the partition to the producer. */
  partition: number | null;
  /** Sink records only. */
  offset?: number;
  timestamp: number | null;
  /** JsonConverter JSON text, or null for a null key / value. */
  key: string | null;
  value: string | null;
  headers: { key: string; value: string | null }[];
}

/** One case, expanded: what both harnesses run. */
export interface GoldenCase {
  /** `<group>/<case name>`, unique across the corpus. */
  name: string;
  group: string;
  kind: 'source' | 'sink';
  props: Record<string, string>;
  /** schemas.enable of the JsonConverters that read the input. */
  schemas: { key: boolean; value: boolean; headers: boolean };
  records: GoldenRecord[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface CorpusRecord {
  topic?: string;
  partition?: number | null;
  offset?: number;
  timestamp?: number | null;
  key?: Json;
  value?: Json;
  /** Exact JSON text, for what JSON.stringify cannot write (1.0, numbers beyond 2^53). */
  keyJson?: string | null;
  valueJson?: string | null;
  headers?: { key: string; value?: Json; valueJson?: string | null }[];
}

interface CorpusCase {
  name: string;
  kind?: 'source' | 'sink';
  schemas?: boolean | { key?: boolean; value?: boolean; headers?: boolean };
  /** Merged over the file's props; a null removes one of them. */
  props?: Record<string, string | number | boolean | null>;
  records?: CorpusRecord[];
}

interface CorpusFile {
  /** Connector-style properties every case of the file starts from. */
  props?: Record<string, string | number | boolean>;
  /** Named schemas: `{"$schema": "name"}` anywhere in a key, value or header stands for one. */
  schemas?: Record<string, Json>;
  /** Fields every record of the file starts from. */
  record?: CorpusRecord;
  cases: CorpusCase[];
}

export const RECORD_DEFAULTS = {
  topic: 'orders',
  partition: 0,
  offset: 42,
  // 2023-11-14T22:13:20Z
  timestamp: 1_700_000_000_000,
} as const;

function withSchemas(value: Json, schemas: Record<string, Json>, where: string): Json {
  if (Array.isArray(value)) return value.map((v) => withSchemas(v, schemas, where));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$schema') {
    const name = value['$schema'] as string;
    const schema = schemas[name];
    if (schema === undefined) throw new Error(`${where}: no schema named "${name}" in the file's "schemas"`);
    return withSchemas(schema, schemas, where);
  }
  return Object.fromEntries(keys.map((k) => [k, withSchemas(value[k] as Json, schemas, where)]));
}

function jsonText(
  raw: string | null | undefined,
  value: Json | undefined,
  schemas: Record<string, Json>,
  where: string,
): string | null {
  if (raw !== undefined) return raw;
  if (value === undefined || value === null) return null;
  return JSON.stringify(withSchemas(value, schemas, where));
}

function expandRecord(
  record: CorpusRecord,
  kind: 'source' | 'sink',
  schemas: Record<string, Json>,
  where: string,
): GoldenRecord {
  return {
    topic: record.topic ?? RECORD_DEFAULTS.topic,
    partition: record.partition === undefined ? RECORD_DEFAULTS.partition : record.partition,
    ...(kind === 'sink' ? { offset: record.offset ?? RECORD_DEFAULTS.offset } : {}),
    timestamp: record.timestamp === undefined ? RECORD_DEFAULTS.timestamp : record.timestamp,
    key: jsonText(record.keyJson, record.key, schemas, `${where} key`),
    value: jsonText(record.valueJson, record.value, schemas, `${where} value`),
    headers: (record.headers ?? []).map((h) => ({
      key: h.key,
      value: jsonText(h.valueJson, h.value, schemas, `${where} header ${h.key}`),
    })),
  };
}

export function expandFile(group: string, file: CorpusFile): GoldenCase[] {
  const names = new Set<string>();
  return file.cases.map((c) => {
    const name = `${group}/${c.name}`;
    if (names.has(name)) throw new Error(`corpus: two cases are named "${name}"`);
    names.add(name);
    const props: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...file.props, ...c.props })) {
      if (v !== null && v !== undefined) props[k] = String(v);
    }
    const s = c.schemas ?? true;
    const schemas =
      typeof s === 'boolean'
        ? { key: s, value: s, headers: s }
        : { key: s.key ?? true, value: s.value ?? true, headers: s.headers ?? true };
    const kind = c.kind ?? 'source';
    const records = (c.records ?? []).map((r, i) =>
      expandRecord({ ...file.record, ...r }, kind, file.schemas ?? {}, `${name} record ${i}`),
    );
    return { name, group, kind, props, schemas, records };
  });
}

/** The corpus's groups (file names without .json), in name order. */
export function corpusGroups(dir = CORPUS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

/**
 * Every case of the corpus, or of the groups `GOLDEN` names (comma-separated, e.g.
 * `GOLDEN=Cast,Flatten`), in group order.
 */
export function loadCorpus(dir = CORPUS_DIR, only: string | undefined = process.env.GOLDEN): GoldenCase[] {
  const wanted = only
    ?.split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  const groups = corpusGroups(dir);
  for (const g of wanted ?? []) {
    if (!groups.includes(g))
      throw new Error(`GOLDEN names "${g}", which is not one of: ${groups.join(', ')}`);
  }
  return groups
    .filter((g) => !wanted?.length || wanted.includes(g))
    .flatMap((g) => expandFile(g, JSON.parse(readFileSync(join(dir, `${g}.json`), 'utf8')) as CorpusFile));
}
