// A sink consumer whose background rejoin fails (its group coordinator cannot be found while Kafka is
// out of reach: the client retries only errors the coordinator answers) stops heartbeating and emits
// 'error'. Without a listener that event ends the worker process; and without another join the task
// would sit in no group for good. Java's consumer rejoins for as long as it takes: so does this, with
// the client's retry.backoff.ms / retry.backoff.max.ms back-off.
import type { Logger } from 'pino';
import { backoffDelay, type RetrySettings } from './kafka-retries.ts';

/** The part of @platformatic/kafka's Consumer this needs. */
export interface RejoiningConsumer {
  readonly groupId: string;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  joinGroup(options: Record<string, never>): Promise<unknown>;
  readonly closed: boolean;
}

export interface RejoinOptions {
  log: Logger;
  retry: RetrySettings;
  /** True once the task stops or closes the consumer: no more joins then. */
  stopping: () => boolean;
}

export function rejoinOnError(consumer: RejoiningConsumer, options: RejoinOptions): void {
  let attempt = 0;
  let pending: NodeJS.Timeout | undefined;
  const rejoin = (error: unknown): void => {
    if (options.stopping() || pending) return;
    attempt++;
    const delay = backoffDelay(options.retry, attempt);
    options.log.warn(
      { err: error },
      `The consumer of group ${consumer.groupId} lost its group membership (Kafka out of reach?); joining again in ${delay} ms (attempt ${attempt})`,
    );
    pending = setTimeout(() => {
      pending = undefined;
      if (options.stopping() || consumer.closed) return;
      consumer.joinGroup({}).then(
        () => {
          options.log.info(`The consumer of group ${consumer.groupId} joined its group again`);
          attempt = 0;
        },
        (joinError: unknown) => rejoin(joinError),
      );
    }, delay);
    pending.unref();
  };
  consumer.on('error', rejoin);
}
