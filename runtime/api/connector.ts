// Connectors: they describe what to copy and split the work into task configurations; tasks copy.
import type { ConfigDef, ConfigValue } from './config.ts';
import type { OffsetMap } from './records.ts';
import type { SinkTask, SourceTask } from './task.ts';

export type Awaitable<T> = T | Promise<T>;
/** Connector and task settings as the user wrote them: strings. */
export type Props = Readonly<Record<string, string>>;

export interface ConnectorContext {
  /** Asks the framework to call taskConfigs() again and reconfigure the tasks (new input appeared). */
  requestTaskReconfiguration(): void;
  /** Fails the connector with `error`; its status becomes FAILED with the error's trace. */
  raiseError(error: Error): void;
}

/** Reads the offsets the framework has committed for a source connector's partitions. */
export interface OffsetStorageReader {
  offset(partition: OffsetMap): Promise<OffsetMap | null>;
  offsets(partitions: readonly OffsetMap[]): Promise<{ partition: OffsetMap; offset: OffsetMap | null }[]>;
}

export interface SourceConnectorContext extends ConnectorContext {
  readonly offsetStorageReader: OffsetStorageReader;
}

export type SinkConnectorContext = ConnectorContext;

export type ExactlyOnceSupport = 'SUPPORTED' | 'UNSUPPORTED';
/** Whether a connector's tasks can say where transactions end (transaction.boundary=connector). */
export type ConnectorTransactionBoundaries = 'SUPPORTED' | 'UNSUPPORTED';

abstract class ConnectorBase<C extends ConnectorContext> {
  protected context!: C;

  initialize(context: C): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Props): Awaitable<void>;
  /** Up to `maxTasks` task configurations; the number of tasks is the length of the result. */
  abstract taskConfigs(maxTasks: number): Awaitable<Props[]>;
  abstract stop(): Awaitable<void>;
  abstract config(): ConfigDef;

  /** Checks settings before the connector starts; by default against config(). */
  validate(props: Props): Awaitable<ConfigValue[]> {
    return [...this.config().validateAll(props).values()];
  }
}

export abstract class SourceConnector extends ConnectorBase<SourceConnectorContext> {
  readonly kind = 'source' as const;
  abstract taskClass(): new () => SourceTask;

  /**
   * Whether the connector, so configured, can deliver exactly once (checked when a connector with
   * exactly.once.support=required is validated). null: the connector does not say.
   */
  exactlyOnceSupport(_props: Props): ExactlyOnceSupport | null {
    return null;
  }

  /**
   * Whether the connector's tasks, so configured, define their own transaction boundaries through
   * SourceTaskContext.transactionContext() (required by transaction.boundary=connector).
   */
  canDefineTransactionBoundaries(_props: Props): ConnectorTransactionBoundaries | null {
    return 'UNSUPPORTED';
  }

  /**
   * Called before the framework writes offsets a user supplied (PATCH/DELETE offsets). Return true
   * when the connector accepts them; throw to refuse with a message. A `null` offset resets.
   */
  alterOffsets(
    _props: Props,
    _offsets: { partition: OffsetMap; offset: OffsetMap | null }[],
  ): Awaitable<boolean> {
    return false;
  }
}

export abstract class SinkConnector extends ConnectorBase<SinkConnectorContext> {
  readonly kind = 'sink' as const;
  abstract taskClass(): new () => SinkTask;

  alterOffsets(
    _props: Props,
    _offsets: { topic: string; partition: number; offset: bigint | null }[],
  ): Awaitable<boolean> {
    return false;
  }
}

export type Connector = SourceConnector | SinkConnector;
