// Distributed mode: workers share connector configs through the config topic, statuses through the
// status topic, source offsets through the offsets topic, and split the work through Kafka's group
// protocol. Writes are the leader's: another worker answers them with NotLeaderError and the REST layer
// forwards them. Membership, assignment, the config log and session keys live in their own modules.
import type { Connector, Props } from '../api/index.ts';
import type { DistributedConfig, WorkerConfig } from '../config/worker-config.ts';
import { AssignedWork } from '../distributed/assigned-work.ts';
import type { ConnectAssignment } from '../distributed/connect-protocol.ts';
import { WorkerGroupMember, type AssignContext, type GroupMemberInfo } from '../distributed/group-member.ts';
import { LeaderAssignment } from '../distributed/leader-assignment.ts';
import { needsRotation, newSessionKey, verify } from '../distributed/session-keys.ts';
import { TaskConfigRetry } from '../distributed/task-config-retry.ts';
import { sendTaskConfigsToLeader } from '../distributed/task-configs-to-leader.ts';
import {
  alreadyExists,
  badRequest,
  connectorNotFound,
  notFound,
  NotLeaderError,
  WeirError,
} from '../errors.ts';
import { logger } from '../logging.ts';
import type { ConnectMetrics, RebalanceMetrics } from '../metrics/connect-metrics.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type {
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  HealthInfo,
  PluginInfo,
  TargetState,
  TaskInfo,
  TaskStateInfo,
} from '../rest/types.ts';
import type { KafkaConfigStore } from '../storage/kafka-config-store.ts';
import type { KafkaOffsetStore } from '../storage/kafka-offset-store.ts';
import type { KafkaStatusStore } from '../storage/kafka-status-store.ts';
import { baseClientOptions } from '../worker/kafka-clients.ts';
import type { SecurityOptions } from '../worker/kafka-security.ts';
import { Worker } from '../worker/worker.ts';
import type { ExactlyOnceMode } from './exactly-once-validation.ts';
import { exactlyOnceSupport, type ZombieFencing } from './zombie-fencing.ts';
import { ConnectorOffsetTopics } from './connector-offset-topics.ts';
import { mustBeStopped, readOffsets, writeOffsets } from './connector-offsets.ts';
import type { ClusterWorker, Herder, PutConnectorResult, RestartRequest } from './herder.ts';
import { DEFAULT_SETTLE_WAIT_MS, rebalanceStage, whenSettled } from './settled-group.ts';
import { buildStatus, restartPlan } from './status.ts';
import {
  assertValid,
  hidingResolved,
  pluginConfigKeys,
  pluginInfos,
  validateConnectorConfig,
  validateWithHint,
} from './validation.ts';

export interface DistributedHerderOptions {
  workerId: string;
  /** This worker's REST URL as the others reach it, e.g. http://10.0.0.7:8083/ */
  url: string;
  config: WorkerConfig;
  distributed: DistributedConfig;
  plugins: PluginRegistry;
  configs: KafkaConfigStore;
  offsets: KafkaOffsetStore;
  statuses: KafkaStatusStore;
  kafkaClusterId: string;
  metrics?: ConnectMetrics;
  /** How long a request waits for a rebalance to end (the REST request timeout). */
  requestTimeoutMs?: number;
}

export class DistributedHerder implements Herder {
  private readonly o: DistributedHerderOptions;
  private readonly worker: Worker;
  private readonly work: AssignedWork;
  private readonly member: WorkerGroupMember;
  private readonly leaderAssignment: LeaderAssignment;
  private readonly taskConfigRetry: TaskConfigRetry;
  private members: GroupMemberInfo[] = [];
  private assigned = false;
  private stopping = false;
  private keyTimer: NodeJS.Timeout | undefined;
  private readonly rebalances: RebalanceMetrics | undefined;
  private readonly log = logger('org.apache.kafka.connect.runtime.distributed.DistributedHerder');
  private readonly fencing: ZombieFencing;
  private readonly offsetTopics: ConnectorOffsetTopics;

