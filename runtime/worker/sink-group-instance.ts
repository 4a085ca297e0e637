// Static group membership for sink tasks (KIP-345): each task's consumer joins its group with a stable
// group.instance.id, so a worker killed and restarted (kill -9, OOM, a container restarted in place)
// takes its partitions back at once instead of waiting until the dead consumer's session times out
// (consumer session.timeout.ms, 45 s by default). A stopping task still leaves the group, as a
// dynamic member does, so its partitions move at once too.
//
// The id must be stable across a restart and never shared by two live consumers of one group:
// - distributed mode: the Connect cluster's group.id, the connector and the task. The id follows the
//   task: a task reassigned to another worker (its old worker dead) takes over the old member's
//   partitions at once. The Connect group never runs a task on two live workers (work is revoked and
//   stopped before it is reassigned); should it happen anyway, the broker fences the older member.
// - standalone mode: the worker id (advertised host:port), the connector and the task: two standalone
//   workers running the same sink connector are two sets of members.
// A user's consumer.group.instance.id (the worker's consumer.* or the connector's consumer.override.*)
// is used as given for a connector with one task (as Java), suffixed with -<task> otherwise (in Java
// the tasks of such a connector would fence each other).
import { createHash } from 'node:crypto';
import { badRequest } from '../errors.ts';

/** Kafka's rule for group instance ids (Topic.validate): these characters, at most 249 of them. */
const LEGAL = /^[a-zA-Z0-9._-]+$/;
const MAX_LENGTH = 249;

export function checkGroupInstanceId(id: string, setting: string): string {
  if (!LEGAL.test(id) || id.length > MAX_LENGTH || id === '.' || id === '..')
    throw badRequest(
      `${setting}=${id} is not a valid group instance id: use at most ${MAX_LENGTH} of the characters a-z, A-Z, 0-9, '.', '_' and '-'`,
    );
  return id;
}

export interface SinkInstanceInput {
  /** What makes ids unique to this worker or cluster (see above); undefined: dynamic membership. */
  scope: string | undefined;
  connector: string;
  task: number;
  tasksMax: number;
  /** consumer.group.instance.id as the worker and the connector's overrides set it. */
  configured: string | undefined;
}

/** The group.instance.id of a sink task's consumer, or undefined for a dynamic member. */
export function sinkGroupInstanceId(input: SinkInstanceInput): string | undefined {
  const { scope, connector, task, tasksMax, configured } = input;
  if (configured !== undefined && configured !== '') {
    const id = tasksMax > 1 ? `${configured}-${task}` : configured;
    return checkGroupInstanceId(id, 'consumer.override.group.instance.id');
  }
  if (scope === undefined) return undefined;
  // Readable where the names allow it, unique through a digest of the exact names.
  const digest = createHash('sha256')
    .update(JSON.stringify([scope, connector]))
    .digest('hex')
    .slice(0, 12);
  const readable = `${scope}-${connector}`.replace(/[^a-zA-Z0-9._-]/g, '_').slice(0, 200);
  return `${readable}-${digest}-${task}`;
}
