// An in-memory Herder for tests of the REST layer (and anything else that talks to a herder): connectors
// with configs, target states and one task each, answering with the errors a real herder raises.
import { WeirError, alreadyExists, badRequest, connectorNotFound } from '../../errors.ts';
import type { Herder, PutConnectorResult, RestartRequest } from '../../herder/herder.ts';
import type {
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  ConnectorType,
  HealthInfo,
  PluginInfo,
  TargetState,
  TaskInfo,
  TaskStateInfo,
} from '../types.ts';

interface FakeConnector {
  config: Record<string, string>;
  target: TargetState;
  offsets: ConnectorOffsets;
  topics: string[];
}

export const WORKER_ID = '127.0.0.1:8083';

export const PLUGINS: PluginInfo[] = [
  { class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '4.3.1' },
  { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '4.3.1' },
  { class: 'org.apache.kafka.connect.transforms.Filter', type: 'transformation', version: '4.3.1' },
  { class: 'org.apache.kafka.connect.json.JsonConverter', type: 'converter', version: '4.3.1' },
];

export const FILE_KEY: ConfigKeyInfo = {
  name: 'file',
  type: 'STRING',
  required: false,
  default_value: null,
  importance: 'HIGH',
  documentation: 'Source filename. If not specified, the standard input will be used',
  group: null,
  order_in_group: -1,
  width: 'NONE',
  display_name: 'file',
  dependents: [],
};

/** FQCN, simple name, or simple name without its Connector suffix. */
function findPlugin(name: string): PluginInfo | undefined {
  return PLUGINS.find((p) => {
    const simple = p.class.slice(p.class.lastIndexOf('.') + 1);
    return [p.class, simple, simple.replace(/Connector$/, '')].includes(name);
  });
}

function typeOf(config: Record<string, string>): ConnectorType {
  const cls = config['connector.class'] ?? '';
  if (cls.includes('Source')) return 'source';
  if (cls.includes('Sink')) return 'sink';
  return 'unknown';
}

export class FakeHerder implements Herder {
  readonly connectorsByName = new Map<string, FakeConnector>();
  /** Every call, as [method, ...arguments]. */
  readonly calls: unknown[][] = [];
  healthInfo: HealthInfo = {
    status: 'healthy',
    message: 'Worker has completed startup and is ready to handle requests.',
  };
  /** When set, every asynchronous method waits this long first. */
  delayMs = 0;
  /** When set, every asynchronous method rejects with it. */
  failure: unknown = undefined;
  topicTracking = true;

  health(): HealthInfo {
    return this.healthInfo;
  }

  kafkaClusterId(): string {
    return 'fake-cluster-id';
  }

