// Connector and task statuses. Standalone keeps them in memory; distributed mode writes them to the
// status topic. A write carries the worker and the generation that made it.
import type { ConnectorState } from '../rest/types.ts';

export interface Status {
  readonly state: ConnectorState;
  readonly trace: string | null;
  readonly workerId: string;
  readonly generation: number;
}

export interface TaskId {
  readonly connector: string;
  readonly task: number;
}

export interface StatusStore {
  putConnector(connector: string, status: Status): void;
  putTask(id: TaskId, status: Status): void;
  connector(connector: string): Status | undefined;
  task(id: TaskId): Status | undefined;
  tasks(connector: string): Map<number, Status>;
  /** Forgets the connector and its tasks (deleted connector). */
  remove(connector: string): void;
  /** Topics a connector used (topic tracking). */
  putTopic(connector: string, topic: string): void;
  topics(connector: string): string[];
  resetTopics(connector: string): void;
}

export class MemoryStatusStore implements StatusStore {
  private readonly connectors = new Map<string, Status>();
  private readonly taskStatuses = new Map<string, Map<number, Status>>();
  private readonly activeTopics = new Map<string, Set<string>>();

  putConnector(connector: string, status: Status): void {
    this.connectors.set(connector, status);
  }
  putTask(id: TaskId, status: Status): void {
    let tasks = this.taskStatuses.get(id.connector);
    if (!tasks) this.taskStatuses.set(id.connector, (tasks = new Map()));
    tasks.set(id.task, status);
  }
  connector(connector: string): Status | undefined {
    return this.connectors.get(connector);
  }
  task(id: TaskId): Status | undefined {
    return this.taskStatuses.get(id.connector)?.get(id.task);
  }
  tasks(connector: string): Map<number, Status> {
    return new Map(this.taskStatuses.get(connector) ?? []);
  }
  remove(connector: string): void {
    this.connectors.delete(connector);
    this.taskStatuses.delete(connector);
    this.activeTopics.delete(connector);
  }
  removeTask(id: TaskId): void {
    this.taskStatuses.get(id.connector)?.delete(id.task);
  }
  putTopic(connector: string, topic: string): void {
    let topics = this.activeTopics.get(connector);
    if (!topics) this.activeTopics.set(connector, (topics = new Set()));
    topics.add(topic);
  }
  topics(connector: string): string[] {
    return [...(this.activeTopics.get(connector) ?? [])].sort();
  }
  resetTopics(connector: string): void {
    this.activeTopics.delete(connector);
  }
}
