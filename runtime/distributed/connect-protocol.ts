// Kafka Connect's group sub-protocols on the wire, byte for byte as Apache Kafka Connect writes them
// (ConnectProtocol, IncrementalCooperativeConnectProtocol, ExtendedAssignment), so Weir and Java
// workers can share one group. Big-endian Kafka primitives: STRING = int16 length + UTF-8,
// ARRAY = int32 count (-1 = null), NULLABLE_BYTES = int32 length (-1 = null).
//
//   Member metadata v0:   Version int16 | Url STRING | ConfigOffset int64
//   Member metadata v1/2: the same, then Allocation NULLABLE_BYTES (a whole assignment, own header)
//   Assignment v0:        Version int16 | Error int16 | Leader STRING | LeaderUrl STRING
//                         | ConfigOffset int64 | Assignment [Connector STRING, Tasks [int32]]
//   Assignment v1/2:      the same, then Revoked [Connector STRING, Tasks [int32]] | Delay int32
//
// Task id -1 in a connector entry means the connector instance itself. v2 ("sessioned") is v1 with
// internal-request signing (session keys) switched on. Readers tolerate the v1 fields being absent.

export const CONNECT_PROTOCOL_TYPE = 'connect';
export const CONNECTOR_TASK = -1;

/** Sub-protocol names, most preferred first; each maps to the version in its header. */
export type ConnectProtocolName = 'sessioned' | 'compatible' | 'default';
export const PROTOCOL_VERSION: Readonly<Record<ConnectProtocolName, number>> = {
  sessioned: 2,
  compatible: 1,
  default: 0,
};

export const ASSIGNMENT_NO_ERROR = 0;
/** The leader is behind the config log: members read to its end and rejoin. */
export const ASSIGNMENT_CONFIG_MISMATCH = 1;

export interface TaskId {
  connector: string;
  task: number;
}

export interface ConnectorsAndTasks {
  connectors: string[];
  tasks: TaskId[];
}

export interface ConnectAssignment {
  version: number;
  error: number;
  leader: string;
  leaderUrl: string;
  configOffset: bigint;
  connectors: string[];
  tasks: TaskId[];
  revokedConnectors: string[];
  revokedTasks: TaskId[];
  /** Milliseconds until the leader wants a follow-up rebalance (lost work held back), 0 = none. */
  delay: number;
}

export interface WorkerState {
  version: number;
  url: string;
  configOffset: bigint;
  /** The member's current assignment; null before its first one (Java: null allocation bytes). */
  allocation: ConnectAssignment | null;
}

export function taskKey(task: TaskId): string {
  return `${task.connector}-${task.task}`;
}

export function protocolName(version: number): ConnectProtocolName {
  if (version >= 2) return 'sessioned';
  return version === 1 ? 'compatible' : 'default';
}

class Writer {
  readonly #chunks: Buffer[] = [];

  int16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(value);
    this.#chunks.push(b);
    return this;
  }

  int32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    this.#chunks.push(b);
    return this;
  }

  int64(value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(value);
    this.#chunks.push(b);
    return this;
  }

  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > 0x7fff) throw new RangeError(`string too long for the Connect protocol: ${value}`);
    this.int16(bytes.length);
    this.#chunks.push(bytes);
    return this;
  }

  nullableBytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    this.#chunks.push(value);
    return this;
  }

  buffer(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

class Reader {
  readonly #buf: Buffer;
  #pos = 0;

  constructor(buf: Buffer) {
    this.#buf = buf;
  }

  get remaining(): number {
    return this.#buf.length - this.#pos;
  }

  #need(n: number, what: string): void {
    if (this.remaining < n) throw new RangeError(`Connect protocol: truncated ${what}`);
  }

  int16(): number {
    this.#need(2, 'int16');
    const v = this.#buf.readInt16BE(this.#pos);
    this.#pos += 2;
    return v;
  }

  int32(): number {
    this.#need(4, 'int32');
    const v = this.#buf.readInt32BE(this.#pos);
    this.#pos += 4;
    return v;
  }

  int64(): bigint {
    this.#need(8, 'int64');
    const v = this.#buf.readBigInt64BE(this.#pos);
    this.#pos += 8;
    return v;
  }

  string(): string {
    const length = this.int16();
    if (length < 0) throw new RangeError('Connect protocol: null where a string is required');
    this.#need(length, 'string');
    const v = this.#buf.toString('utf8', this.#pos, this.#pos + length);
    this.#pos += length;
    return v;
  }

  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    this.#need(length, 'bytes');
    const v = this.#buf.subarray(this.#pos, this.#pos + length);
    this.#pos += length;
    return v;
  }
}

