// FileStreamSink: appends each record's value and a newline to a file (or stdout), as Apache Kafka's
// org.apache.kafka.connect.file.FileStreamSinkConnector does. Each put() hands its records to the
// operating system in one write (no fsync): lines show up as soon as the task receives them, as with
// Java's PrintStream, which passes every println to the file at once. A put() returns while its write
// is under way and waits for the previous one, so one write overlaps the next batch; flush() (before
// offsets are committed) and stop() wait for every write.
//
// Values print as Java's println would where JavaScript has the same thing: strings as they are,
// null as "null", Structs as Struct{a=1,b=x}, decimals in plain notation. Plain objects, arrays and
// Maps (schemaless JSON) print as JSON where Java prints {a=1, b=x}; bytes are written raw where Java
// prints an array identity ([B@1f2a3b).
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { ConfigDef, ConnectException, SinkConnector, SinkTask, isDecimal } from '../../api/index.ts';
import type { Decimal, PartitionOffset, Props, SinkRecord } from '../../api/index.ts';
import { FILE_CONNECTORS_VERSION } from './version.ts';

export const SINK_FILE_CONFIG = 'file';

export const FILE_SINK_CONFIG = new ConfigDef().define(SINK_FILE_CONFIG, {
  type: 'STRING',
  defaultValue: null,
  importance: 'HIGH',
  documentation: 'Destination filename. If not specified, the standard output will be used',
});

/** The destination file, or null for stdout; throws a ConfigException on invalid settings. */
export function parseSinkConfig(props: Props): string | null {
  const file = FILE_SINK_CONFIG.parse(props)[SINK_FILE_CONFIG] as string | null;
  return file === null || file === '' ? null : file;
}

export class FileStreamSinkConnector extends SinkConnector {
  private props: Props = {};

  version(): string {
    return FILE_CONNECTORS_VERSION;
  }

  start(props: Props): void {
    parseSinkConfig(props);
    this.props = props;
  }

  taskClass(): new () => SinkTask {
    return FileStreamSinkTask;
  }

  /** `maxTasks` identical tasks, as in Java; with several, their lines interleave in the file. */
  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  stop(): void {}

  config(): ConfigDef {
    return FILE_SINK_CONFIG;
  }

  /** Nothing to check: the offsets are the consumer group's, and the file keeps none. */
  override alterOffsets(
    _props: Props,
    _offsets: { topic: string; partition: number; offset: bigint | null }[],
  ): boolean {
    return true;
  }
}

function decimalText({ unscaled, scale }: Decimal): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const sign = unscaled < 0n ? '-' : '';
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/** A record value as the text of one output line (bytes are handled by the caller). */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return String(value);
  if (isDecimal(value)) return decimalText(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) || value instanceof Map || Object.getPrototypeOf(value) === Object.prototype) {
    return JSON.stringify(value, jsonReplacer);
  }
  return String(value);
}

export class FileStreamSinkTask extends SinkTask {
  private handle: FileHandle | null = null;
  private stdout: Writable | null = null;
  private filename: string | null = null;
  /** Text of the batch being put, in order after `parts`. */
  private text = '';
  /** Earlier output of the batch, when a record's value was raw bytes. */
  private parts: Buffer[] = [];
  /** The write under way; it rejects if that write (or an earlier one) failed. */
  private writing: Promise<void> = Promise.resolve();

  version(): string {
    return FILE_CONNECTORS_VERSION;
  }

  async start(props: Props): Promise<void> {
    this.filename = parseSinkConfig(props);
    if (this.filename === null) {
      this.stdout = process.stdout;
      return;
    }
    try {
      this.handle = await open(this.filename, 'a');
    } catch (error) {
      throw new ConnectException(`Couldn't find or create file '${this.filename}' for FileStreamSinkTask`, {
        cause: error,
      });
    }
  }

  async put(records: SinkRecord[]): Promise<void> {
    for (const record of records) {
      const value = record.value;
      if (value instanceof Uint8Array) {
        this.parts.push(Buffer.from(this.text, 'utf8'), Buffer.from(value), NEWLINE);
        this.text = '';
      } else {
        this.text += valueText(value) + '\n';
      }
    }
    const previous = this.writing;
    this.writing = this.write(previous);
    // Handled here so a failure never goes unhandled (which would end the process); the next put(),
    // flush() or stop() still gets it.
    this.writing.catch(() => {});
    await previous;
  }

  /** Resolves once everything put so far is written. */
  override async flush(_currentOffsets: PartitionOffset[]): Promise<void> {
    await this.writing;
  }

  async stop(): Promise<void> {
    try {
      await this.writing;
    } finally {
      const handle = this.handle;
      this.handle = null;
      this.stdout = null;
      await handle?.close();
    }
  }

  /** Writes the batch put since the last call, after `previous`. */
  private async write(previous: Promise<void>): Promise<void> {
    const data =
      this.parts.length === 0
        ? Buffer.from(this.text, 'utf8')
        : Buffer.concat([...this.parts, Buffer.from(this.text, 'utf8')]);
    this.text = '';
    this.parts = [];
    await previous;
    if (data.length === 0) return;
    try {
      if (this.handle) await writeAll(this.handle, data);
      else if (this.stdout) await writeStream(this.stdout, data);
    } catch (error) {
      throw new ConnectException(`Couldn't write to ${this.filename ?? 'stdout'}`, { cause: error });
    }
  }
}

const NEWLINE = Buffer.from('\n');

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

function writeStream(stream: Writable, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (error) => (error ? reject(error) : resolve()));
  });
}
