// Distributed mode: requests wait for the group to settle instead of being refused while it
// rebalances. Java's herder queues every request and handles it in its tick loop once the member is
// back in the group with its assignment applied (about a second after a create or delete); Weir's
// herder awaits the same moment here, bounded by the REST request timeout, after which the caller
// gets Java's answer for a request that timed out while the worker was rejoining.
import { requestTimedOut } from '../rest/errors.ts';

/** What a herder needs of its group membership (WorkerGroupMember). */
export interface SettlingMember {
  readonly settled: boolean;
  readonly unsettledSince: number | undefined;
  whenSettled(): Promise<void>;
}

/** As long as the REST layer waits for an answer (its DEFAULT_REQUEST_TIMEOUT_MS). */
export const DEFAULT_SETTLE_WAIT_MS = 90_000;

/** Java's Instant.toString: ISO-8601 in UTC, without a fraction when the milliseconds are 0. */
export function javaInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Java's Stage.summarize() for the stage a rebalancing worker is in, or undefined when settled. */
export function rebalanceStage(member: SettlingMember): string | undefined {
  const since = member.unsettledSince;
  if (since === undefined) return undefined;
  return `The worker is currently ensuring membership in the cluster, which began at ${javaInstant(since)}.`;
}

/** Resolves once the member is settled; rejects with Java's timeout answer after `timeoutMs`. */
export async function whenSettled(member: SettlingMember, timeoutMs: number): Promise<void> {
  if (member.settled) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(requestTimedOut(rebalanceStage(member))), timeoutMs);
  });
  try {
    await Promise.race([member.whenSettled(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
