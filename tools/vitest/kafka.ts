// Helpers for integration tests: the run's broker and names no other test uses.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export function kafkaBootstrap(): string {
  return inject('kafkaBootstrap');
}

/** A topic, group or connector name unique to this call, so tests never share state across runs. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
