import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigException, ConnectException, Schemas } from '../../api/index.ts';
import type { OffsetMap, SourceRecord, SourceTaskContext } from '../../api/index.ts';
import { FileStreamSourceConnector, FileStreamSourceTask, fileConnectorPlugins } from './index.ts';

let dir: string;
let file: string;
const tasks: FileStreamSourceTask[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weir-file-source-'));
  file = join(dir, 'input.txt');
});

afterEach(async () => {
  await Promise.all(tasks.splice(0).map((task) => task.stop()));
  await rm(dir, { recursive: true, force: true });
});

function context(committed: OffsetMap | null = null): SourceTaskContext & { asked: OffsetMap[] } {
  const asked: OffsetMap[] = [];
  return {
    asked,
    configs: () => ({}),
    offsetStorageReader: {
      offset: async (partition) => {
        asked.push(partition);
        return committed;
      },
      offsets: async (partitions) => partitions.map((partition) => ({ partition, offset: committed })),
    },
  };
}

async function startTask(
  props: Record<string, string> = {},
  committed: OffsetMap | null = null,
): Promise<FileStreamSourceTask> {
  const task = new FileStreamSourceTask();
  task.initialize(context(committed));
  tasks.push(task);
  await task.start({ file, topic: 'lines', ...props });
  return task;
}

/** Polls until `count` records have arrived (each poll with data returns at once). */
async function pollRecords(task: FileStreamSourceTask, count: number): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  while (records.length < count) {
    const batch = await task.poll();
    if (batch === null) throw new Error(`only ${records.length} of ${count} records`);
    records.push(...batch);
  }
  return records;
}

const positions = (records: SourceRecord[]): unknown[] => records.map((r) => r.sourceOffset?.['position']);

describe('FileStreamSourceConnector', () => {
  test('requires a single, non-empty topic and a positive batch.size', () => {
    const connector = new FileStreamSourceConnector();
    expect(() => connector.start({ file })).toThrow(/Missing required configuration "topic"/);
    expect(() => connector.start({ file, topic: 'a,b' })).toThrow(
      "Invalid value a,b for configuration topic: 'topic' in FileStreamSourceConnector configuration requires definition of a single topic",
    );
    expect(() => connector.start({ file, topic: ' ' })).toThrow(ConfigException);
    expect(() => connector.start({ topic: 't', 'batch.size': '0' })).toThrow(/batch.size/);
    const errors = connector.validate({ topic: 'a,b' }) as { name: string; errors: string[] }[];
    expect(errors.find((v) => v.name === 'topic')?.errors).toHaveLength(1);
    expect(errors.find((v) => v.name === 'file')?.errors).toEqual([]);
  });

  test('always configures exactly one task with the whole configuration', () => {
    const connector = new FileStreamSourceConnector();
    const props = { file, topic: 't', 'batch.size': '10', name: 'src' };
    connector.start(props);
    expect(connector.taskConfigs(5)).toEqual([props]);
    const TaskClass = connector.taskClass();
    expect(new TaskClass()).toBeInstanceOf(FileStreamSourceTask);
    expect(connector.config().names()).toEqual(['file', 'topic', 'batch.size']);
    expect(connector.config().key('batch.size')?.defaultValue).toBe(2000);
  });

  test('supports exactly once for a file, not for stdin', () => {
    const connector = new FileStreamSourceConnector();
    expect(connector.exactlyOnceSupport({ file, topic: 't' })).toBe('SUPPORTED');
    expect(connector.exactlyOnceSupport({ topic: 't' })).toBe('UNSUPPORTED');
    expect(connector.exactlyOnceSupport({ file: '', topic: 't' })).toBe('UNSUPPORTED');
  });

  test('alterOffsets accepts well-formed offsets and tombstones, refuses the rest as Java does', () => {
    const connector = new FileStreamSourceConnector();
    const props = { file, topic: 't' };
    const alter = (partition: OffsetMap, offset: OffsetMap | null) =>
      connector.alterOffsets(props, [{ partition, offset }]);
    expect(alter({ filename: file }, { position: 42 })).toBe(true);
    expect(alter({ filename: file }, { position: 0n })).toBe(true);
    expect(alter({ anything: 1 }, null)).toBe(true);
    expect(() => alter({ filename: file }, {})).toThrow("contain the key 'position'");
    expect(() => alter({ filename: file }, { position: '10' })).toThrow('expected to be a Long value');
    expect(() => alter({ filename: file }, { position: 1.5 })).toThrow('expected to be a Long value');
    expect(() => alter({ filename: file }, { position: -1 })).toThrow('should be a non-negative value');
    expect(() => alter({ name: file }, { position: 1 })).toThrow("should contain the key 'filename'");
    expect(() => connector.alterOffsets({ topic: 't' }, [])).toThrow(ConnectException);
  });

  test('describes itself as a plugin under the Apache Kafka class names', () => {
    expect(fileConnectorPlugins.map((p) => [p.className, p.type])).toEqual([
      ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'source'],
      ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'sink'],
    ]);
    for (const plugin of fileConnectorPlugins) expect(plugin.create().version()).toBe(plugin.version);
  });
});

