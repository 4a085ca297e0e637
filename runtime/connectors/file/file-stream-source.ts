// FileStreamSource: copies the lines of a file (or stdin) into one topic, as Apache Kafka's
// org.apache.kafka.connect.file.FileStreamSourceConnector does. Each line becomes a string record
// with a null key; its source partition is {"filename": file} and its offset {"position": n}, the
// byte position just past the line's terminator, so a restarted task continues with the next line.
//
// Unlike Java, positions are bytes throughout (Java counts UTF-16 chars but seeks bytes, which
// resumes in the wrong place after non-ASCII text), and a truncated or rotated file is read again
// from its start (see FileInput).
import {
  ConfigDef,
  ConnectException,
  Schemas,
  SourceConnector,
  SourceTask,
  Validators,
  invalid,
} from '../../api/index.ts';
import type { ExactlyOnceSupport, OffsetMap, Props, SourceRecord, Validator } from '../../api/index.ts';
import { FileInput, StreamInput } from './inputs.ts';
import type { SourceInput } from './inputs.ts';
import { LineReader } from './line-reader.ts';
import { FILE_CONNECTORS_VERSION } from './version.ts';

export const FILE_CONFIG = 'file';
export const TOPIC_CONFIG = 'topic';
export const TASK_BATCH_SIZE_CONFIG = 'batch.size';
export const DEFAULT_TASK_BATCH_SIZE = 2000;
export const FILENAME_FIELD = 'filename';
export const POSITION_FIELD = 'position';
/** How long poll() waits when there is no file or no new data, unless stop() is called. */
export const NO_DATA_WAIT_MS = 1000;

const singleTopic: Validator = (name, value) => {
  if (typeof value === 'string' && value.includes(',')) {
    invalid(
      name,
      value,
      `'topic' in FileStreamSourceConnector configuration requires definition of a single topic`,
    );
  }
};

export const FILE_SOURCE_CONFIG = new ConfigDef()
  .define(FILE_CONFIG, {
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Source filename. If not specified, the standard input will be used',
  })
  .define(TOPIC_CONFIG, {
    type: 'STRING',
    validator: Validators.compose(Validators.nonEmptyString(), singleTopic),
    importance: 'HIGH',
    documentation: 'The topic to publish data to',
  })
  .define(TASK_BATCH_SIZE_CONFIG, {
    type: 'INT',
    defaultValue: DEFAULT_TASK_BATCH_SIZE,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    documentation:
      'The maximum number of records the source task can read from the file each time it is polled',
  });

interface SourceSettings {
  /** null: standard input. */
  file: string | null;
  topic: string;
  batchSize: number;
}

/** Parses and validates the settings; throws a ConfigException listing every problem. */
export function parseSourceConfig(props: Props): SourceSettings {
  const values = FILE_SOURCE_CONFIG.parse(props);
  const file = values[FILE_CONFIG] as string | null;
  return {
    file: file === null || file === '' ? null : file,
    topic: values[TOPIC_CONFIG] as string,
    batchSize: values[TASK_BATCH_SIZE_CONFIG] as number,
  };
}

function isPosition(value: unknown): value is number | bigint {
  return (
    (typeof value === 'number' && Number.isSafeInteger(value)) ||
    (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER))
  );
}

export class FileStreamSourceConnector extends SourceConnector {
  private props: Props = {};

  version(): string {
    return FILE_CONNECTORS_VERSION;
  }

  start(props: Props): void {
    parseSourceConfig(props);
    this.props = props;
  }

  taskClass(): new () => SourceTask {
    return FileStreamSourceTask;
  }

  /** Only one input stream makes sense: always one task, with the connector's whole configuration. */
  taskConfigs(_maxTasks: number): Props[] {
    return [{ ...this.props }];
  }

  stop(): void {}

  config(): ConfigDef {
    return FILE_SOURCE_CONFIG;
  }

  /** Exactly once for a file that is only appended to; stdin has no offsets to make it so. */
  override exactlyOnceSupport(props: Props): ExactlyOnceSupport {
    const file = props[FILE_CONFIG]?.trim();
    return file ? 'SUPPORTED' : 'UNSUPPORTED';
  }

