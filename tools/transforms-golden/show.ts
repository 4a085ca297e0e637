// `node tools/transforms-golden/show.ts Cast [Flatten…]`: what Apache Kafka's transforms do with the
// cases of those corpus files, one case at a time, the JSON texts unquoted: for writing new cases.
import { join } from 'node:path';
import { REPO_ROOT } from '../kafka/testbed.ts';
import type { GoldenRecordResult } from './compare.ts';
import { loadCorpus } from './corpus.ts';
import { runJavaGolden } from './java-golden.ts';

function describe(result: GoldenRecordResult): string {
  if ('dropped' in result) return 'dropped';
  if ('error' in result) return `${result.error.stage} error ${result.error.class}: ${result.error.message}`;
  const headers = result.headers.map((h) => `\n      header ${h.key}: ${h.value}`).join('');
  return (
    `topic ${result.topic}, partition ${result.partition}, timestamp ${result.timestamp}${headers}` +
    `\n      key: ${result.key}\n      value: ${result.value}`
  );
}

const cases = loadCorpus(undefined, process.argv.slice(2).join(','));
const results = runJavaGolden(cases, join(REPO_ROOT, '.weir', 'transforms-golden-show'));
for (const golden of cases) {
  const result = results.get(golden.name);
  console.log(golden.name);
  if (result?.error) console.log(`  config error ${result.error.class}: ${result.error.message}`);
  (result?.records ?? []).forEach((r, i) => console.log(`  record ${i}: ${describe(r)}`));
}