  constructor(options: DistributedHerderOptions) {
    this.o = options;
    this.offsetTopics = new ConnectorOffsetTopics(options.config, options.offsets);
    const eos = exactlyOnceSupport({
      ...options,
      isSource: (props) => this.worker.createConnector(props).kind === 'source',
      isLeader: () => this.member.isLeader,
      leaderUrl: () => this.member.leaderUrl,
      log: this.log,
    });
    this.fencing = eos.fencing;
    this.worker = new Worker({
      exactlyOnce: eos.worker,
      workerId: options.workerId,
      config: options.config,
      plugins: options.plugins,
      offsets: options.offsets,
      sourceOffsets: (name, props) => this.offsetTopics.storeFor(name, props),
      statuses: options.statuses,
      metrics: options.metrics,
      // Sink consumers' static member ids follow their tasks across the cluster.
      sinkGroupInstanceScope: options.distributed.groupId,
      onTaskReconfigurationRequest: (name) => this.work.onConfigUpdate({ kind: 'target-state', name }),
      generation: () => Math.max(0, this.member.generation),
    });
    this.taskConfigRetry = new TaskConfigRetry(
      (name) => this.work.onConfigUpdate({ kind: 'target-state', name }),
      this.log,
    );
    this.work = new AssignedWork({
      worker: this.worker,
      configs: options.configs,
      statuses: options.statuses,
      submitTaskConfigs: (name, configs) =>
        this.taskConfigRetry.submit(name, () => this.submitTaskConfigs(name, configs)),
    });
    const gone = () => new Set(options.configs.snapshot().goneWorkers.keys());
    this.leaderAssignment = new LeaderAssignment({
      scheduledRebalanceMaxDelayMs: options.distributed.scheduledRebalanceMaxDelayMs,
      config: async () => {
        await options.configs.readToEnd();
        const snapshot = options.configs.snapshot();
        const connectors = new Map<string, number>();
        for (const name of snapshot.connectors.keys())
          connectors.set(name, snapshot.taskConfigs.get(name)?.length ?? 0);
        return { offset: BigInt(snapshot.offset), connectors };
      },
      // Workers are declared gone by their id (host:port); the assignor knows them by URL.
      goneWorkers: () => new Set([...gone()].map((id) => this.urlOf(id))),
      log: this.log,
    });
    this.member = new WorkerGroupMember({
      bootstrapBrokers: options.config.bootstrapServers,
      groupId: options.distributed.groupId,
      clientId: `connect-${options.workerId}`,
      sessionTimeoutMs: options.distributed.sessionTimeoutMs,
      rebalanceTimeoutMs: options.distributed.rebalanceTimeoutMs,
      heartbeatIntervalMs: options.distributed.heartbeatIntervalMs,
      connectionOptions: groupConnectionOptions(options.config),
      metadata: () => ({ url: options.url, configOffset: BigInt(options.configs.snapshot().offset) }),
      assign: (members, context) => this.assign(members, context),
      onAssignment: (assignment, generation, isLeader) => this.onAssignment(assignment, generation, isLeader),
      onRevoked: async (revoked) => {
        this.assigned = false;
        await this.work.revoke(revoked);
        const running = [...this.worker.connectorNames(), ...this.worker.taskIds().map((t) => t.connector)];
        const exists = (name: string) => options.configs.snapshot().connectors.has(name);
        await this.offsetTopics.releaseDeleted(exists, new Set(running));
      },
    });
    this.rebalances = options.metrics?.trackRebalances({
      rebalancing: () => this.member.rebalancing,
      leaderUrl: () => this.member.leaderUrl,
    });
    options.configs.onUpdate((update) => {
      this.work.onConfigUpdate(update);
      if (update.kind === 'worker-gone' && update.name !== options.workerId && !this.stopping) {
        // Every worker rejoins at once rather than at its next heartbeat: the gone worker's work moves now.
        this.member.requestRejoin(`worker ${update.name} is gone`);
        if (this.member.isLeader) void this.expel(update.name);
        return;
      }
      // New or removed connectors and new task configs change the assignment: every worker rejoins
      // at once (as the leader does) instead of waiting to hear of the rebalance at its next heartbeat.
      if ((update.kind === 'connector' || update.kind === 'tasks') && !this.stopping) {
        this.member.requestRejoin(`config change: ${update.kind} ${update.name}`);
      }
    });
  }

