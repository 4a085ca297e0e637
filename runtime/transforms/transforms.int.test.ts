// Transforms and predicates in a running worker on the real broker: a FileStreamSource whose records
// a RegexRouter sends to another topic and an InsertHeader marks (only when a TopicNameMatches
// predicate says the topic was routed), and a FileStreamSink on the routed topic that keeps only the
// marked records (Filter under a negated HasHeaderKey) and drops tombstones (RecordIsTombstone).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { kafkaBootstrap, uniqueName } from '../../tools/vitest/kafka.ts';
import { http, startWeirStandalone, waitFor, type WeirProcess } from '../../tools/weir-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'weir-transforms-'));
let weir: WeirProcess | undefined;

afterAll(async () => {
  await weir?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('routes, marks and filters records between a file source and a file sink', async () => {
  weir = await startWeirStandalone({ dir, bootstrap: kafkaBootstrap() });
  const base = uniqueName('lines');
  const [input, output, unmarked] = ['in.txt', 'out.txt', 'unmarked.txt'].map((f) => join(dir, f)) as [
    string,
    string,
    string,
  ];
  writeFileSync(input, 'one\ntwo\nthree\n');
  const put = async (name: string, config: Record<string, string>) => {
    const response = await http('PUT', `${weir?.url}/connectors/${name}/config`, config);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  };
  await put(uniqueName('source'), {
    'connector.class': 'FileStreamSource',
    file: input,
    topic: `${base}-raw`,
    transforms: 'route,mark',
    'transforms.route.type': 'RegexRouter',
    'transforms.route.regex': '(.*)-raw',
    'transforms.route.replacement': '$1-routed',
    'transforms.mark.type': 'org.apache.kafka.connect.transforms.InsertHeader',
    'transforms.mark.header': 'seen',
    'transforms.mark.value.literal': 'yes',
    'transforms.mark.predicate': 'routed',
    predicates: 'routed',
    'predicates.routed.type': 'TopicNameMatches',
    'predicates.routed.pattern': '.*-routed',
  });
  const sink = (file: string, negate: string) => ({
    'connector.class': 'FileStreamSink',
    topics: `${base}-routed`,
    file,
    transforms: 'keepMarked,dropTombstones',
    'transforms.keepMarked.type': 'Filter',
    'transforms.keepMarked.predicate': 'marked',
    'transforms.keepMarked.negate': negate,
    'transforms.dropTombstones.type': 'Filter',
    'transforms.dropTombstones.predicate': 'tombstone',
    predicates: 'marked,tombstone',
    'predicates.marked.type': 'HasHeaderKey',
    'predicates.marked.name': 'seen',
    'predicates.tombstone.type': 'RecordIsTombstone',
  });
  await put(uniqueName('sink'), sink(output, 'true'));
  // The same sink filtering the marked records out writes nothing.
  const unmarkedSink = uniqueName('sink-unmarked');
  await put(unmarkedSink, sink(unmarked, 'false'));
  await waitFor(
    'the routed, marked lines in the sink file',
    () => existsSync(output) && readFileSync(output, 'utf8') === 'one\ntwo\nthree\n',
    30_000,
  );
  // Once that sink has committed past the three records, it has seen them all.
  await waitFor(
    'the unmarked sink past the three records',
    async () => {
      const offsets = (await http('GET', `${weir?.url}/connectors/${unmarkedSink}/offsets`)).body as {
        offsets?: { offset: { kafka_offset: number } }[];
      };
      return offsets.offsets?.some((o) => o.offset.kafka_offset === 3) ?? false;
    },
    30_000,
  );
  expect(existsSync(unmarked) ? readFileSync(unmarked, 'utf8') : '').toBe('');
});

it('refuses a connector whose transform names a predicate that predicates does not list', async () => {
  const response = await http('PUT', `${weir?.url}/connectors/${uniqueName('bad')}/config`, {
    'connector.class': 'FileStreamSource',
    topic: 't',
    transforms: 'drop',
    'transforms.drop.type': 'Filter',
    'transforms.drop.predicate': 'nope',
  });
  expect(response.status).toBe(400);
  expect((response.body as { message: string }).message).toContain('"nope" is not an alias in "predicates"');
});
