// The offsets endpoints' logic, shared by herders: source offsets live in the offset store, sink
// offsets in the connector's consumer group (connect-<name> unless consumer.override.group.id says otherwise).
import { Admin } from '@platformatic/kafka';
import type { Connector, OffsetMap, Props } from '../api/index.ts';
import type { WorkerConfig } from '../config/worker-config.ts';
import type { WeirError } from '../errors.ts';
import { badRequest } from '../errors.ts';
import type { ConnectorOffsets } from '../rest/types.ts';
import type { OffsetStore } from '../storage/offset-store.ts';
import { ADMIN_API_RETRIES, baseClientOptions, sinkGroupId } from '../worker/kafka-clients.ts';

const KAFKA_TOPIC = 'kafka_topic';
const KAFKA_PARTITION = 'kafka_partition';
const KAFKA_OFFSET = 'kafka_offset';

export function mustBeStopped(name: string): WeirError {
  return badRequest(
    `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
  );
}

/** An admin client with the worker's admin settings and the connector's admin.override.* (as Java's). */
function withAdmin<T>(worker: WorkerConfig, props: Props, run: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin({
    ...baseClientOptions(worker, 'connect-offsets-admin', 'admin', props),
    retries: ADMIN_API_RETRIES,
  });
  return run(admin).finally(() => admin.close());
}

/** `props`: the connector config, placeholders resolved where they can be (the rest kept as written, as Java). */
export async function readOffsets(
  connector: Connector,
  name: string,
  props: Props,
  offsets: OffsetStore,
  worker: WorkerConfig,
): Promise<ConnectorOffsets> {
  if (connector.kind === 'source') {
    return {
      offsets: (await offsets.connectorOffsets(name)).map(({ partition, offset }) => ({
        partition: { ...partition },
        offset: { ...offset },
      })),
    };
  }
  const groups = await withAdmin(worker, props, (admin) =>
    admin.listConsumerGroupOffsets({ groups: [sinkGroupId(worker, props, name)] }),
  );
  const out: ConnectorOffsets = { offsets: [] };
  for (const topic of groups[0]?.topics ?? []) {
    for (const p of topic.partitions) {
      if (p.committedOffset < 0n) continue;
      out.offsets.push({
        partition: { [KAFKA_TOPIC]: topic.name, [KAFKA_PARTITION]: p.partitionIndex },
        offset: { [KAFKA_OFFSET]: Number(p.committedOffset) },
      });
    }
  }
  return out;
}

function parseSinkOffsets(
  body: ConnectorOffsets,
): { topic: string; partition: number; offset: bigint | null }[] {
  return body.offsets.map((entry, i) => {
    const topic = entry.partition?.[KAFKA_TOPIC];
    const partition = entry.partition?.[KAFKA_PARTITION];
    if (typeof topic !== 'string' || !Number.isInteger(partition)) {
      throw badRequest(
        `offsets[${i}]: a sink connector's partition must have "${KAFKA_TOPIC}" (a string) and "${KAFKA_PARTITION}" (an integer)`,
      );
    }
    if (entry.offset === null || entry.offset === undefined)
      return { topic, partition: partition as number, offset: null };
    const offset = entry.offset[KAFKA_OFFSET];
    if (!Number.isInteger(offset) || (offset as number) < 0) {
      throw badRequest(
        `offsets[${i}]: a sink connector's offset must have "${KAFKA_OFFSET}", a non-negative integer`,
      );
    }
    return { topic, partition: partition as number, offset: BigInt(offset as number) };
  });
}

/** Alters (or, with `reset`, removes) offsets; the connector must already be STOPPED. `props` as for readOffsets. */
export async function writeOffsets(
  connector: Connector,
  name: string,
  props: Props,
  body: ConnectorOffsets | null,
  offsets: OffsetStore,
  worker: WorkerConfig,
): Promise<string> {
  const reset = body === null;
  const message = reset
    ? 'The offsets for this connector have been reset successfully'
    : 'The offsets for this connector have been altered successfully';
  if (!reset && (!Array.isArray(body.offsets) || body.offsets.length === 0)) {
    throw badRequest('The offsets to be modified must be specified as a non-empty "offsets" list');
  }
  if (connector.kind === 'source') {
    const entries: { partition: OffsetMap; offset: OffsetMap | null }[] = reset
      ? (await offsets.connectorOffsets(name)).map(({ partition }) => ({ partition, offset: null }))
      : body.offsets.map((e, i) => {
          if (typeof e.partition !== 'object' || e.partition === null)
            throw badRequest(`offsets[${i}]: "partition" must be an object`);
          return { partition: e.partition, offset: e.offset ?? null };
        });
    await connector.alterOffsets(props, entries);
    await offsets.set(entries.map((e) => ({ connector: name, partition: e.partition, offset: e.offset })));
    return message;
  }
  const group = sinkGroupId(worker, props, name);
  await withAdmin(worker, props, async (admin) => {
    const current = await admin.listConsumerGroupOffsets({ groups: [group] });
    const sinkOffsets = reset
      ? (current[0]?.topics ?? []).flatMap((t) =>
          t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: null })),
        )
      : parseSinkOffsets(body);
    await connector.alterOffsets(props, sinkOffsets);
    const byTopic = <T>(items: { topic: string }[], pick: (item: never) => T) => {
      const map = new Map<string, T[]>();
      for (const item of items) map.set(item.topic, [...(map.get(item.topic) ?? []), pick(item as never)]);
      return [...map.entries()];
    };
    const toAlter = sinkOffsets.filter((o) => o.offset !== null);
    const toDelete = sinkOffsets.filter((o) => o.offset === null);
    if (toAlter.length > 0) {
      await admin.alterConsumerGroupOffsets({
        groupId: group,
        topics: byTopic(toAlter, (o: { partition: number; offset: bigint }) => ({
          partition: o.partition,
          offset: o.offset,
        })).map(([name, partitionOffsets]) => ({ name, partitionOffsets })),
      });
    }
    if (toDelete.length > 0) {
      await admin.deleteConsumerGroupOffsets({
        groupId: group,
        topics: byTopic(toDelete, (o: { partition: number }) => o.partition).map(
          ([name, partitionIndexes]) => ({ name, partitionIndexes }),
        ),
      });
    }
  });
  return message;
}
