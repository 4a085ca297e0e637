// The herder owns connectors: their configs, target states, task assignments and statuses. The REST
// API and the CLI are thin layers over this interface; standalone and distributed modes implement it.
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

export interface RestartRequest {
  includeTasks: boolean;
  onlyFailed: boolean;
}

/** GET /admin/workers entries (distributed mode). */
export interface ClusterWorker {
  url: string;
  member_id: string;
  leader: boolean;
}

export interface PutConnectorResult {
  created: boolean;
  info: ConnectorInfo;
}

/**
 * Every method rejects with a WeirError (runtime/errors.ts) for the caller's mistakes: unknown
 * connector → WEIR_NOT_FOUND, existing one → WEIR_ALREADY_EXISTS, bad config → WEIR_INVALID_CONFIG.
 */
export interface Herder {
  /** Health for GET /health: starting until the worker can serve, then healthy. */
  health(): HealthInfo;
  kafkaClusterId(): string;

  connectors(): Promise<string[]>;
  connectorInfo(name: string): Promise<ConnectorInfo>;
  connectorConfig(name: string): Promise<Record<string, string>>;
  /**
   * Creates or replaces a connector. `allowReplace` false → WEIR_ALREADY_EXISTS if it exists.
   * `initialState` applies only on creation.
   */
  putConnectorConfig(
    name: string,
    config: Record<string, string>,
    options: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<PutConnectorResult>;
  /** Merges `patch` into the config; a null value removes the key. */
  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo>;
  deleteConnector(name: string): Promise<void>;

  connectorStatus(name: string): Promise<ConnectorStateInfo>;
  taskStatus(name: string, task: number): Promise<TaskStateInfo>;
  taskConfigs(name: string): Promise<TaskInfo[]>;

  /** Both flags false: restarts the connector only and returns null. Otherwise the status with RESTARTING. */
  restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null>;
  restartTask(name: string, task: number): Promise<void>;
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  stopConnector(name: string): Promise<void>;

  /** Topics the connector has used; WEIR_FORBIDDEN when topic.tracking.enable is false. */
  connectorActiveTopics(name: string): Promise<string[]>;
  resetConnectorActiveTopics(name: string): Promise<void>;

  connectorOffsets(name: string): Promise<ConnectorOffsets>;
  /** Only when STOPPED (else WEIR_BAD_REQUEST). Resolves to the message of the response body. */
  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string>;
  resetConnectorOffsets(name: string): Promise<string>;

  validateConnectorConfig(pluginHint: string | null, config: Record<string, string>): Promise<ConfigInfos>;
  plugins(connectorsOnly: boolean): PluginInfo[];
  pluginConfig(plugin: string): ConfigKeyInfo[];

  // Distributed mode only; absent in standalone mode.
  /** What the worker is busy with (Java's Stage.summarize()), for the message of a request that timed out. */
  stage?(): string | undefined;
  /** Internal: task configs from the worker running the connector, signed with the session key. */
  putTaskConfigs?(
    name: string,
    body: string,
    signature: string | undefined,
    algorithm: string | undefined,
  ): Promise<void>;
  /** Internal: the leader fences a source connector's old task generation (signed, empty body). */
  fenceZombies?(name: string, signature: string | undefined, algorithm: string | undefined): Promise<void>;
  /** The group's members, as the leader last saw them. */
  workers?(): Promise<ClusterWorker[]>;
  /** Declares a worker gone for good (admin token required): its work moves at once. */
  removeWorker?(workerId: string, token: string | undefined): Promise<void>;
}
