// Zombie fencing for exactly-once source connectors, done by the leader before a new generation of a
// connector's tasks starts (DistributedHerder.doFenceZombieSourceTasks and Worker.fenceZombies in Java).
// When task configs were committed after the connector's latest tasks-fencing record, the
// transactional ids of the previous generation (its task count, from that record) are fenced with
// InitProducerId — which bumps each id's epoch and aborts its open transaction — and a new
// tasks-fencing record with the current task count is written. A connector's first generation, or a
// one-task connector staying at one task, needs no fencing (its one id is fenced by the new task's own
// InitProducerId), only the record.
import { Producer } from '@platformatic/kafka';
import type { Logger } from 'pino';
import type { Props } from '../api/index.ts';
import type { DistributedConfig, WorkerConfig } from '../config/worker-config.ts';
import { badRequest, WeirError } from '../errors.ts';
import { signatureHeaders, verify } from '../distributed/session-keys.ts';
import { authorizationHeader } from '../rest/auth.ts';
import type { KafkaConfigStore, SessionKey } from '../storage/kafka-config-store.ts';
import { baseClientOptions, type ClientBase } from '../worker/kafka-clients.ts';
import { taskTransactionalId, type ExactlyOnceOptions } from '../worker/exactly-once-source-task-runner.ts';

/** Fences each transactional id: FindCoordinator(TRANSACTION), then InitProducerId with no producer id. */
export async function fenceProducers(client: ClientBase, transactionalIds: readonly string[]): Promise<void> {
  await Promise.all(
    transactionalIds.map(async (transactionalId) => {
      const producer = new Producer({ ...client, idempotent: true, acks: -1, transactionalId });
      try {
        // Beginning a transaction initialises the producer id (the fencing); nothing is sent in it.
        const transaction = await producer.beginTransaction({ producerId: -1n, producerEpoch: -1 });
        await transaction.cancel();
      } finally {
        await producer.close();
      }
    }),
  );
}

export interface ZombieFencingOptions {
  readonly configs: KafkaConfigStore;
  readonly worker: WorkerConfig;
  readonly groupId: string;
  /** Whether a connector is a source connector (fencing is for sources only). */
  readonly isSource: (props: Props) => boolean;
  readonly log: Logger;
}

export class ZombieFencing {
  private readonly options: ZombieFencingOptions;
  /** One round at a time per connector: tasks starting together share it. */
  private readonly active = new Map<string, Promise<void>>();

  constructor(options: ZombieFencingOptions) {
    this.options = options;
  }

  /** fence(), asked by another worker: the request must carry the session key's signature of its empty body. */
  async fenceSigned(connector: string, signature?: string, algorithm?: string): Promise<void> {
    const refused = verify('', signature, algorithm, this.options.configs.snapshot().sessionKey);
    if (refused) throw new WeirError('WEIR_FORBIDDEN', refused);
    await this.fence(connector);
  }

  /** The leader's part: fences the connector's previous task generation if it has not been yet. */
  fence(connector: string): Promise<void> {
    let round = this.active.get(connector);
    if (!round) {
      round = this.round(connector).finally(() => this.active.delete(connector));
      this.active.set(connector, round);
    }
    return round;
  }

  private async round(connector: string): Promise<void> {
    const { configs, worker, groupId, log } = this.options;
    await configs.readToEnd();
    const snapshot = configs.snapshot();
    const props = snapshot.connectors.get(connector);
    if (!props) throw new WeirError('WEIR_NOT_FOUND', `Connector ${connector} not found`);
    if (!this.options.isSource(props)) throw badRequest(`Connector ${connector} is not a source connector`);
    if (!snapshot.pendingFencing.has(connector)) {
      log.debug(`Skipping zombie fencing for ${connector}: every old task generation is fenced out already`);
      return;
    }
    const taskCount = snapshot.taskCounts.get(connector) ?? 0;
    const recorded = snapshot.taskCountRecords.get(connector);
    const generation = snapshot.taskGenerations.get(connector) ?? 0;
    if (recorded !== undefined && (recorded !== 1 || taskCount !== 1)) {
      const ids = Array.from({ length: recorded }, (_, task) =>
        taskTransactionalId(groupId, { connector, task }),
      );
      log.info(`Fencing out ${recorded} task producers for source connector ${connector}`);
      const client = baseClientOptions(worker, `connector-worker-adminclient-${connector}`, 'admin', props);
      await fenceProducers(client, ids);
      await configs.readToEnd();
      if ((configs.snapshot().taskGenerations.get(connector) ?? 0) > generation) {
        throw new WeirError(
          'WEIR_CONFLICT',
          'Fencing failed because new task configurations were generated for the connector',
        );
      }
    }
    await configs.putTaskCountRecord(connector, taskCount);
  }
}

export interface PreflightOptions {
  readonly fencing: ZombieFencing;
  readonly isLeader: () => boolean;
  readonly leaderUrl: () => string | undefined;
  readonly sessionKey: () => SessionKey | null;
  readonly restToken: string | null;
}

/**
 * A task's preflight check (Java's fenceZombieSourceTasks(ConnectorTaskId)): the leader fences its
 * connector here; another worker asks the leader with the internal, signed PUT /connectors/{name}/fence.
 */
export async function preflightFencing(options: PreflightOptions, connector: string): Promise<void> {
  if (options.isLeader()) return options.fencing.fence(connector);
  const leader = options.leaderUrl();
  const key = options.sessionKey();
  if (!leader || !key) {
    throw new WeirError(
      'WEIR_NOT_READY',
      `no leader to fence the zombies of ${connector} yet; the task fails and can be restarted`,
    );
  }
  const response = await fetch(new URL(`connectors/${encodeURIComponent(connector)}/fence`, leader), {
    method: 'PUT',
    headers: { ...authorizationHeader(options.restToken), ...signatureHeaders('', key) },
    signal: AbortSignal.timeout(90_000),
  });
  if (!response.ok) {
    throw new WeirError(
      'WEIR_INTERNAL',
      `Failed to perform zombie fencing: the leader answered HTTP ${response.status} ${await response.text()}`,
    );
  }
}

/**
 * The fencing this worker does as leader, and, with exactly.once.source.support=enabled, what its
 * worker needs to run exactly-once source tasks.
 */
export function exactlyOnceSupport(options: {
  readonly config: WorkerConfig;
  readonly distributed: DistributedConfig;
  readonly configs: KafkaConfigStore;
  readonly isSource: (props: Props) => boolean;
  readonly isLeader: () => boolean;
  readonly leaderUrl: () => string | undefined;
  readonly log: Logger;
}): { fencing: ZombieFencing; worker: ExactlyOnceOptions | undefined } {
  const { config, distributed, configs } = options;
  const groupId = distributed.groupId;
  const fencing = new ZombieFencing({
    configs,
    worker: config,
    groupId,
    isSource: options.isSource,
    log: options.log,
  });
  const preflight: PreflightOptions = {
    fencing,
    isLeader: options.isLeader,
    leaderUrl: options.leaderUrl,
    sessionKey: () => configs.snapshot().sessionKey,
    restToken: config.restToken,
  };
  const worker: ExactlyOnceOptions | undefined =
    distributed.exactlyOnceSourceSupport === 'enabled'
      ? {
          groupId,
          preflight: (id) => preflightFencing(preflight, id.connector),
        }
      : undefined;
  return { fencing, worker };
}
