// VerifiableSource, as org.apache.kafka.connect.tools.VerifiableSourceConnector: each task produces
// numbered records ({name, task, seqno, time_ms}) at a set rate and resumes after its last committed
// seqno. For tests and benchmarks: a multi-task source whose output can be checked for gaps.
import { ConfigDef, SourceConnector, SourceTask, Schemas, sourceRecord } from '../../api/index.ts';
import type { Props, SourceRecord } from '../../api/index.ts';
import { TOOLS_VERSION } from './version.ts';

const TOPIC = 'topic';
const THROUGHPUT = 'throughput';
const TASK_ID = 'id';

function configDef(): ConfigDef {
  return new ConfigDef()
    .define(TOPIC, { type: 'STRING', importance: 'HIGH', documentation: 'The topic to write to.' })
    .define(THROUGHPUT, {
      type: 'LONG',
      defaultValue: -1,
      importance: 'MEDIUM',
      documentation: 'Records per second per task; -1 for as fast as possible.',
    });
}

export class VerifiableSourceConnector extends SourceConnector {
  private props: Props = {};

  version(): string {
    return TOOLS_VERSION;
  }
  start(props: Props): void {
    configDef().parse(props);
    this.props = props;
  }
  taskClass(): new () => SourceTask {
    return VerifiableSourceTask;
  }
  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: maxTasks }, (_, i) => ({ ...this.props, [TASK_ID]: String(i) }));
  }
  stop(): void {}
  config(): ConfigDef {
    return configDef();
  }
}

export class VerifiableSourceTask extends SourceTask {
  private topic = '';
  private name = '';
  private id = 0;
  private seqno = 0;
  private throughput = -1;
  private startedAt = 0;
  private sent = 0;
  private stopped = false;
  private wake: (() => void) | undefined;

  version(): string {
    return TOOLS_VERSION;
  }

  async start(props: Props): Promise<void> {
    const values = configDef().parse(props);
    this.topic = values[TOPIC] as string;
    this.throughput = values[THROUGHPUT] as number;
    this.name = props['name'] ?? '';
    this.id = Number(props[TASK_ID] ?? '0');
    const committed = await this.context.offsetStorageReader.offset({ id: this.id });
    const last = committed?.['seqno'];
    this.seqno = typeof last === 'number' ? last + 1 : 0;
    this.startedAt = Date.now();
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.stopped) return null;
    const batch = this.throughput < 0 ? 1000 : Math.max(1, Math.min(1000, Math.floor(this.throughput / 10)));
    if (this.throughput > 0) {
      // Sleep until sending `batch` more keeps the average at `throughput` records per second.
      const due = this.startedAt + ((this.sent + batch) * 1000) / this.throughput;
      const wait = due - Date.now();
      if (wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (this.stopped) return null;
      }
    }
    const records: SourceRecord[] = [];
    for (let i = 0; i < batch; i++) {
      const seqno = this.seqno++;
      records.push(
        sourceRecord({
          sourcePartition: { id: this.id },
          sourceOffset: { seqno },
          topic: this.topic,
          keySchema: Schemas.INT32,
          key: this.id,
          value: new Map<string, unknown>([
            ['name', this.name],
            ['task', this.id],
            ['seqno', seqno],
            ['time_ms', Date.now()],
          ]),
        }),
      );
    }
    this.sent += batch;
    return records;
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
}
