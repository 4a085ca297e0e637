// A worker restarted in place — its container restarted in the same pod, so the same host:port and
// URL — finds its previous process still a member of the group until that one's session expires
// (session.timeout.ms): the group's next join waits for it, and its work with it. Two live workers
// cannot listen on one host:port, so such a member is the dead previous process: removed from the
// group (LeaveGroup on its behalf) before the new process first joins, the join completes at once
// and the leader gives the old process's work back to the new one (the assignor matches by URL).
import type { Broker } from '@platformatic/kafka';
import type { Logger } from 'pino';
import { decodeWorkerState } from './connect-protocol.ts';
import type { DescribedMember, GroupCoordinatorClient } from './coordinator-client.ts';

export interface WorkerIdentity {
  groupId: string;
  /** The worker's client id, which names its worker id (host:port). */
  clientId: string;
  /** The worker's REST URL, as its group metadata reports it. */
  url: string;
  log: Logger;
}

/**
 * Whether a member is the worker at `url`: the URL in its metadata (DescribeGroups shows metadata
 * only while the group is Stable), else its client id.
 */
export function isSameWorker(m: DescribedMember, url: string, clientId: string): boolean {
  if (m.metadata.length === 0) return m.clientId === clientId;
  try {
    return decodeWorkerState(m.metadata).url === url;
  } catch {
    return false; // not a Connect worker's metadata
  }
}

/**
 * Removes this worker's previous process from the group, if it is still a member. A failure only
 * means waiting for that member's session to expire, as Kafka Connect always does. Returns the
 * member ids removed.
 */
export async function removePredecessors(
  client: GroupCoordinatorClient,
  coordinator: Broker,
  self: WorkerIdentity,
): Promise<string[]> {
  const removed: string[] = [];
  try {
    const group = await client.describeGroup(coordinator, self.groupId);
    for (const m of group.members.filter((x) => isSameWorker(x, self.url, self.clientId))) {
      self.log.warn(
        `group ${self.groupId}: member ${m.memberId} has this worker's URL ${self.url}: taken for this worker's previous process (restarted in place) and removed from the group, so its work comes back now. If another live worker advertises the same URL, give each worker its own rest.advertised.host.name and port.`,
      );
      await client.leaveGroup(
        coordinator,
        self.groupId,
        m.memberId,
        `replaced by a new process of ${self.url}`,
      );
      removed.push(m.memberId);
    }
  } catch (error) {
    self.log.warn(
      { err: error },
      `group ${self.groupId}: could not look for a previous process of this worker in the group; if there is one, this worker joins once its session has expired`,
    );
  }
  return removed;
}
