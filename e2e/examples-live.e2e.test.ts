// examples/file-pipeline run for real — a broker the pods reach, `weir operator` scoped to this
// test's namespace, the example's files on a hostPath — while Argo CD's health check (gopher-lua)
// and kstatus read every status the operator writes. Both must agree on each snapshot, and move
// through Progressing → Healthy, Suspended when paused or stopped, Degraded when a task fails —
// and a change is judged by its own outcome: after a change that breaks the connector no snapshot
// of its generation is Healthy before Degraded, after the fix none is Degraded before Healthy.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gitopsHealth,
  gitopsHealthUnavailable,
  KSTATUS_FOR_ARGOCD,
  type GitopsHealthResult,
} from '../tools/gitops-health.ts';
import { REPO_ROOT } from '../tools/kafka/testbed.ts';
import { eventually } from './kube.ts';
import { OperatorTestBed } from './operator-test-bed.ts';

type Obj = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };

const noGo = gitopsHealthUnavailable();
if (noGo) console.warn(noGo);

const NAMES = ['KafkaConnect/files', 'KafkaConnector/local-file-source', 'KafkaConnector/local-file-sink'];

const bed = new OperatorTestBed({ namespaces: ['e2e-examples-live'], operator: 'process', data: true });
const { kubectl } = bed;
/** Every distinct verdict seen, per object, in order. */
const seen = new Map<string, string[]>();
/** Every snapshot, per object: its metadata.generation and both verdicts (Argo CD/kstatus). */
const snapshots = new Map<string, { generation: number; verdict: string }[]>();

/** One snapshot of the three objects through both checks; every snapshot must agree. */
async function health(): Promise<Map<string, GitopsHealthResult>> {
  const list = JSON.parse(kubectl(['get', 'kafkaconnects,kafkaconnectors', '-o', 'json'])) as {
    items: { kind: string; metadata: { name: string; generation: number } }[];
  };
  const generations = new Map(list.items.map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.generation]));
  const results = await gitopsHealth(list.items);
  for (const r of results) {
    const key = `${r.kind}/${r.name}`;
    const verdict = `${r.argocd?.status}/${r.kstatus.status}: ${r.argocd?.message}`;
    const history = seen.get(key) ?? [];
    if (history.at(-1) !== verdict) seen.set(key, [...history, verdict]);
    snapshots.set(key, [...(snapshots.get(key) ?? []), { generation: generations.get(key)!, verdict }]);
    expect(r.argocdError, key).toBeUndefined();
    expect(KSTATUS_FOR_ARGOCD[r.argocd!.status], `${key}: ${verdict}`).toBe(r.kstatus.status);
  }
  return new Map(results.map((r) => [`${r.kind}/${r.name}`, r]));
}

/** Polls until each named object shows the Argo CD health given. */
async function until(
  want: Record<string, string>,
  timeoutMs = 90_000,
): Promise<Map<string, GitopsHealthResult>> {
  return eventually(
    `health ${JSON.stringify(want)}`,
    async () => {
      const h = await health();
      return Object.entries(want).every(([key, status]) => h.get(key)?.argocd?.status === status)
        ? h
        : undefined;
    },
    timeoutMs,
  );
}

const patch = (name: string, spec: object) =>
  kubectl(['patch', 'kafkaconnector', name, '--type=merge', '-p', JSON.stringify({ spec })]);

const generationOf = (name: string): number =>
  Number(kubectl(['get', 'kafkaconnector', name, '-o', 'jsonpath={.metadata.generation}']));

/**
 * A change's own outcome: `key`'s snapshots at `generation`, up to the first with the Argo CD status
 * `outcome`, went through Progressing and none had a status in `never` (Argo CD's or kstatus').
 */
function expectOutcome(key: string, generation: number, outcome: string, never: RegExp): void {
  const verdicts = (snapshots.get(key) ?? [])
    .filter((s) => s.generation === generation)
    .map((s) => s.verdict);
  const end = verdicts.findIndex((v) => v.startsWith(`${outcome}/`));
  const before = verdicts.slice(0, end).filter((v, i, all) => all[i - 1] !== v);
  expect(end, `${outcome} at generation ${generation}`).toBeGreaterThan(0);
  expect(
    before.filter((v) => never.test(v.split(':')[0]!)),
    before.join('\n'),
  ).toEqual([]);
  expect(before.some((v) => v.startsWith('Progressing/InProgress'))).toBe(true);
}