  private urlOf(workerId: string): string {
    return `http://${workerId}/`;
  }

  async start(): Promise<void> {
    this.member.start();
    this.keyTimer = setInterval(() => void this.rotateSessionKey(), 10_000);
  }

  private async assign(members: GroupMemberInfo[], context: AssignContext): Promise<Map<string, Buffer>> {
    this.members = members;
    // A declared-gone worker that is back in the group is gone no longer.
    const present = new Set(members.map((m) => m.state.url));
    for (const id of this.o.configs.snapshot().goneWorkers.keys()) {
      if (present.has(this.urlOf(id))) await this.o.configs.removeWorkerGone(id).catch(() => {});
    }
    return this.leaderAssignment.assign(members, context);
  }

  private async onAssignment(
    assignment: ConnectAssignment,
    generation: number,
    isLeader: boolean,
  ): Promise<void> {
    if (assignment.error !== 0) {
      await this.o.configs.readToEnd();
      this.member.requestRejoin('the config topic was behind the leader');
      return;
    }
    this.assigned = true;
    this.rebalances?.recordCompleted(generation, assignment.version);
    this.log.info(
      {
        generation,
        leader: isLeader,
        connectors: assignment.connectors,
        tasks: assignment.tasks.map((t) => `${t.connector}-${t.task}`),
      },
      `Joined group at generation ${generation}${isLeader ? ' as leader' : ''}: ${assignment.connectors.length} connector(s), ${assignment.tasks.length} task(s); delay ${assignment.delay} ms`,
    );
    // With exactly-once source support the leader writes configs in transactions: claiming fences a former leader.
    if (!isLeader) void this.o.configs.relinquishWritePrivileges();
    if (isLeader) {
      await this.o.configs
        .claimWritePrivileges()
        .catch((error: unknown) => this.log.error({ err: error }, 'Could not claim the config topic'));
      void this.rotateSessionKey();
      // Previous processes of workers restarted in place: their work has moved; the group need not wait for them.
      const replaced = this.leaderAssignment.takeReplaced();
      if (replaced.length > 0)
        void this.member
          .expel(replaced, 'replaced by a new process of the same worker')
          .catch((error: unknown) => this.log.warn({ err: error }, 'Could not expel replaced members'));
    }
    await this.work.start({ connectors: assignment.connectors, tasks: assignment.tasks });
  }

  private async rotateSessionKey(): Promise<void> {
    if (!this.member.isLeader || this.stopping) return;
    if (!needsRotation(this.o.configs.snapshot().sessionKey, this.o.distributed.keyTtlMs)) return;
    await this.o.configs
      .putSessionKey(newSessionKey())
      .catch((error: unknown) => this.log.warn({ err: error }, 'Could not write a new session key'));
  }

  /** Removes a declared-gone worker from the group now, so the group need not wait for its session to time out. */
  private async expel(workerId: string): Promise<void> {
    const ids = this.members.filter((m) => m.state.url === this.urlOf(workerId)).map((m) => m.memberId);
    if (ids.length > 0)
      await this.member
        .expel(ids)
        .catch((error: unknown) => this.log.warn({ err: error }, `Could not expel ${workerId}`));
  }

  /** Waits until the group has settled, as Java queues requests behind its rebalance. */
  private settled(): Promise<void> {
    return whenSettled(this.member, this.o.requestTimeoutMs ?? DEFAULT_SETTLE_WAIT_MS);
  }

  /** Waits for a settled group, then throws NotLeaderError unless this worker leads it. */
  private async leaderReady(what: string): Promise<void> {
    await this.settled();
    if (!this.assigned) throw new NotLeaderError(null, what);
    if (!this.member.isLeader) throw new NotLeaderError(this.member.leaderUrl ?? null, what);
  }

  stage(): string | undefined {
    return rebalanceStage(this.member);
  }

  /** As Java: a stopped connector gets no tasks, whoever computed them before it stopped. */
  private async writeTaskConfigs(name: string, configs: Props[]): Promise<void> {
    if (configs.length > 0 && this.o.configs.snapshot().targetStates.get(name) === 'STOPPED')
      throw badRequest(`Cannot submit non-empty set of task configs for stopped connector ${name}`);
    await this.o.configs.putTaskConfigs(name, configs);
  }

