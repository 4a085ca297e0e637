// Status bodies and restart plans (KIP-745), shared by herders.
import type { ConnectorStateInfo, ConnectorType, StateInfo, TaskStateInfo } from '../rest/types.ts';
import type { Status, StatusStore } from '../storage/status-store.ts';
import type { RestartRequest } from './herder.ts';
import { BUILTIN_PLUGINS_VERSION } from '../version.ts';

function stateInfo(status: Status | undefined, fallbackWorker: string): StateInfo {
  const info: StateInfo = {
    state: status?.state ?? 'UNASSIGNED',
    worker_id: status?.workerId ?? fallbackWorker,
  };
  if (status?.trace) info.trace = status.trace;
  // The plugin's version, as Java reports it; every plugin Weir runs is a built-in one.
  info.version = BUILTIN_PLUGINS_VERSION;
  return info;
}

export function buildStatus(
  name: string,
  type: ConnectorType,
  taskCount: number,
  statuses: StatusStore,
  workerId: string,
): ConnectorStateInfo {
  const taskStatuses = statuses.tasks(name);
  const tasks: TaskStateInfo[] = [];
  for (let task = 0; task < taskCount; task++) {
    tasks.push({ id: task, ...stateInfo(taskStatuses.get(task), workerId) });
  }
  return { name, connector: stateInfo(statuses.connector(name), workerId), tasks, type };
}

export interface RestartPlan {
  connector: boolean;
  tasks: number[];
  /** The status as the restart response shows it: what restarts is RESTARTING. */
  status: ConnectorStateInfo;
}

export function restartPlan(status: ConnectorStateInfo, request: RestartRequest): RestartPlan {
  const connector = !request.onlyFailed || status.connector.state === 'FAILED';
  const tasks = request.includeTasks
    ? status.tasks.filter((t) => !request.onlyFailed || t.state === 'FAILED').map((t) => t.id)
    : [];
  return {
    connector,
    tasks,
    status: {
      ...status,
      connector: connector ? { ...status.connector, state: 'RESTARTING' } : status.connector,
      tasks: status.tasks.map((t) => (tasks.includes(t.id) ? { ...t, state: 'RESTARTING' } : t)),
    },
  };
}
