// Raw group-coordinator requests (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
// DescribeGroups)
// through @platformatic/kafka's protocol API, with versions negotiated by ApiVersions. Heartbeats go
// over their own connection, so they keep flowing while a JoinGroup waits at the coordinator for
// the other members. Failures surface as GroupRequestError with Kafka's error name (or NETWORK).
import {
  ConnectionPool,
  apiVersionsV3,
  describeGroupsV3,
  describeGroupsV4,
  describeGroupsV5,
  findCoordinatorV4,
  findCoordinatorV5,
  findCoordinatorV6,
  findErrorBy,
  heartbeatV3,
  heartbeatV4,
  joinGroupV5,
  joinGroupV6,
  joinGroupV7,
  joinGroupV8,
  joinGroupV9,
  leaveGroupV3,
  leaveGroupV4,
  leaveGroupV5,
  syncGroupV3,
  syncGroupV4,
  syncGroupV5,
  type Broker,
  type Connection,
  type ConnectionOptions,
} from '@platformatic/kafka';

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
  reason?: string;
}

export interface JoinGroupResult {
  generationId: number;
  memberId: string;
  leader: string;
  protocolName: string;
  members: { memberId: string; metadata: Buffer }[];
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  protocolType: string;
  protocolName: string;
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface GroupMemberRef {
  groupId: string;
  generationId: number;
  memberId: string;
}

/** A member as DescribeGroups shows it; `metadata` (its chosen protocol's) only while the group is Stable. */
export interface DescribedMember {
  memberId: string;
  clientId: string;
  metadata: Buffer;
}

export interface GroupDescription {
  /** Empty, PreparingRebalance, CompletingRebalance, Stable or Dead. */
  state: string;
  members: DescribedMember[];
}

/** What a group member needs from the coordinator; the Kafka implementation is below. */
export interface GroupCoordinatorClient {
  findCoordinator(groupId: string): Promise<Broker>;
  joinGroup(coordinator: Broker, request: JoinGroupRequest): Promise<JoinGroupResult>;
  syncGroup(coordinator: Broker, request: SyncGroupRequest): Promise<Buffer>;
  heartbeat(coordinator: Broker, member: GroupMemberRef): Promise<void>;
  leaveGroup(coordinator: Broker, groupId: string, memberId: string, reason: string): Promise<void>;
  describeGroup(coordinator: Broker, groupId: string): Promise<GroupDescription>;
  close(): Promise<void>;
}

/** A failed group request: `id` is Kafka's error name (e.g. REBALANCE_IN_PROGRESS) or NETWORK. */
export class GroupRequestError extends Error {
  readonly id: string;
  /** The parsed response when the broker answered with an error (JoinGroup's carries a member id). */
  readonly response: unknown;

  constructor(id: string, message: string, options: { cause?: unknown; response?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'GroupRequestError';
    this.id = id;
    this.response = options.response;
  }
}

function toGroupError(api: string, error: unknown): GroupRequestError {
  if (error instanceof GroupRequestError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const protocol = findErrorBy(err, 'code', 'PLT_KFK_PROTOCOL');
  const id = typeof protocol?.apiId === 'string' ? protocol.apiId : 'NETWORK';
  const response = (err as { response?: unknown }).response;
  return new GroupRequestError(id, `${api} failed: ${id === 'NETWORK' ? err.message : id}`, {
    cause: err,
    response,
  });
}

// Implemented versions, newest first; each family shares one request signature.
const VERSIONS = {
  FindCoordinator: { key: 10, apis: [findCoordinatorV6, findCoordinatorV5, findCoordinatorV4] },
  JoinGroup: { key: 11, apis: [joinGroupV9, joinGroupV8, joinGroupV7, joinGroupV6, joinGroupV5] },
  Heartbeat: { key: 12, apis: [heartbeatV4, heartbeatV3] },
  LeaveGroup: { key: 13, apis: [leaveGroupV5, leaveGroupV4, leaveGroupV3] },
  SyncGroup: { key: 14, apis: [syncGroupV5, syncGroupV4, syncGroupV3] },
  DescribeGroups: { key: 15, apis: [describeGroupsV5, describeGroupsV4, describeGroupsV3] },
} as const;
type ApiName = keyof typeof VERSIONS;
type ApiOf<N extends ApiName> = (typeof VERSIONS)[N]['apis'][0]['api'];

export interface KafkaGroupClientOptions {
  bootstrapBrokers: string[];
  clientId: string;
  /** Must exceed rebalance.timeout.ms: a JoinGroup can wait that long for the other members. */
  requestTimeoutMs: number;
  heartbeatTimeoutMs: number;
  connectionOptions?: ConnectionOptions;
}

export function parseBroker(address: string): Broker {
  const at = address.lastIndexOf(':');
  if (at <= 0) throw new Error(`broker address "${address}" is not host:port`);
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(address.slice(at + 1)) };
}

export class KafkaGroupClient implements GroupCoordinatorClient {
  readonly #bootstrap: Broker[];
  readonly #pool: ConnectionPool;
  readonly #heartbeats: ConnectionPool;
  #versions: Map<number, { min: number; max: number }> | undefined;

