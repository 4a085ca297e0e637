// A static member (group.instance.id) is fenced when another consumer joins with its id: the broker
// answers its heartbeats FENCED_INSTANCE_ID. @platformatic/kafka then rejoins with the same id, which
// fences the other consumer in turn, and the two would take the partitions from each other over and
// over. Java's consumer stops instead (FencedInstanceIdException), and so does a Weir sink task: the
// consumer's diagnostics channel reports the heartbeat error, and before the client's own callback
// can rejoin, the member leaves (@platformatic/kafka's leaveGroup ends its membership at once, so no
// JoinGroup follows) and the task is told to fail.
import { consumerHeartbeatChannel } from '@platformatic/kafka';

type FencedHandler = (error: Error) => void;
const watched = new WeakMap<object, FencedHandler>();
let subscribed = false;

/** Whether an error, or one it wraps, is the broker's FENCED_INSTANCE_ID. */
export function isFencedInstance(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as { apiId?: unknown; errors?: unknown; cause?: unknown };
  if (e.apiId === 'FENCED_INSTANCE_ID') return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isFencedInstance(inner, depth + 1))) return true;
  return isFencedInstance(e.cause, depth + 1);
}

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  consumerHeartbeatChannel.subscribe({
    start: () => {},
    end: () => {},
    asyncStart: () => {},
    asyncEnd: () => {},
    error: (context) => {
      const { client, error } = context as { client?: object; error?: unknown };
      const handler = client ? watched.get(client) : undefined;
      if (handler && isFencedInstance(error)) handler(error as Error);
    },
  });
}

/**
 * Calls `handler` (once) when the broker fences `consumer`, after its membership has ended so that it
 * does not rejoin. Returns a function that stops watching.
 */
export function onFenced(
  consumer: { leaveGroup(force: boolean): Promise<void> },
  handler: FencedHandler,
): () => void {
  subscribe();
  watched.set(consumer, (error) => {
    watched.delete(consumer);
    consumer.leaveGroup(true).catch(() => {}); // the broker no longer knows this member id
    handler(error);
  });
  return () => watched.delete(consumer);
}
