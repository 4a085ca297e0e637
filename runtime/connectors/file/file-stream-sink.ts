// FileStreamSink: appends each record's value and a newline to a file (or stdout), as Apache Kafka's
// org.apache.kafka.connect.file.FileStreamSinkConnector does. put() buffers; flush() — called before
// offsets are committed — writes everything put so far and resolves once the operating system has
// it (no fsync, like Java's PrintStream.flush()).
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
/** put() writes at once when this many bytes (roughly: UTF-16 units) are waiting. */
export const SINK_BUFFER_BYTES = 1024 * 1024;

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
  /** Text put since the last write, in order after `parts`. */
  private text = '';
  /** Earlier output waiting to be written, when a record's value was raw bytes. */
  private parts: Buffer[] = [];
  private waiting = 0;

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
        this.waiting += value.length + 1;
      } else {
        const line = valueText(value) + '\n';
        this.text += line;
        this.waiting += line.length;
      }
    }
    if (this.waiting >= SINK_BUFFER_BYTES) await this.write();
  }

  /** Writes everything put so far; resolves once it is written. */
  override async flush(_currentOffsets: PartitionOffset[]): Promise<void> {
    await this.write();
  }

  async stop(): Promise<void> {
    try {
      await this.write();
    } finally {
      const handle = this.handle;
      this.handle = null;
      this.stdout = null;
      await handle?.close();
    }
  }

  private async write(): Promise<void> {
    if (this.text === '' && this.parts.length === 0) return;
    const data =
      this.parts.length === 0
        ? Buffer.from(this.text, 'utf8')
        : Buffer.concat([...this.parts, Buffer.from(this.text, 'utf8')]);
    this.text = '';
    this.parts = [];
    this.waiting = 0;
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