describe('FileStreamSourceTask', () => {
  test('emits one string record per line, whatever the terminator, with byte positions', async () => {
    await writeFile(file, 'line1\nline2\r\nline3\rline4\n\n');
    const task = await startTask();
    const records = await pollRecords(task, 5);
    expect(records.map((r) => r.value)).toEqual(['line1', 'line2', 'line3', 'line4', '']);
    expect(positions(records)).toEqual([6, 13, 19, 25, 26]);
    for (const record of records) {
      expect(record).toMatchObject({
        topic: 'lines',
        sourcePartition: { filename: file },
        key: null,
        keySchema: null,
        valueSchema: Schemas.STRING,
        timestamp: null,
        kafkaPartition: null,
        headers: [],
      });
    }
  });

  test('a partial line waits for its end; a \\r\\n split across appends yields no empty line', async () => {
    await writeFile(file, 'partial line');
    const task = await startTask();
    expect(await task.poll()).toBeNull();
    await appendFile(file, ' finished\r');
    expect((await pollRecords(task, 1)).map((r) => [r.value, r.sourceOffset])).toEqual([
      ['partial line finished', { position: 22 }],
    ]);
    await appendFile(file, '\nnext\n');
    const next = await pollRecords(task, 1);
    expect(next.map((r) => [r.value, r.sourceOffset])).toEqual([['next', { position: 28 }]]);
  });

  test('reads UTF-8 text across read chunks and resumes byte-exactly from a committed position', async () => {
    const words = ['안녕하세요 세계', 'emoji 😀🎉👍🏽', 'mixed ü ß 日本語', 'plain ascii'];
    // About 2 MB: read chunk boundaries fall inside multi-byte characters many times.
    const lines = Array.from({ length: 60_000 }, (_, i) => `${i} ${words[i % words.length]}`);
    await writeFile(file, lines.join('\n') + '\n');
    const task = await startTask({ 'batch.size': '7000' });
    const records = await pollRecords(task, lines.length);
    expect(records.map((r) => r.value)).toEqual(lines);
    expect(positions(records).at(-1)).toBe((await stat(file)).size);

    const resumeAfter = 33_333;
    const resumed = await startTask({}, records[resumeAfter]?.sourceOffset ?? null);
    const rest = await pollRecords(resumed, lines.length - resumeAfter - 1);
    expect(rest.map((r) => r.value)).toEqual(lines.slice(resumeAfter + 1));
    expect(positions(rest)).toEqual(positions(records).slice(resumeAfter + 1));
  });

  test('asks for the committed offset of its file partition', async () => {
    await writeFile(file, 'a\nb\n');
    const task = new FileStreamSourceTask();
    const ctx = context({ position: 2 });
    task.initialize(ctx);
    tasks.push(task);
    await task.start({ file, topic: 't' });
    expect(ctx.asked).toEqual([{ filename: file }]);
    expect((await pollRecords(task, 1)).map((r) => r.value)).toEqual(['b']);
  });

  test('resuming right after a \\r does not turn its \\n into an empty line', async () => {
    await writeFile(file, 'a\r\nb\n');
    const task = await startTask({}, { position: 2 });
    expect((await pollRecords(task, 1)).map((r) => [r.value, r.sourceOffset])).toEqual([
      ['b', { position: 5 }],
    ]);
  });

  test('honours batch.size', async () => {
    await writeFile(file, Array.from({ length: 2500 }, (_, i) => `r${i}\n`).join(''));
    const task = await startTask({ 'batch.size': '1000' });
    const sizes = [];
    for (let i = 0; i < 3; i++) sizes.push((await task.poll())?.length);
    expect(sizes).toEqual([1000, 1000, 500]);
  });

  test('waits for a missing file, then reads it once it appears', async () => {
    const task = await startTask();
    const started = Date.now();
    expect(await task.poll()).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await writeFile(file, 'hello\n');
    expect((await pollRecords(task, 1)).map((r) => r.value)).toEqual(['hello']);
  });

  test('stop() ends a poll waiting for a missing file or for new data promptly', async () => {
    for (const content of [null, 'done\n']) {
      if (content !== null) await writeFile(file, content);
      const task = await startTask();
      if (content !== null) await pollRecords(task, 1);
      const polling = task.poll();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const stopping = Date.now();
      await task.stop();
      expect(await polling).toBeNull();
      expect(Date.now() - stopping).toBeLessThan(200);
      expect(await task.poll()).toBeNull();
    }
  });

  test('a committed position past the end of the file starts over from the beginning', async () => {
    await writeFile(file, 'x\ny\n');
    const task = await startTask({}, { position: 100 });
    expect((await pollRecords(task, 2)).map((r) => r.value)).toEqual(['x', 'y']);
  });

  test('refuses a malformed committed position', async () => {
    await expect(startTask({}, { position: 'ten' })).rejects.toThrow(/Offset position is the incorrect type/);
  });

  test('a truncated file is read again from its start', async () => {
    await writeFile(file, 'first line\nsecond line\n');
    const task = await startTask();
    await pollRecords(task, 2);
    await truncate(file, 0);
    await appendFile(file, 'new\n');
    expect((await pollRecords(task, 1)).map((r) => [r.value, r.sourceOffset])).toEqual([
      ['new', { position: 4 }],
    ]);
  });

  test('a rotated file: the rest of the old one, then the new one from its start', async () => {
    await writeFile(file, 'old 1\n');
    const task = await startTask();
    await pollRecords(task, 1);
    await appendFile(file, 'old 2\n');
    await rename(file, join(dir, 'input.txt.1'));
    await writeFile(file, 'new 1 is longer\n');
    expect((await pollRecords(task, 2)).map((r) => [r.value, r.sourceOffset])).toEqual([
      ['old 2', { position: 12 }],
      ['new 1 is longer', { position: 16 }],
    ]);
  });

  test('reads stdin without offsets, the last line even without a terminator', async () => {
    const module = pathToFileURL(join(import.meta.dirname, 'file-stream-source.ts')).href;
    const script = `
      import { FileStreamSourceTask } from ${JSON.stringify(module)};
      const task = new FileStreamSourceTask();
      task.initialize({ configs: () => ({}), offsetStorageReader: { offset: async () => null, offsets: async () => [] } });
      await task.start({ topic: 't' });
      const out = [];
      while (out.length < 3) out.push(...((await task.poll()) ?? []));
      await task.stop();
      console.log(JSON.stringify(out.map((r) => [r.value, r.sourcePartition, r.sourceOffset])));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdin.write('one\r\n둘\n');
    setTimeout(() => child.stdin.end('three'), 100);
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      ['one', null, null],
      ['둘', null, null],
      ['three', null, null],
    ]);
  });
});