/** Groups connectors and tasks per connector as Java does: each connector's -1 first, then its tasks. */
function connectorEntries(connectors: readonly string[], tasks: readonly TaskId[]): Map<string, number[]> {
  const entries = new Map<string, number[]>();
  for (const connector of new Set(connectors)) entries.set(connector, [CONNECTOR_TASK]);
  for (const { connector, task } of tasks) {
    const list = entries.get(connector);
    if (list) list.push(task);
    else entries.set(connector, [task]);
  }
  return entries;
}

function writeEntries(w: Writer, entries: Map<string, number[]>): void {
  w.int32(entries.size);
  for (const [connector, tasks] of entries) {
    w.string(connector);
    w.int32(tasks.length);
    for (const task of tasks) w.int32(task);
  }
}

function readEntries(r: Reader): ConnectorsAndTasks {
  const out: ConnectorsAndTasks = { connectors: [], tasks: [] };
  const count = r.int32();
  for (let i = 0; i < count; i++) {
    const connector = r.string();
    const n = r.int32();
    for (let j = 0; j < n; j++) {
      const task = r.int32();
      if (task === CONNECTOR_TASK) out.connectors.push(connector);
      else out.tasks.push({ connector, task });
    }
  }
  return out;
}

/** Serializes an assignment with the header `version` (0: no revoked/delay fields). */
export function encodeAssignment(assignment: ConnectAssignment, version = assignment.version): Buffer {
  const w = new Writer()
    .int16(version)
    .int16(assignment.error)
    .string(assignment.leader)
    .string(assignment.leaderUrl)
    .int64(assignment.configOffset);
  writeEntries(w, connectorEntries(assignment.connectors, assignment.tasks));
  if (version >= 1) {
    writeEntries(w, connectorEntries(assignment.revokedConnectors, assignment.revokedTasks));
    w.int32(assignment.delay);
  }
  return w.buffer();
}

/** Reads any version: fields a v0 writer left out take Java's defaults (nothing revoked, delay 0). */
export function decodeAssignment(bytes: Buffer): ConnectAssignment {
  const r = new Reader(bytes);
  const version = r.int16();
  if (version < 0) throw new RangeError(`Unsupported Connect assignment version: ${version}`);
  const error = r.int16();
  const leader = r.string();
  const leaderUrl = r.string();
  const configOffset = r.int64();
  const assigned = r.remaining > 0 ? readEntries(r) : { connectors: [], tasks: [] };
  const revoked = r.remaining > 0 ? readEntries(r) : { connectors: [], tasks: [] };
  const delay = r.remaining > 0 ? r.int32() : 0;
  return {
    version,
    error,
    leader,
    leaderUrl,
    configOffset,
    connectors: assigned.connectors,
    tasks: assigned.tasks,
    revokedConnectors: revoked.connectors,
    revokedTasks: revoked.tasks,
    delay,
  };
}

/** Serializes member metadata for one sub-protocol version (the allocation is written with it). */
export function encodeWorkerState(state: Omit<WorkerState, 'version'>, version: number): Buffer {
  const w = new Writer().int16(version).string(state.url).int64(state.configOffset);
  if (version >= 1) w.nullableBytes(state.allocation ? encodeAssignment(state.allocation, version) : null);
  return w.buffer();
}

export function decodeWorkerState(bytes: Buffer): WorkerState {
  const r = new Reader(bytes);
  const version = r.int16();
  if (version < 0) throw new RangeError(`Unsupported Connect subscription version: ${version}`);
  const url = r.string();
  const configOffset = r.int64();
  const allocationBytes = r.remaining > 0 ? r.nullableBytes() : null;
  const allocation = allocationBytes ? decodeAssignment(allocationBytes) : null;
  return { version, url, configOffset, allocation };
}

/** JoinGroup protocols in preference order, each with its metadata (as Java's metadataRequest). */
export function metadataProtocols(
  state: Omit<WorkerState, 'version'>,
  names: readonly ConnectProtocolName[],
): { name: ConnectProtocolName; metadata: Buffer }[] {
  const order: ConnectProtocolName[] = ['sessioned', 'compatible', 'default'];
  return order
    .filter((name) => names.includes(name))
    .map((name) => ({ name, metadata: encodeWorkerState(state, PROTOCOL_VERSION[name]) }));
}
