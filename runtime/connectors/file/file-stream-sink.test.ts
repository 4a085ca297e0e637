import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConnectException, SchemaBuilder, Schemas, Struct } from '../../api/index.ts';
import type { SinkRecord, SinkTaskContext } from '../../api/index.ts';
import { valueText } from './file-stream-sink.ts';
import { FileStreamSinkConnector, FileStreamSinkTask } from './index.ts';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weir-file-sink-'));
  file = join(dir, 'out.txt');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const context: SinkTaskContext = {
  configs: () => ({}),
  assignment: () => [],
  pause: () => {},
  resume: () => {},
  offset: () => {},
  timeout: () => {},
  requestCommit: () => {},
  errantRecordReporter: () => null,
};

let nextOffset = 0n;
function record(value: unknown): SinkRecord {
  const offset = nextOffset++;
  return {
    topic: 't',
    kafkaPartition: 0,
    kafkaOffset: offset,
    timestampType: 'CreateTime',
    originalTopic: 't',
    originalKafkaPartition: 0,
    originalKafkaOffset: offset,
    keySchema: null,
    key: null,
    valueSchema: typeof value === 'string' ? Schemas.STRING : null,
    value,
    timestamp: null,
    headers: [],
  };
}

async function startTask(props: Record<string, string> = { file }): Promise<FileStreamSinkTask> {
  const task = new FileStreamSinkTask();
  task.initialize(context);
  await task.start(props);
  return task;
}

describe('FileStreamSinkConnector', () => {
  test('configures maxTasks identical tasks; file is optional', async () => {
    const connector = new FileStreamSinkConnector();
    const props = { file, topics: 'a,b', name: 'sink' };
    connector.start(props);
    expect(connector.taskConfigs(3)).toEqual([props, props, props]);
    expect(connector.config().names()).toEqual(['file']);
    expect((await connector.validate({ topics: 'a' })).flatMap((v) => v.errors)).toEqual([]);
    expect(connector.alterOffsets({}, [{ topic: 'a', partition: 0, offset: 5n }])).toBe(true);
    const TaskClass = connector.taskClass();
    expect(new TaskClass()).toBeInstanceOf(FileStreamSinkTask);
  });
});

describe('FileStreamSinkTask', () => {
  test('appends one line per value, each batch written without waiting for flush', async () => {
    await writeFile(file, 'existing\n');
    const task = await startTask();
    await task.put([record('one'), record('둘 😀')]);
    await task.put([record(null), record('four')]);
    // The second put() returned once the first batch was written.
    expect(await readFile(file, 'utf8')).toMatch(/^existing\none\n둘 😀\n/);
    await task.flush([]);
    expect(await readFile(file, 'utf8')).toBe('existing\none\n둘 😀\nnull\nfour\n');
    await task.put([record('five')]);
    await task.stop();
    expect(await readFile(file, 'utf8')).toBe('existing\none\n둘 😀\nnull\nfour\nfive\n');
  });

  test('creates the file when it does not exist, and reports a path it cannot create', async () => {
    const task = await startTask({ file: join(dir, 'new.txt') });
    await task.put([record('x')]);
    await task.stop();
    expect(await readFile(join(dir, 'new.txt'), 'utf8')).toBe('x\n');
    await expect(startTask({ file: join(dir, 'missing', 'dir.txt') })).rejects.toThrow(ConnectException);
  });

  test('large batches are written whole', async () => {
    const task = await startTask();
    const line = 'y'.repeat(99);
    const count = 20_000;
    await task.put(Array.from({ length: count }, () => record(line)));
    expect((await readFile(file, 'utf8')).length).toBe(count * 100);
    await task.stop();
  });

  test('a failed write fails the next put() and flush(), and never goes unhandled', async () => {
    const task = await startTask();
    await task.put([record('a')]);
    await task.flush([]);
    // Close the file under the task: its next write fails.
    await (task as unknown as { handle: { close(): Promise<void> } }).handle.close();
    await task.put([record('b')]);
    await new Promise((r) => setTimeout(r, 50));
    await expect(task.put([record('c')])).rejects.toThrow(ConnectException);
    await expect(task.flush([])).rejects.toThrow(/Couldn't write to/);
  });

  test('bytes are written raw, in order with text values', async () => {
    const task = await startTask();
    await task.put([record('a'), record(Buffer.from([0xff, 0x00, 0x41])), record('b')]);
    await task.flush([]);
    await task.stop();
    expect(await readFile(file)).toEqual(Buffer.from([0x61, 0x0a, 0xff, 0x00, 0x41, 0x0a, 0x62, 0x0a]));
  });

  test('values print as text: Java-like for scalars and structs, JSON for schemaless data', () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).field('name', Schemas.STRING).build();
    expect(valueText(new Struct(schema).put('id', 1).put('name', 'x'))).toBe('Struct{id=1,name=x}');
    expect(valueText(42)).toBe('42');
    expect(valueText(12n)).toBe('12');
    expect(valueText(true)).toBe('true');
    expect(valueText(null)).toBe('null');
    expect(valueText({ a: 1, b: [1, 2n], c: new Map([['k', 'v']]) })).toBe(
      '{"a":1,"b":[1,"2"],"c":{"k":"v"}}',
    );
    expect(valueText({ unscaled: -1234n, scale: 2 })).toBe('-12.34');
    expect(valueText({ unscaled: 5n, scale: 3 })).toBe('0.005');
    expect(valueText(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });

  test('writes to stdout when no file is set', async () => {
    const chunks: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: Uint8Array | string, callback?: (error?: Error | null) => void) => {
      chunks.push(chunk.toString());
      callback?.();
      return true;
    }) as typeof process.stdout.write;
    try {
      const task = await startTask({});
      await task.put([record('to stdout')]);
      await task.flush([]);
      await task.stop();
    } finally {
      process.stdout.write = write;
    }
    expect(chunks.join('')).toBe('to stdout\n');
  });
});
