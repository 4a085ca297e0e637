// Identical output to Java: every corpus case runs through Apache Kafka's transforms (one Java
// process for the whole corpus) and through Weir's; each case passes when both report the same
// records, byte for byte. `GOLDEN=Cast npx vitest run tools/transforms-golden` runs one group.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../kafka/testbed.ts';
import { compareResults, describeDifferences, type GoldenResult } from './compare.ts';
import { loadCorpus } from './corpus.ts';
import { runJavaGolden } from './java-golden.ts';
import { runWeirCase } from './weir-golden.ts';

const cases = loadCorpus();
const groups = [...new Set(cases.map((c) => c.group))];
const workDir = join(REPO_ROOT, '.weir', 'transforms-golden');
let java = new Map<string, GoldenResult>();
const weir: GoldenResult[] = [];

beforeAll(() => {
  java = runJavaGolden(cases, workDir);
}, 300_000);

// Weir's side as a file beside Java's, in the same form, for diffing whole runs.
afterAll(() => {
  writeFileSync(join(workDir, 'weir-results.jsonl'), weir.map((r) => `${JSON.stringify(r)}\n`).join(''));
});

it('Java reports on every case of the corpus', () => {
  expect(cases.filter((c) => !java.has(c.name)).map((c) => c.name)).toEqual([]);
});

for (const group of groups) {
  describe(group, () => {
    for (const golden of cases.filter((c) => c.group === group)) {
      it(golden.name.slice(group.length + 1), () => {
        const expected = java.get(golden.name);
        if (!expected) throw new Error(`Java reported nothing for ${golden.name}`);
        const actual = runWeirCase(golden);
        weir.push(actual);
        const differences = compareResults(expected, actual);
        if (differences.length > 0) expect.fail(describeDifferences(golden.name, differences));
      });
    }
  });
}