  private async enter(method: string, ...args: unknown[]): Promise<void> {
    this.calls.push([method, ...args]);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failure !== undefined) throw this.failure;
  }

  private get(name: string): FakeConnector {
    const connector = this.connectorsByName.get(name);
    if (!connector) throw connectorNotFound(name);
    return connector;
  }

  private info(name: string): ConnectorInfo {
    const { config, target } = this.get(name);
    const tasks = target === 'STOPPED' ? [] : [{ connector: name, task: 0 }];
    return { name, config, tasks, type: typeOf(config) };
  }

  private taskState(name: string, task: number, restarting = false): TaskStateInfo {
    const connector = this.get(name);
    if (task !== 0 || connector.target === 'STOPPED') {
      throw new WeirError('WEIR_NOT_FOUND', `No status found for task ${name}-${task}`);
    }
    return { id: 0, state: restarting ? 'RESTARTING' : connector.target, worker_id: WORKER_ID };
  }

  async connectors(): Promise<string[]> {
    await this.enter('connectors');
    return [...this.connectorsByName.keys()];
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    await this.enter('connectorInfo', name);
    return this.info(name);
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    await this.enter('connectorConfig', name);
    return this.get(name).config;
  }

  async putConnectorConfig(
    name: string,
    config: Record<string, string>,
    options: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<PutConnectorResult> {
    await this.enter('putConnectorConfig', name, config, options);
    const existing = this.connectorsByName.get(name);
    if (existing && !options.allowReplace) throw alreadyExists(`Connector ${name} already exists`);
    if (!config['connector.class']) {
      throw new WeirError(
        'WEIR_INVALID_CONFIG',
        'Connector configuration is invalid and contains the following 1 error(s):\n' +
          'Missing required configuration "connector.class" which has no default value.',
      );
    }
    if (existing) existing.config = config;
    else {
      this.connectorsByName.set(name, {
        config,
        target: options.initialState ?? 'RUNNING',
        offsets: { offsets: [] },
        topics: [],
      });
    }
    return { created: !existing, info: this.info(name) };
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    await this.enter('patchConnectorConfig', name, patch);
    const connector = this.get(name);
    const config = { ...connector.config };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete config[key];
      else config[key] = value;
    }
    connector.config = config;
    return this.info(name);
  }

  async deleteConnector(name: string): Promise<void> {
    await this.enter('deleteConnector', name);
    this.get(name);
    this.connectorsByName.delete(name);
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    await this.enter('connectorStatus', name);
    const connector = this.get(name);
    const tasks = connector.target === 'STOPPED' ? [] : [this.taskState(name, 0)];
    return {
      name,
      connector: { state: connector.target, worker_id: WORKER_ID },
      tasks,
      type: typeOf(connector.config),
    };
  }

  async taskStatus(name: string, task: number): Promise<TaskStateInfo> {
    await this.enter('taskStatus', name, task);
    return this.taskState(name, task);
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    await this.enter('taskConfigs', name);
    return this.info(name).tasks.map((id) => ({ id, config: { 'task.class': 'FakeTask' } }));
  }

  async restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null> {
    await this.enter('restartConnector', name, request);
    const connector = this.get(name);
    if (!request.includeTasks && !request.onlyFailed) return null;
    const tasks =
      request.includeTasks && !request.onlyFailed
        ? [this.taskState(name, 0, true)]
        : [this.taskState(name, 0)];
    return {
      name,
      connector: { state: request.onlyFailed ? connector.target : 'RESTARTING', worker_id: WORKER_ID },
      tasks,
      type: typeOf(connector.config),
    };
  }

  async restartTask(name: string, task: number): Promise<void> {
    await this.enter('restartTask', name, task);
    this.taskState(name, task);
  }

  async pauseConnector(name: string): Promise<void> {
    await this.enter('pauseConnector', name);
    this.get(name).target = 'PAUSED';
  }

  async resumeConnector(name: string): Promise<void> {
    await this.enter('resumeConnector', name);
    this.get(name).target = 'RUNNING';
  }

  async stopConnector(name: string): Promise<void> {
    await this.enter('stopConnector', name);
    this.get(name).target = 'STOPPED';
  }

  async connectorActiveTopics(name: string): Promise<string[]> {
    await this.enter('connectorActiveTopics', name);
    if (!this.topicTracking) throw new WeirError('WEIR_FORBIDDEN', 'Topic tracking is disabled.');
    return this.get(name).topics;
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    await this.enter('resetConnectorActiveTopics', name);
    if (!this.topicTracking) throw new WeirError('WEIR_FORBIDDEN', 'Topic tracking is disabled.');
    this.get(name).topics = [];
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    await this.enter('connectorOffsets', name);
    return this.get(name).offsets;
  }

  private requireStopped(name: string): FakeConnector {
    const connector = this.get(name);
    if (connector.target !== 'STOPPED') {
      throw badRequest(
        `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      );
    }
    return connector;
  }

  async alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string> {
    await this.enter('alterConnectorOffsets', name, offsets);
    this.requireStopped(name).offsets = offsets;
    return 'The offsets for this connector have been altered successfully';
  }

  async resetConnectorOffsets(name: string): Promise<string> {
    await this.enter('resetConnectorOffsets', name);
    this.requireStopped(name).offsets = { offsets: [] };
    return 'The offsets for this connector have been reset successfully';
  }

  async validateConnectorConfig(
    pluginHint: string | null,
    config: Record<string, string>,
  ): Promise<ConfigInfos> {
    await this.enter('validateConnectorConfig', pluginHint, config);
    const name = config['connector.class'] ?? pluginHint ?? '';
    const plugin = findPlugin(name);
    if (!plugin)
      throw new WeirError(
        'WEIR_UNKNOWN_PLUGIN',
        `Failed to find any class that implements Connector and which name matches ${name}`,
      );
    const errors = config.file === undefined ? ['Missing required configuration "file"'] : [];
    return {
      name: plugin.class,
      error_count: errors.length,
      groups: ['Common'],
      configs: [
        {
          definition: FILE_KEY,
          value: { name: 'file', value: config.file ?? null, recommended_values: [], errors, visible: true },
        },
      ],
    };
  }

  plugins(connectorsOnly: boolean): PluginInfo[] {
    this.calls.push(['plugins', connectorsOnly]);
    return connectorsOnly ? PLUGINS.filter((p) => p.type === 'source' || p.type === 'sink') : PLUGINS;
  }

  pluginConfig(plugin: string): ConfigKeyInfo[] {
    this.calls.push(['pluginConfig', plugin]);
    if (!findPlugin(plugin)) {
      throw new WeirError('WEIR_UNKNOWN_PLUGIN', `Unknown plugin ${plugin}`);
    }
    return [FILE_KEY];
  }
}
