import { describe, expect, test } from 'vitest';
import { LineReader } from './line-reader.ts';
import type { ByteSource } from './line-reader.ts';

/** A source that hands out `input` in the given piece sizes (cycled), then nothing. */
function pieces(input: string | Buffer, sizes: number[]): ByteSource {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let turn = 0;
  return async (buffer, offset, length, position) => {
    const size = sizes[turn++ % sizes.length] as number;
    return bytes.copy(buffer, offset, position, Math.min(bytes.length, position + Math.min(size, length)));
  };
}

/** Reads everything: lines with the position after each. */
async function readAll(reader: LineReader): Promise<[string, number][]> {
  const out: [string, number][] = [];
  for (;;) {
    reader.drain(Infinity, (line, end) => out.push([line, end]));
    if ((await reader.fill()) === 0) break;
  }
  reader.drain(Infinity, (line, end) => out.push([line, end]));
  return out;
}

describe('LineReader', () => {
  test('ends lines at \\n, \\r\\n and a lone \\r, with the byte position after each terminator', async () => {
    const reader = new LineReader(pieces('one\ntwo\r\nthree\rfour\n\nsix', [1024]));
    expect(await readAll(reader)).toEqual([
      ['one', 4],
      ['two', 9],
      ['three', 15],
      ['four', 20],
      ['', 21],
    ]);
    expect(reader.position).toBe(21);
    expect(reader.takeRemainder()).toBe('six');
    expect(reader.position).toBe(24);
  });

  test('a \\r\\n split across reads makes one line, not an extra empty one', async () => {
    // Reads: "a\r" | "\nb\r" | "\r" | "c\n"
    const reader = new LineReader(pieces('a\r\nb\r\rc\n', [2, 3, 1, 2]));
    expect(await readAll(reader)).toEqual([
      ['a', 2],
      ['b', 5],
      ['', 6],
      ['c', 8],
    ]);
  });

  test('a line ending in \\r at the end of a read is handed out at once', async () => {
    const reader = new LineReader(pieces('a\rb\n', [2, 10]));
    await reader.fill();
    const lines: string[] = [];
    reader.drain(Infinity, (line) => lines.push(line));
    expect(lines).toEqual(['a']);
    expect(reader.position).toBe(2);
  });

  test('multi-byte UTF-8 characters split across reads decode whole, positions count bytes', async () => {
    const lines = ['안녕하세요', 'emoji 😀🎉 mixed ü', '', '끝'];
    const text = lines.join('\n') + '\n';
    for (const size of [1, 2, 3, 5, 7]) {
      const got = await readAll(new LineReader(pieces(text, [size]), 16));
      expect(got.map(([line]) => line)).toEqual(lines);
      let end = 0;
      expect(got.map(([, position]) => position)).toEqual(
        lines.map((line) => (end += Buffer.byteLength(line) + 1)),
      );
    }
  });

  test('a line longer than the buffer grows it', async () => {
    const long = 'x'.repeat(1000);
    const reader = new LineReader(pieces(`${long}\nshort\n`, [64]), 8);
    expect(await readAll(reader)).toEqual([
      [long, 1001],
      ['short', 1007],
    ]);
    expect(reader.capacity).toBeGreaterThanOrEqual(1001);
  });

  test('drain hands out at most `limit` lines and keeps the rest', async () => {
    const reader = new LineReader(pieces('1\n2\n3\n4\n5\n', [100]));
    await reader.fill();
    const lines: string[] = [];
    expect(reader.drain(2, (line) => lines.push(line))).toBe(2);
    expect(reader.position).toBe(4);
    expect(reader.drain(10, (line) => lines.push(line))).toBe(3);
    expect(lines).toEqual(['1', '2', '3', '4', '5']);
  });

  test('reset continues from a position; after a \\r a leading \\n is skipped', async () => {
    const reader = new LineReader(pieces('ab\r\ncd\n', [100]));
    reader.reset(3, true);
    expect(await readAll(reader)).toEqual([['cd', 7]]);
    reader.reset(4);
    expect(await readAll(reader)).toEqual([['cd', 7]]);
  });
});
