// A connector's errors.* settings, read once per task (they were validated when the config was saved).
import type { Props } from '../../api/index.ts';

export interface ErrorSettings {
  /** errors.retry.timeout: ms to retry a failed operation; 0 no retries, -1 for ever. */
  retryTimeoutMs: number;
  /** errors.retry.delay.max.ms: the longest wait between two attempts. */
  retryDelayMaxMs: number;
  /** errors.tolerance=all: skip failed records instead of failing the task. */
  tolerateAll: boolean;
  /** errors.log.enable */
  logErrors: boolean;
  /** errors.log.include.messages */
  logIncludeMessages: boolean;
  /** errors.deadletterqueue.topic.name, trimmed; '' when there is no dead letter queue. */
  dlqTopic: string;
  /** errors.deadletterqueue.topic.replication.factor */
  dlqReplicationFactor: number;
  /** errors.deadletterqueue.context.headers.enable */
  dlqContextHeaders: boolean;
}

const flag = (props: Props, key: string): boolean => props[key]?.trim().toLowerCase() === 'true';

function number(props: Props, key: string, fallback: number): number {
  const text = props[key]?.trim();
  return text === undefined || text === '' ? fallback : Number(text);
}

export function errorSettings(props: Props): ErrorSettings {
  return {
    retryTimeoutMs: number(props, 'errors.retry.timeout', 0),
    retryDelayMaxMs: number(props, 'errors.retry.delay.max.ms', 60000),
    tolerateAll: (props['errors.tolerance'] ?? 'none').trim().toLowerCase() === 'all',
    logErrors: flag(props, 'errors.log.enable'),
    logIncludeMessages: flag(props, 'errors.log.include.messages'),
    dlqTopic: (props['errors.deadletterqueue.topic.name'] ?? '').trim(),
    dlqReplicationFactor: number(props, 'errors.deadletterqueue.topic.replication.factor', 3),
    dlqContextHeaders: flag(props, 'errors.deadletterqueue.context.headers.enable'),
  };
}