  /** Checks the shape of user-supplied offsets; whether a position fits the file is the task's business. */
  override alterOffsets(
    props: Props,
    offsets: { partition: OffsetMap; offset: OffsetMap | null }[],
  ): boolean {
    if (!props[FILE_CONFIG]?.trim()) {
      throw new ConnectException(
        `Offsets cannot be modified if the '${FILE_CONFIG}' configuration is unspecified. ` +
          'This is because stdin is used for input and offsets are not tracked.',
      );
    }
    for (const { partition, offset } of offsets) {
      // Tombstones are fine for anything: users must be able to clean up whatever is stored.
      if (offset === null) continue;
      if (!Object.hasOwn(offset, POSITION_FIELD)) {
        throw new ConnectException(
          `Offset objects should either be null or contain the key '${POSITION_FIELD}'`,
        );
      }
      const position = offset[POSITION_FIELD];
      if (!isPosition(position)) {
        throw new ConnectException(
          `The value for the '${POSITION_FIELD}' key in the offset is expected to be a Long value`,
        );
      }
      if (position < 0) {
        throw new ConnectException(
          `The value for the '${POSITION_FIELD}' key in the offset should be a non-negative value`,
        );
      }
      if (partition === null || partition === undefined)
        throw new ConnectException('Partition objects cannot be null');
      if (!Object.hasOwn(partition, FILENAME_FIELD)) {
        throw new ConnectException(`Partition objects should contain the key '${FILENAME_FIELD}'`);
      }
    }
    return true;
  }
}

/** The committed position for the file, or 0; a malformed one fails the task rather than guessing. */
function committedPosition(offset: OffsetMap | null): number {
  const position = offset?.[POSITION_FIELD];
  if (position === null || position === undefined) return 0;
  if (!isPosition(position) || position < 0) {
    throw new ConnectException(`Offset position is the incorrect type: ${String(position)}`);
  }
  return Number(position);
}

export class FileStreamSourceTask extends SourceTask {
  private topic = '';
  private batchSize = DEFAULT_TASK_BATCH_SIZE;
  private partition: OffsetMap | null = null;
  private input: SourceInput | null = null;
  private reader: LineReader | null = null;
  private opened = false;
  private stopped = false;
  private polling = false;
  private wakeUp: (() => void) | null = null;
  /** A wake-up arrived while nobody waited: the next wait returns at once. */
  private woken = false;

  version(): string {
    return FILE_CONNECTORS_VERSION;
  }

  async start(props: Props): Promise<void> {
    const settings = parseSourceConfig(props);
    this.topic = settings.topic;
    this.batchSize = settings.batchSize;
    this.stopped = false;
    this.opened = false;
    if (settings.file === null) {
      // Tracking an offset for stdin makes no sense: its records carry none.
      this.partition = null;
      this.input = new StreamInput(process.stdin, () => this.wake());
    } else {
      this.partition = Object.freeze({ [FILENAME_FIELD]: settings.file });
      const offset = await this.context.offsetStorageReader.offset(this.partition);
      this.input = new FileInput(settings.file, committedPosition(offset));
    }
    const input = this.input;
    this.reader = new LineReader((buffer, offset, length, position) =>
      input.read(buffer, offset, length, position),
    );
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.stopped || !this.input || !this.reader) return null;
    this.polling = true;
    try {
      return await this.readLines(this.input, this.reader);
    } finally {
      this.polling = false;
      if (this.stopped) await this.input.close();
    }
  }

  /** Wakes a waiting poll(); the input is closed now, or by the poll() in progress as it returns. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    if (!this.polling) await this.input?.close();
  }

  private async readLines(input: SourceInput, reader: LineReader): Promise<SourceRecord[] | null> {
    if (!this.opened) {
      this.opened = await input.open(reader);
      if (!this.opened) {
        await this.sleep(NO_DATA_WAIT_MS);
        return null;
      }
    }
    const records: SourceRecord[] = [];
    const emit = (line: string, end: number): void => {
      records.push(this.record(line, end));
    };
    while (!this.stopped) {
      reader.drain(this.batchSize - records.length, emit);
      if (records.length >= this.batchSize) break;
      if ((await reader.fill()) > 0) continue;
      if (records.length > 0) break;
      const action = await input.atEnd(reader);
      if (action === 'restart') continue;
      if (action === 'ended') {
        const rest = reader.takeRemainder();
        if (rest !== null) emit(rest, reader.position);
        if (records.length > 0) break;
      }
      await this.sleep(NO_DATA_WAIT_MS);
      break;
    }
    return records.length > 0 ? records : null;
  }

  private record(line: string, end: number): SourceRecord {
    return {
      sourcePartition: this.partition,
      sourceOffset: this.partition === null ? null : { [POSITION_FIELD]: end },
      topic: this.topic,
      kafkaPartition: null,
      keySchema: null,
      key: null,
      valueSchema: Schemas.STRING,
      value: line,
      timestamp: null,
      headers: [],
    };
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped || this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }
}