  constructor(options: KafkaGroupClientOptions) {
    this.#bootstrap = options.bootstrapBrokers.map(parseBroker);
    const base = { connectTimeout: 5000, ...options.connectionOptions };
    this.#pool = new ConnectionPool(options.clientId, { ...base, requestTimeout: options.requestTimeoutMs });
    this.#heartbeats = new ConnectionPool(`${options.clientId}-heartbeat`, {
      ...base,
      requestTimeout: options.heartbeatTimeoutMs,
    });
  }

  async #api<N extends ApiName>(name: N, connection: Connection): Promise<ApiOf<N>> {
    if (!this.#versions) {
      const response = await apiVersionsV3.api.async(connection, 'weir', '1');
      this.#versions = new Map(
        response.apiKeys.map((a) => [a.apiKey, { min: a.minVersion, max: a.maxVersion }]),
      );
    }
    const { key, apis } = VERSIONS[name];
    const range = this.#versions.get(key);
    const found = apis.find((a) => range && a.api.version >= range.min && a.api.version <= range.max);
    if (!found)
      throw new GroupRequestError('UNSUPPORTED_VERSION', `the broker supports no usable ${name} version`);
    return found.api as ApiOf<N>;
  }

  async findCoordinator(groupId: string): Promise<Broker> {
    try {
      const connection = await this.#pool.getFirstAvailable(this.#bootstrap);
      const api = await this.#api('FindCoordinator', connection);
      const response = await api.async(connection, 0, [groupId]);
      const coordinator = response.coordinators.find((c) => c.key === groupId) ?? response.coordinators[0];
      if (!coordinator)
        throw new GroupRequestError('COORDINATOR_NOT_AVAILABLE', 'no coordinator in the response');
      return { host: coordinator.host, port: coordinator.port };
    } catch (error) {
      throw toGroupError('FindCoordinator', error);
    }
  }

  async joinGroup(coordinator: Broker, r: JoinGroupRequest): Promise<JoinGroupResult> {
    try {
      const connection = await this.#pool.get(coordinator);
      const api = await this.#api('JoinGroup', connection);
      const response = await api.async(
        connection,
        r.groupId,
        r.sessionTimeoutMs,
        r.rebalanceTimeoutMs,
        r.memberId,
        null,
        r.protocolType,
        r.protocols,
        r.reason ?? null,
      );
      return {
        generationId: response.generationId,
        memberId: response.memberId,
        leader: response.leader,
        protocolName: response.protocolName ?? '',
        members: response.members.map((m) => ({ memberId: m.memberId, metadata: m.metadata })),
      };
    } catch (error) {
      throw toGroupError('JoinGroup', error);
    }
  }

  async syncGroup(coordinator: Broker, r: SyncGroupRequest): Promise<Buffer> {
    try {
      const connection = await this.#pool.get(coordinator);
      const api = await this.#api('SyncGroup', connection);
      const response = await api.async(
        connection,
        r.groupId,
        r.generationId,
        r.memberId,
        null,
        r.protocolType,
        r.protocolName,
        r.assignments,
      );
      return response.assignment;
    } catch (error) {
      throw toGroupError('SyncGroup', error);
    }
  }

  async heartbeat(coordinator: Broker, m: GroupMemberRef): Promise<void> {
    try {
      const connection = await this.#heartbeats.get(coordinator);
      const api = await this.#api('Heartbeat', connection);
      await api.async(connection, m.groupId, m.generationId, m.memberId, null);
    } catch (error) {
      throw toGroupError('Heartbeat', error);
    }
  }

  async leaveGroup(coordinator: Broker, groupId: string, memberId: string, reason: string): Promise<void> {
    try {
      // Not behind a JoinGroup that may be waiting at the coordinator on the main connection.
      const connection = await this.#heartbeats.get(coordinator);
      const api = await this.#api('LeaveGroup', connection);
      await api.async(connection, groupId, [{ memberId, groupInstanceId: null, reason }]);
    } catch (error) {
      throw toGroupError('LeaveGroup', error);
    }
  }

  async describeGroup(coordinator: Broker, groupId: string): Promise<GroupDescription> {
    try {
      // Not behind a JoinGroup that may be waiting at the coordinator on the main connection.
      const connection = await this.#heartbeats.get(coordinator);
      const api = await this.#api('DescribeGroups', connection);
      const response = await api.async(connection, [groupId], false);
      const group = response.groups.find((g) => g.groupId === groupId);
      return {
        state: group?.groupState ?? 'Dead',
        members: (group?.members ?? []).map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          metadata: m.memberMetadata,
        })),
      };
    } catch (error) {
      throw toGroupError('DescribeGroups', error);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#pool.close(), this.#heartbeats.close()]);
  }
}