  private async submitTaskConfigs(name: string, configs: Props[]): Promise<void> {
    if (this.member.isLeader) return this.writeTaskConfigs(name, configs);
    const key = this.o.configs.snapshot().sessionKey;
    const leader = this.member.leaderUrl;
    if (!key || !leader) throw new NotLeaderError(null, 'Submitting task configs');
    return sendTaskConfigsToLeader(leader, name, configs, key, this.o.config.restToken);
  }

  // ---- Herder: reads (any worker) ----

  health(): HealthInfo {
    if (this.stopping) return { status: 'unhealthy', message: 'Worker is shutting down.' };
    return this.assigned || this.member.generation > 0
      ? { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' }
      : { status: 'starting', message: 'Worker is still joining its group.' };
  }

  kafkaClusterId(): string {
    return this.o.kafkaClusterId;
  }

  private props(name: string): Props {
    const props = this.o.configs.snapshot().connectors.get(name);
    if (!props) throw connectorNotFound(name);
    return props;
  }

  private connectorOf(props: Props): Connector {
    return this.worker.createConnector(props);
  }

  async connectors(): Promise<string[]> {
    return [...this.o.configs.snapshot().connectors.keys()].sort();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const props = this.props(name);
    const tasks = this.o.configs.snapshot().taskConfigs.get(name) ?? [];
    let type: ConnectorInfo['type'] = 'unknown';
    try {
      type = this.connectorOf(props).kind;
    } catch {
      // An unknown class shows as type "unknown", as in Java.
    }
    return { name, config: { ...props }, tasks: tasks.map((_, task) => ({ connector: name, task })), type };
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    return { ...this.props(name) };
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const info = await this.connectorInfo(name);
    return buildStatus(name, info.type, info.tasks.length, this.o.statuses, '');
  }

  async taskStatus(name: string, task: number): Promise<TaskStateInfo> {
    const found = (await this.connectorStatus(name)).tasks.find((t) => t.id === task);
    if (!found) throw notFound(`Status for task ${name}-${task} not found`);
    return found;
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    this.props(name);
    const tasks = this.o.configs.snapshot().taskConfigs.get(name) ?? [];
    return tasks.map((config, task) => ({ id: { connector: name, task }, config: { ...config } }));
  }

  async connectorActiveTopics(name: string): Promise<string[]> {
    // As Java: read from the status store, unknown connectors included (they have no topics).
    if (!this.o.config.topicTrackingEnable)
      throw new WeirError('WEIR_FORBIDDEN', 'Topic tracking is disabled.');
    return this.o.statuses.topics(name);
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const props = this.props(name);
    await this.o.offsets.readToEnd();
    const resolved = this.worker.resolveConfig(props, 'keep');
    const offsets = this.offsetTopics.storeFor(name, resolved);
    return readOffsets(this.connectorOf(props), name, resolved, offsets, this.o.config);
  }

  validateConnectorConfig(pluginHint: string | null, config: Record<string, string>): Promise<ConfigInfos> {
    const resolved = this.worker.resolveConfig(config, 'keep');
    return validateWithHint(
      this.o.plugins,
      pluginHint,
      resolved,
      this.o.config.clientOverridePolicy,
      this.exactlyOnceMode(),
    ).then((infos) => hidingResolved(infos, config));
  }

  private exactlyOnceMode(): ExactlyOnceMode {
    return {
      mode: 'distributed',
      sourceSupportEnabled: this.o.distributed.exactlyOnceSourceSupport === 'enabled',
    };
  }

  plugins(connectorsOnly: boolean): PluginInfo[] {
    return pluginInfos(this.o.plugins, connectorsOnly);
  }

  pluginConfig(plugin: string): ConfigKeyInfo[] {
    return pluginConfigKeys(this.o.plugins, plugin);
  }

  // ---- Herder: writes ----

  async putConnectorConfig(
    name: string,
    config: Record<string, string>,
    options: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<PutConnectorResult> {
    await this.leaderReady('Creating or updating a connector');
    await this.o.configs.readToEnd();
    const exists = this.o.configs.snapshot().connectors.has(name);
    if (exists && !options.allowReplace) throw alreadyExists(`Connector ${name} already exists`);
    const full = { ...config, name };
    // Validated with its placeholders resolved, as Java validates; stored as written.
    const resolved = this.worker.resolveConfig(full, 'keep');
    const policy = this.o.config.clientOverridePolicy;
    assertValid(
      hidingResolved(
        await validateConnectorConfig(this.o.plugins, resolved, policy, this.exactlyOnceMode()),
        full,
      ),
    );
    await this.o.configs.putConnectorConfig(name, full, exists ? undefined : options.initialState);
    await this.o.configs.readToEnd();
    return { created: !exists, info: await this.connectorInfo(name) };
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    await this.leaderReady('Patching a connector');
    const current = await this.connectorConfig(name);
    if (patch['name'] !== undefined && patch['name'] !== name) {
      throw badRequest(
        `Connector name configuration (${String(patch['name'])}) doesn't match connector name in the URL (${name})`,
      );
    }
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete current[k];
      else current[k] = v;
    }
    return (await this.putConnectorConfig(name, current, { allowReplace: true })).info;
  }

  async deleteConnector(name: string): Promise<void> {
    await this.leaderReady('Deleting a connector');
    this.props(name);
    await this.o.configs.removeConnectorConfig(name);
    await this.o.configs.readToEnd();
    this.o.statuses.remove(name);
  }

  async restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null> {
    await this.leaderReady('Restarting a connector');
    const status = await this.connectorStatus(name);
    await this.o.configs.putRestartRequest(name, request);
    if (!request.includeTasks && !request.onlyFailed) return null;
    return restartPlan(status, request).status;
  }

  private assertTaskKnown(name: string, task: number): void {
    const snapshot = this.o.configs.snapshot();
    if (!snapshot.connectors.has(name)) throw notFound(`Unknown connector: ${name}`);
    if (!snapshot.taskConfigs.get(name)?.[task]) throw notFound(`Unknown task: ${name}-${task}`);
  }

  async restartTask(name: string, task: number): Promise<void> {
    // Checked first too: Java answers a task its connector has not yet generated with 404 at once,
    // the round that follows a create assigning only the connector.
    this.assertTaskKnown(name, task);
    await this.settled();
    this.assertTaskKnown(name, task);
    const id = { connector: name, task };
    if (this.work.ownsTask(id)) return this.work.restartTask(id);
    // As Java: the leader knows who runs the task and sends the request there; others send it to the leader.
    const what = `Restarting task ${name}-${task}`;
    if (!this.member.isLeader) throw new NotLeaderError(this.member.leaderUrl ?? null, what);
    const owner = this.leaderAssignment.snapshot?.owners.find((o) =>
      o.work.tasks.some((t) => t.connector === name && t.task === task),
    );
    const status = this.o.statuses.task(id)?.workerId;
    const url = owner?.url ?? (status && status !== this.o.workerId ? this.urlOf(status) : null);
    throw new NotLeaderError(url, what);
  }

  /** Pause and resume: any worker writes the target state at once, rebalance or not (as Java). */
  private async setTargetState(name: string, state: TargetState): Promise<void> {
    this.props(name);
    await this.o.configs.putTargetState(name, state);
    await this.o.configs.readToEnd();
  }

  pauseConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'PAUSED');
  }
  resumeConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'RUNNING');
  }
  /** As Java: the empty task set first, so no reader sees a STOPPED connector with tasks. */
  async stopConnector(name: string): Promise<void> {
    await this.leaderReady('Stopping a connector');
    this.props(name);
    await this.writeTaskConfigs(name, []);
    await this.o.configs.putTargetState(name, 'STOPPED');
    await this.o.configs.readToEnd();
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    // As Java: read from the status store, unknown connectors included (they have no topics).
    if (!this.o.config.topicTrackingEnable)
      throw new WeirError('WEIR_FORBIDDEN', 'Topic tracking is disabled.');
    if (!this.o.config.topicTrackingAllowReset)
      throw new WeirError('WEIR_FORBIDDEN', 'Topic tracking reset is disabled.');
    this.o.statuses.resetTopics(name);
  }

  private async modifyOffsets(name: string, body: ConnectorOffsets | null): Promise<string> {
    await this.leaderReady('Modifying offsets');
    const props = this.props(name);
    if (this.o.configs.snapshot().targetStates.get(name) !== 'STOPPED') throw mustBeStopped(name);
    await this.o.offsets.readToEnd();
    const resolved = this.worker.resolveConfig(props, 'keep');
    const offsets = this.offsetTopics.storeFor(name, resolved);
    return writeOffsets(this.connectorOf(props), name, resolved, body, offsets, this.o.config);
  }

  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string> {
    return this.modifyOffsets(name, offsets);
  }
  resetConnectorOffsets(name: string): Promise<string> {
    return this.modifyOffsets(name, null);
  }

  // ---- Cluster endpoints (internal and admin) ----

  async putTaskConfigs(
    name: string,
    body: string,
    signature: string | undefined,
    algorithm: string | undefined,
  ): Promise<void> {
    const refused = verify(body, signature, algorithm, this.o.configs.snapshot().sessionKey);
    if (refused) throw new WeirError('WEIR_FORBIDDEN', refused);
    // A leader writes at once, even mid-round: the sender may be a worker starting its work in that
    // round, which rejoins only once this answers.
    if (!this.member.isLeader) await this.leaderReady('Writing task configs');
    this.props(name);
    const configs = JSON.parse(body) as Props[];
    if (!Array.isArray(configs)) throw badRequest('task configs must be a JSON array of objects');
    await this.writeTaskConfigs(name, configs);
  }

  /** Internal: zombie fencing asked by another worker's exactly-once task (signed, empty body). */
  async fenceZombies(name: string, signature?: string, algorithm?: string): Promise<void> {
    await this.leaderReady('Fencing zombie source tasks');
    await this.fencing.fenceSigned(name, signature, algorithm);
  }

  async workers(): Promise<ClusterWorker[]> {
    await this.leaderReady('Listing the workers');
    return this.members.map((m) => ({
      url: m.state.url,
      member_id: m.memberId,
      leader: m.memberId === this.member.memberId,
    }));
  }

  async removeWorker(workerId: string, token: string | undefined): Promise<void> {
    const expected = this.o.distributed.adminToken;
    if (!expected)
      throw new WeirError(
        'WEIR_FORBIDDEN',
        'Declaring workers gone is disabled: set weir.admin.token (or WEIR_ADMIN_TOKEN) on the workers',
      );
    if (token !== expected)
      throw new WeirError(
        'WEIR_UNAUTHORIZED',
        'A valid admin token is required: send "Authorization: Bearer <weir.admin.token>"',
      );
    // Not held until the group settles: a rebalance may be waiting for this very worker's session.
    if (!this.assigned) throw new NotLeaderError(null, 'Declaring a worker gone');
    if (!this.member.isLeader)
      throw new NotLeaderError(this.member.leaderUrl ?? null, 'Declaring a worker gone');
    if (workerId === this.o.workerId)
      throw badRequest(`Worker ${workerId} is the leader serving this request; stop it instead`);
    this.log.info(`Worker ${workerId} declared gone; its work moves now`);
    await this.o.configs.putWorkerGone(workerId);
  }

  /** Graceful shutdown: stop the work (offsets flushed), say this worker is gone, leave the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.keyTimer);
    this.taskConfigRetry.stop();
    await this.work.stopAll();
    await this.o.configs
      .putWorkerGone(this.o.workerId)
      .catch((error: unknown) => this.log.warn({ err: error }, 'Could not announce the shutdown'));
    await this.member.leave();
    await this.o.statuses.flush();
    await this.offsetTopics.stop();
  }
}

/** The worker's TLS and SASL settings for the group coordinator's connections, as for its other clients. */
function groupConnectionOptions(config: WorkerConfig): SecurityOptions {
  const { tls, sasl } = baseClientOptions(config, 'connect-group');
  return { ...(tls ? { tls } : {}), ...(sasl ? { sasl } : {}) };
}
