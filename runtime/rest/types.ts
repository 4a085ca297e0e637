// REST payloads of the Kafka Connect API, exactly as Apache Kafka Connect writes them. This is the
// one module the operator shares with the runtime.

export type ConnectorType = 'source' | 'sink' | 'unknown';
export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING' | 'STOPPED';
export type TargetState = 'RUNNING' | 'PAUSED' | 'STOPPED';

export interface ConnectorTaskId {
  connector: string;
  task: number;
}

/** GET /connectors/{name}, POST /connectors, PUT /connectors/{name}/config */
export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: ConnectorTaskId[];
  type: ConnectorType;
}

export interface StateInfo {
  state: ConnectorState;
  worker_id: string;
  /** Omitted when empty. */
  trace?: string;
  version?: string;
}

export interface TaskStateInfo extends StateInfo {
  id: number;
}

/** GET /connectors/{name}/status */
export interface ConnectorStateInfo {
  name: string;
  connector: StateInfo;
  tasks: TaskStateInfo[];
  type: ConnectorType;
}

/** GET /connectors/{name}/tasks entries */
export interface TaskInfo {
  id: ConnectorTaskId;
  config: Record<string, string>;
}

/** POST /connectors body */
export interface CreateConnectorRequest {
  name: string;
  config: Record<string, string>;
  initial_state?: TargetState;
}

/** GET /connectors/{name}/offsets; PATCH body. Sink partitions: kafka_topic, kafka_partition; offset: kafka_offset. */
export interface ConnectorOffsets {
  offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> | null }[];
}

export interface MessageBody {
  message: string;
}

export interface ErrorBody {
  error_code: number;
  message: string;
}

export type PluginType =
  'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate';

/** GET /connector-plugins entries */
export interface PluginInfo {
  class: string;
  type: PluginType;
  version?: string;
}

/** GET /connector-plugins/{plugin}/config entries, and `definition` in validate results */
export interface ConfigKeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  order_in_group: number;
  width: string;
  display_name: string;
  dependents: string[];
}

export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: string[];
  errors: string[];
  visible: boolean;
}

/** PUT /connector-plugins/{plugin}/config/validate */
export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: { definition: ConfigKeyInfo; value: ConfigValueInfo }[];
}

/**
 * GET /: `version` and `commit` are those of the Apache Kafka Connect release Weir behaves as (clients
 * check them for features); Weir's own are in the fields Java does not have.
 */
export interface ServerInfo {
  version: string;
  commit: string;
  kafka_cluster_id: string;
  weir_version: string;
  weir_commit: string;
}

export interface HealthInfo {
  status: 'healthy' | 'starting' | 'unhealthy';
  message: string;
  details?: unknown;
}

export interface LoggerLevel {
  level: string;
  last_modified: number | null;
}
