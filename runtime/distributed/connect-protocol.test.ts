import { describe, expect, it } from 'vitest';
import {
  decodeAssignment,
  decodeWorkerState,
  encodeAssignment,
  encodeWorkerState,
  metadataProtocols,
  protocolName,
  type ConnectAssignment,
} from './connect-protocol.ts';

// Expected bytes are spelled out from the Java schemas (ConnectProtocol.CONFIG_STATE_V0,
// ASSIGNMENT_V0, IncrementalCooperativeConnectProtocol.ALLOCATION_V1, ASSIGNMENT_V1):
// int16/int32/int64 big-endian, STRING = int16 length + UTF-8, ARRAY = int32 count,
// NULLABLE_BYTES = int32 length or -1.
const hex = (...parts: string[]): Buffer => Buffer.from(parts.join('').replace(/\s+/g, ''), 'hex');
const str = (s: string): string =>
  Buffer.from(s).length.toString(16).padStart(4, '0') + Buffer.from(s).toString('hex');

const URL = 'http://w1:8083/';

function assignment(overrides: Partial<ConnectAssignment> = {}): ConnectAssignment {
  return {
    version: 1,
    error: 0,
    leader: 'L',
    leaderUrl: URL,
    configOffset: 7n,
    connectors: [],
    tasks: [],
    revokedConnectors: [],
    revokedTasks: [],
    delay: 0,
    ...overrides,
  };
}

describe('member metadata', () => {
  it('v0 (default): version, url, config offset and nothing more', () => {
    const bytes = encodeWorkerState({ url: URL, configOffset: 42n, allocation: null }, 0);
    expect(bytes).toEqual(hex('0000', str(URL), '000000000000002a'));
    expect(decodeWorkerState(bytes)).toEqual({ version: 0, url: URL, configOffset: 42n, allocation: null });
  });

  it('v1 (compatible) without an assignment yet: allocation is null bytes (-1)', () => {
    const bytes = encodeWorkerState({ url: URL, configOffset: -1n, allocation: null }, 1);
    expect(bytes).toEqual(hex('0001', str(URL), 'ffffffffffffffff', 'ffffffff'));
    expect(decodeWorkerState(bytes).allocation).toBeNull();
  });

  it('v2 (sessioned) embeds the current assignment with a v2 header', () => {
    const allocation = assignment({ version: 2, connectors: ['c'], tasks: [{ connector: 'c', task: 0 }] });
    const inner = hex(
      '0002', // version
      '0000', // error
      str('L'),
      str(URL),
      '0000000000000007', // config offset
      '00000001', // one connector entry
      str('c'),
      '00000002',
      'ffffffff', // -1: the connector itself
      '00000000', // task 0
      '00000000', // revoked: empty array
      '00000000', // delay
    );
    const bytes = encodeWorkerState({ url: URL, configOffset: 7n, allocation }, 2);
    expect(bytes).toEqual(
      Buffer.concat([
        hex('0002', str(URL), '0000000000000007'),
        hex(inner.length.toString(16).padStart(8, '0')),
        inner,
      ]),
    );
    expect(decodeWorkerState(bytes)).toEqual({ version: 2, url: URL, configOffset: 7n, allocation });
  });

  it('a v1 reader reads v0 metadata, leaving the allocation null (Java tolerates missing fields)', () => {
    const state = decodeWorkerState(hex('0000', str(URL), '0000000000000003'));
    expect(state).toEqual({ version: 0, url: URL, configOffset: 3n, allocation: null });
  });

  it('offers sub-protocols in preference order sessioned, compatible, default', () => {
    const protocols = metadataProtocols({ url: URL, configOffset: 1n, allocation: null }, [
      'default',
      'compatible',
      'sessioned',
    ]);
    expect(protocols.map((p) => p.name)).toEqual(['sessioned', 'compatible', 'default']);
    expect(protocols.map((p) => p.metadata.readInt16BE(0))).toEqual([2, 1, 0]);
    expect(protocolName(2)).toBe('sessioned');
    expect(protocolName(1)).toBe('compatible');
    expect(protocolName(0)).toBe('default');
  });

  it('rejects a negative version and truncated input', () => {
    expect(() => decodeWorkerState(hex('ffff', str(URL), '0000000000000003'))).toThrow(/version/);
    expect(() => decodeWorkerState(hex('0001', '0005', '6869'))).toThrow(/truncated/);
  });

  it('writes non-ASCII urls as UTF-8 with their byte length', () => {
    const bytes = encodeWorkerState({ url: 'http://é/', configOffset: 0n, allocation: null }, 0);
    expect(bytes.subarray(2, 4).readInt16BE(0)).toBe(Buffer.byteLength('http://é/'));
    expect(decodeWorkerState(bytes).url).toBe('http://é/');
  });
});

describe('assignment', () => {
  it('v1 with assigned and revoked connectors and tasks, and a delay', () => {
    const a = assignment({
      connectors: ['a'],
      tasks: [
        { connector: 'a', task: 1 },
        { connector: 'b', task: 0 },
      ],
      revokedTasks: [{ connector: 'b', task: 2 }],
      delay: 300000,
    });
    const bytes = encodeAssignment(a);
    expect(bytes).toEqual(
      hex(
        '0001',
        '0000',
        str('L'),
        str(URL),
        '0000000000000007',
        '00000002',
        str('a'),
        '00000002',
        'ffffffff',
        '00000001',
        str('b'),
        '00000001',
        '00000000',
        '00000001',
        str('b'),
        '00000001',
        '00000002',
        '000493e0', // 300000
      ),
    );
    expect(decodeAssignment(bytes)).toEqual(a);
  });

  it('v0 stops after the assignment array; decoding fills Java defaults', () => {
    const a = assignment({ version: 0, error: 1, connectors: ['x'] });
    const bytes = encodeAssignment(a);
    expect(bytes).toEqual(
      hex(
        '0000',
        '0001',
        str('L'),
        str(URL),
        '0000000000000007',
        '00000001',
        str('x'),
        '00000001',
        'ffffffff',
      ),
    );
    expect(decodeAssignment(bytes)).toEqual({ ...a, revokedConnectors: [], revokedTasks: [], delay: 0 });
  });

  it('reads null arrays (-1) as empty, as Java does', () => {
    const bytes = hex(
      '0001',
      '0000',
      str('L'),
      str(URL),
      '0000000000000000',
      'ffffffff',
      'ffffffff',
      '00000000',
    );
    const a = decodeAssignment(bytes);
    expect(a.connectors).toEqual([]);
    expect(a.revokedTasks).toEqual([]);
  });

  it('lists a connector once even when named twice, before its tasks', () => {
    const bytes = encodeAssignment(
      assignment({ connectors: ['a', 'a'], tasks: [{ connector: 'a', task: 0 }], version: 2 }),
    );
    const decoded = decodeAssignment(bytes);
    expect(decoded.connectors).toEqual(['a']);
    expect(decoded.tasks).toEqual([{ connector: 'a', task: 0 }]);
    expect(decoded.version).toBe(2);
  });
});
