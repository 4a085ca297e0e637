// AssignedWork against the config topic's state (records applied as every worker reads them) and a
// worker that only records what it is asked to run: when task configs are submitted, which tasks restart.
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Props } from '../api/index.ts';
import {
  ConfigState,
  commitKey,
  connectorKey,
  encodeCommit,
  encodeConfig,
  taskKey,
  type KafkaConfigStore,
} from '../storage/kafka-config-store.ts';
import { MemoryStatusStore } from '../storage/status-store.ts';
import type { Worker } from '../worker/worker.ts';
import { AssignedWork } from './assigned-work.ts';
import type { TaskId } from './connect-protocol.ts';

const NAME = 'narrow';
const v1: Props = { name: NAME, 'connector.class': 'Narrow', file: '/in.txt', 'value.converter': 'Json' };
const TASK: Props = { file: '/in.txt', 'task.class': 'NarrowTask' };

/** The worker's side: what runs, and the task configs its connector generates (the same every time). */
class RecordingWorker {
  readonly workerId = 'w1:8083';
  generated: Props[] = [TASK];
  readonly taskStarts: { id: TaskId; connectorProps: Props; taskProps: Props }[] = [];
  readonly taskStops: TaskId[] = [];
  connectorStarts = 0;

  async startConnector(): Promise<boolean> {
    this.connectorStarts++;
    return true;
  }
  async stopConnector(): Promise<void> {}
  async transitionConnector(): Promise<boolean> {
    return true;
  }
  async connectorTaskConfigs(): Promise<Props[]> {
    return this.generated.map((c) => ({ ...c }));
  }
  startTask(id: TaskId, connectorProps: Props, taskProps: Props): void {
    this.taskStarts.push({ id, connectorProps, taskProps });
  }
  async stopTasks(ids: TaskId[]): Promise<void> {
    this.taskStops.push(...ids);
  }
  setTaskTargetState(): void {}
  // No placeholders here: configs resolve to themselves.
  resolvedAppliedConfig(applied: Props | undefined): Props | undefined {
    return applied;
  }
  resolvedForComparison(props: Props): Props {
    return props;
  }
  resolvesDifferently(): boolean {
    return false;
  }
}

let state: ConfigState;
let offset: number;
let worker: RecordingWorker;
let work: AssignedWork;
let submitted: Props[][];

/** Applies a record as every worker reads it, and tells AssignedWork what changed. */
function record(key: string, value: Buffer | null): void {
  for (const update of state.apply(key, value, offset++)) work.onConfigUpdate(update);
}

function commitTasks(configs: readonly Props[]): void {
  configs.forEach((c, i) => record(taskKey(NAME, i), encodeConfig(c)));
  record(commitKey(NAME), encodeCommit(configs.length));
}

/** Waits until every change queued so far (and those they queued) has been applied. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await work.start({ connectors: [], tasks: [] });
}

beforeEach(async () => {
  state = new ConfigState(pino({ level: 'silent' }));
  offset = 0;
  worker = new RecordingWorker();
  submitted = [];
  const configs = { snapshot: () => state.snapshot(), readToEnd: async () => {} };
  work = new AssignedWork({
    worker: worker as unknown as Worker,
    configs: configs as unknown as KafkaConfigStore,
    statuses: new MemoryStatusStore(),
    // The leader writes them; every worker reads the commit.
    submitTaskConfigs: async (_name, configs) => {
      submitted.push(configs);
      commitTasks(configs);
    },
  });
  record(connectorKey(NAME), encodeConfig(v1));
  commitTasks([TASK]);
  await work.start({ connectors: [NAME], tasks: [{ connector: NAME, task: 0 }] });
  await settle();
});

describe('AssignedWork: task configs follow the connector config (KAFKA-9228)', () => {
  it('starts the task and submits nothing when the committed task configs are current', () => {
    expect(submitted).toEqual([]);
    expect(worker.taskStarts).toHaveLength(1);
    expect(worker.taskStarts[0]?.connectorProps).toEqual(v1);
  });

  it('submits the same task configs again when only the connector config changed, and the task restarts on it', async () => {
    const v2 = { ...v1, 'value.converter': 'String' };
    record(connectorKey(NAME), encodeConfig(v2));
    await settle();
    expect(worker.connectorStarts).toBe(2);
    expect(submitted).toEqual([[TASK]]);
    expect(worker.taskStops).toEqual([{ connector: NAME, task: 0 }]);
    expect(worker.taskStarts).toHaveLength(2);
    expect(worker.taskStarts[1]?.connectorProps).toEqual(v2);
    expect(worker.taskStarts[1]?.taskProps).toEqual(TASK);
    // The commit made v2 the applied config: nothing more to submit.
    expect(state.snapshot().appliedConnectorConfigs.get(NAME)).toEqual(v2);
  });

  it('changes nothing for the same connector config written again, keys in another order', async () => {
    const reordered = Object.fromEntries(Object.entries(v1).reverse());
    record(connectorKey(NAME), encodeConfig(reordered));
    await settle();
    expect(worker.connectorStarts).toBe(1);
    expect(submitted).toEqual([]);
    expect(worker.taskStarts).toHaveLength(1);
  });

  it('restarts only the tasks whose configs changed when a commit keeps the connector config', async () => {
    const other = { ...TASK, file: '/other.txt' };
    commitTasks([TASK, other]);
    await settle();
    expect(worker.taskStops).toEqual([]);
    commitTasks([{ ...TASK, 'batch.size': '5' }, other]);
    await settle();
    expect(worker.taskStops).toEqual([{ connector: NAME, task: 0 }]);
  });

  it('a worker running only the task restarts it at the commit, not at the connector record', async () => {
    const own = new RecordingWorker();
    const configs = { snapshot: () => state.snapshot(), readToEnd: async () => {} };
    const taskOnly = new AssignedWork({
      worker: own as unknown as Worker,
      configs: configs as unknown as KafkaConfigStore,
      statuses: new MemoryStatusStore(),
      submitTaskConfigs: async () => {},
    });
    await taskOnly.start({ connectors: [], tasks: [{ connector: NAME, task: 0 }] });
    const v2 = { ...v1, transforms: 'mask' };
    for (const update of state.apply(connectorKey(NAME), encodeConfig(v2), offset++))
      taskOnly.onConfigUpdate(update);
    await taskOnly.start({ connectors: [], tasks: [] });
    expect(own.taskStops).toEqual([]);
    for (const [key, value] of [
      [taskKey(NAME, 0), encodeConfig(TASK)],
      [commitKey(NAME), encodeCommit(1)],
    ] as const)
      for (const update of state.apply(key, value, offset++)) taskOnly.onConfigUpdate(update);
    await taskOnly.start({ connectors: [], tasks: [] });
    expect(own.taskStops).toEqual([{ connector: NAME, task: 0 }]);
    expect(own.taskStarts.at(-1)?.connectorProps).toEqual(v2);
  });
});
