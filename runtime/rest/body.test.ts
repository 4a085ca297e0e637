import { describe, expect, it } from 'vitest';
import { jsonErrorPosition, parseJson } from './body.ts';

const DOCUMENTS = [
  '{"name": "local-file-source", "config": {"connector.class": "FileStreamSource", "tasks.max": "1"}}',
  '{"offsets": [{"partition": {"filename": "t\\u00e9st.txt"}, "offset": {"position": -12.5e+3}}, null, true, false]}',
  '[\n  1,\n  "two\\n",\n  {"three": [3, 3.0, 0]}\n]',
];

/** A small deterministic generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseJson', () => {
  it('parses valid JSON', () => {
    for (const text of DOCUMENTS) expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it('refuses documents nested deeper than 1000 levels, as Java, without overflowing the stack', () => {
    const message =
      /nesting depth exceeds the maximum allowed \(1000\) at line 1, column \d+ \(position (1000|5000)\)/;
    for (const text of ['['.repeat(5000), `${'['.repeat(5000)}${']'.repeat(5000)}`, '{"a":'.repeat(3000)])
      expect(() => parseJson(text)).toThrow(
        expect.objectContaining({ code: 'WEIR_BAD_REQUEST', message: expect.stringMatching(message) }),
      );
    expect(parseJson(`${'['.repeat(1000)}${']'.repeat(1000)}`)).toHaveLength(1);
    expect(parseJson(`["${'['.repeat(5000)}"]`)).toEqual(['['.repeat(5000)]);
  });

  it('names line, column and position of the failure', () => {
    expect(() => parseJson('{\n  "a": 1,\n  "b": }')).toThrow(
      expect.objectContaining({
        code: 'WEIR_BAD_REQUEST',
        message: "Malformed JSON request body: Unexpected token '}' at line 3, column 8 (position 19)",
      }),
    );
    expect(() => parseJson('{"a": [1, 2')).toThrow(
      "Malformed JSON request body: Expected ',' or ']' after array element at line 1, column 12 (position 11)",
    );
    expect(() => parseJson('nul')).toThrow(
      'Malformed JSON request body: Unexpected end of input at line 1, column 4 (position 3)',
    );
  });
});

describe('jsonErrorPosition', () => {
  it('is the length for valid JSON', () => {
    for (const text of DOCUMENTS) expect(jsonErrorPosition(text)).toBe(text.length);
  });

  it.each([
    ['', 0],
    ['{"a":}', 5],
    ['{"a" 1}', 5],
    ['[1 2]', 3],
    ['"abc', 4],
    ['"a\u0001"', 2],
    ['"\\u12G4"', 5],
    ['tru', 3],
    ['trUe', 2],
    ['-', 1],
    ['x', 0],
    ['1.', 2],
    ['1e+', 3],
    ['{"a":1}x', 7],
    ['01', 1],
  ])('%j fails at %i', (text, position) => {
    expect(jsonErrorPosition(text)).toBe(position);
  });

  it('agrees with V8 wherever V8 reports a position (mutation fuzz)', () => {
    const next = random(42);
    const alphabet = '{}[]":,0-1.eE tfn\\u';
    let compared = 0;
    for (let round = 0; round < 3000; round++) {
      const base = DOCUMENTS[round % DOCUMENTS.length] as string;
      const at = Math.floor(next() * base.length);
      const mutated =
        next() < 0.5
          ? base.slice(0, at) + base.slice(at + 1)
          : base.slice(0, at) + alphabet[Math.floor(next() * alphabet.length)] + base.slice(at);
      let v8: number | undefined;
      try {
        JSON.parse(mutated);
        expect(jsonErrorPosition(mutated)).toBe(mutated.length);
        continue;
      } catch (error) {
        const match = /at position (\d+)/.exec((error as Error).message);
        if (match) v8 = Number(match[1]);
      }
      if (v8 === undefined) continue;
      expect(jsonErrorPosition(mutated), mutated).toBe(v8);
      compared++;
    }
    expect(compared).toBeGreaterThan(500);
  });
});
