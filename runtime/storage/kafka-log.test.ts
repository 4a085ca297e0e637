import { describe, expect, it } from 'vitest';
import { javaPartition } from './kafka-log.ts';

describe('javaPartition', () => {
  it('is Kafka’s murmur2 (the vectors of Apache Kafka’s UtilsTest.testMurmur2), made positive', () => {
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    const max = 0x7fffffff; // modulo the largest partition count: the positive hash itself
    for (const [key, murmur2] of cases)
      expect(javaPartition(Buffer.from(key), max)).toBe((murmur2 & max) % max);
  });

  it('keeps a key on one partition of 25', () => {
    const key = Buffer.from('["file-source",{"filename":"/tmp/in.txt"}]');
    expect(javaPartition(key, 25)).toBe(javaPartition(Buffer.from(key), 25));
    expect(javaPartition(key, 25)).toBeLessThan(25);
  });
});
