import { describe, expect, it } from 'vitest';
import { javaHashMapEntries } from './java-hash-map.ts';

const keys = (names: string[]) => javaHashMapEntries(new Map(names.map((n) => [n, 0]))).map(([k]) => k);

describe('javaHashMapEntries', () => {
  it('orders keys as java.util.HashMap iterates them', () => {
    // What Java prints for new HashMap<>() with these puts, then keySet().
    expect(keys(['b', 'a'])).toEqual(['a', 'b']);
    expect(keys(['q', 'a', 'Aa', 'BB'])).toEqual(['Aa', 'BB', 'q', 'a']);
    expect(keys(['BB', 'Aa'])).toEqual(['BB', 'Aa']);
    expect(keys(['zeta', 'alpha', 'b.c', 'id', 'name', 'x1', 'x2'])).toEqual([
      'zeta',
      'b.c',
      'alpha',
      'name',
      'x1',
      'x2',
      'id',
    ]);
  });

  it('grows the table past 12 keys, as HashMap resizes', () => {
    const names = Array.from({ length: 13 }, (_, i) => `k${i}`);
    expect(keys(names)).toEqual([
      'k0',
      'k1',
      'k2',
      'k3',
      'k4',
      'k5',
      'k11',
      'k6',
      'k10',
      'k7',
      'k8',
      'k12',
      'k9',
    ]);
  });
});
