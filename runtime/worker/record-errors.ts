// errors.tolerance for the record pipeline: with `none` (default) a failing transform or converter
// fails the task; with `all` the record is skipped (and logged when errors.log.enable).
import type { Logger } from 'pino';
import type { ConnectRecord, Props } from '../api/index.ts';
import type { ErrorMetrics } from '../metrics/task-metrics.ts';

export type Stage =
  'TRANSFORMATION' | 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER' | 'CONVERTER' | 'TASK_PUT';

export class RecordErrorHandler {
  private readonly tolerateAll: boolean;
  private readonly logErrors: boolean;
  private readonly includeMessages: boolean;
  private readonly log: Logger;
  private readonly metrics: ErrorMetrics | undefined;
  skipped = 0;

  constructor(props: Props, log: Logger, metrics?: ErrorMetrics) {
    this.tolerateAll = (props['errors.tolerance'] ?? 'none').trim().toLowerCase() === 'all';
    this.logErrors = props['errors.log.enable']?.trim() === 'true';
    this.includeMessages = props['errors.log.include.messages']?.trim() === 'true';
    this.log = log;
    this.metrics = metrics;
  }

  /** The operation's result; undefined when it failed and the error is tolerated. */
  run<T>(stage: Stage, record: ConnectRecord | { topic: string }, operation: () => T): T | undefined {
    try {
      return operation();
    } catch (error) {
      this.metrics?.recordError(this.tolerateAll, this.tolerateAll && this.logErrors);
      if (!this.tolerateAll) throw error;
      this.skipped++;
      if (this.logErrors) {
        this.log.error(
          { err: error, stage, topic: record.topic, ...(this.includeMessages ? { record } : {}) },
          `Error encountered in stage ${stage}; record skipped (errors.tolerance=all)`,
        );
      }
      return undefined;
    }
  }
}
