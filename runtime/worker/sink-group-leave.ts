// Leaving a sink's consumer group out of band, over a connection of its own: for a consumer whose
// close waits at the coordinator, and for the members of closed consumers that could not leave.
// A consumer closed while Kafka was out of reach stays a member until its session.timeout.ms has
// passed (also across a broker restart), and the next consumer of the group waits for it in its
// JoinGroup: a sink task restarted after an outage would sit idle for the whole session timeout.
// So such members are remembered, and the task's next consumer makes them leave first. They belong
// to consumers this process closed: leaving them never removes a live consumer.
import type { Props } from '../api/index.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import { GroupRequestError, KafkaGroupClient } from '../distributed/coordinator-client.ts';
import { baseClientOptions } from './kafka-clients.ts';

const departed = new Map<string, Set<string>>();

const keyOf = (bootstrap: readonly string[], groupId: string): string => `${bootstrap.join(',')}|${groupId}`;

/** Remembers a closed consumer's member that may still be in its group. */
export function rememberDeparted(bootstrap: readonly string[], groupId: string, memberId: string): void {
  const key = keyOf(bootstrap, groupId);
  const members = departed.get(key) ?? new Set<string>();
  members.add(memberId);
  departed.set(key, members);
}

/** The members remembered for a group, forgotten here (remember those that could not be removed again). */
export function takeDeparted(bootstrap: readonly string[], groupId: string): string[] {
  const key = keyOf(bootstrap, groupId);
  const members = [...(departed.get(key) ?? [])];
  departed.delete(key);
  return members;
}

/** Makes members leave a consumer group, with the consumer's own login (its overrides). */
export async function leaveGroupOutOfBand(
  worker: WorkerConfig,
  connectorProps: Props,
  clientName: string,
  leave: { groupId: string; memberIds: string[]; reason: string },
): Promise<void> {
  const { tls, sasl, clientId } = baseClientOptions(worker, clientName, 'consumer', connectorProps);
  const client = new KafkaGroupClient({
    bootstrapBrokers: worker.bootstrapServers,
    clientId,
    requestTimeoutMs: 5000,
    heartbeatTimeoutMs: 5000,
    connectionOptions: { ...(tls ? { tls } : {}), ...(sasl ? { sasl } : {}) },
  });
  try {
    const coordinator = await client.findCoordinator(leave.groupId);
    for (const memberId of leave.memberIds) {
      // A member the coordinator no longer knows has gone already.
      await client.leaveGroup(coordinator, leave.groupId, memberId, leave.reason).catch((error: unknown) => {
        if (!(error instanceof GroupRequestError && error.id === 'UNKNOWN_MEMBER_ID')) throw error;
      });
    }
  } finally {
    await client.close();
  }
}