const sinkLines = () => bed.dataLines('test.sink.txt');

describe.skipIf(noGo)('examples/file-pipeline, live, through Argo CD and kstatus', () => {
  beforeAll(async () => {
    await bed.start();
    writeFileSync(join(bed.dataDir, 'test.txt'), 'hello-1\nhello-2\nhello-3\n');
  }, 180_000);
  afterAll(() => bed.stop(), 120_000);

  it('Progressing, then Healthy once the workers run and the lines flow', async () => {
    const dir = join(REPO_ROOT, 'examples', 'file-pipeline');
    const objects = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => loadAll(readFileSync(join(dir, f), 'utf8')) as Obj[]);
    for (const o of objects.filter((x) => x.kind === 'KafkaConnect')) {
      // This machine's broker and folder; one worker, to spare the shared machine's 2 cores.
      o.spec.bootstrapServers = bed.broker.bootstrap;
      o.spec.replicas = 1;
      const pod = (o.spec.template as { pod: { volumes: { hostPath: { path: string } }[] } }).pod;
      pod.volumes[0]!.hostPath.path = bed.dataDir;
    }
    kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    const first = await health();
    expect([...first.values()].map((r) => r.argocd?.status)).toEqual([
      'Progressing',
      'Progressing',
      'Progressing',
    ]);
    await until(Object.fromEntries(NAMES.map((n) => [n, 'Healthy'])), 150_000);
    await eventually('the lines in test.sink.txt', async () => (sinkLines().length >= 3 ? true : undefined));
    expect(sinkLines()).toEqual(['hello-1', 'hello-2', 'hello-3']);
  }, 180_000);

  it('a paused or stopped connector is Suspended (kstatus Current), and Healthy again when running', async () => {
    patch('local-file-source', { state: 'paused' });
    const paused = await until({ 'KafkaConnector/local-file-source': 'Suspended' });
    expect(paused.get('KafkaConnector/local-file-source')!.argocd!.message).toBe(
      'connector and 1 task(s) paused',
    );
    patch('local-file-source', { state: 'stopped' });
    const stopped = await until({ 'KafkaConnector/local-file-source': 'Suspended' });
    expect(stopped.get('KafkaConnector/local-file-source')!.argocd!.message).toBe('connector stopped');
    patch('local-file-source', { state: 'running' });
    await until({ 'KafkaConnector/local-file-source': 'Healthy' });
  });

  it('a failing task is Degraded (kstatus Failed) with its error, and Healthy once fixed', async () => {
    const sink = 'KafkaConnector/local-file-sink';
    // A folder where the sink wants a file: its task fails at start.
    const brokenAt = Date.now();
    patch('local-file-sink', { config: { file: '/data', topics: 'connect-test' } });
    const breaking = generationOf('local-file-sink');
    const failed = await until({ [sink]: 'Degraded' });
    const toDegradedMs = Date.now() - brokenAt;
    expect(failed.get(sink)!.argocd!.message).toMatch(/^task 0 failed/);
    // The old task ran on after the change: no snapshot of the breaking generation may pass it.
    expectOutcome(sink, breaking, 'Degraded', /Healthy|Current/);

    const fixedAt = Date.now();
    patch('local-file-sink', { config: { file: '/data/test.sink.txt', topics: 'connect-test' } });
    const fixing = generationOf('local-file-sink');
    await until({ [sink]: 'Healthy' });
    const toHealthyMs = Date.now() - fixedAt;
    // The old failure showed after the fix: no snapshot of the fixing generation may fail it.
    expectOutcome(sink, fixing, 'Healthy', /Degraded|Failed/);
    console.log(
      `examples live: breaking change → Degraded in ${toDegradedMs} ms, fix → Healthy in ${toHealthyMs} ms; verdicts seen (Argo CD/kstatus: message)\n${[
        ...seen,
      ]
        .map(([key, verdicts]) => `  ${key}\n${verdicts.map((v) => `    ${v}`).join('\n')}`)
        .join('\n')}`,
    );
  });
});
