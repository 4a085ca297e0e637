// Writes docs/resources.md from the CRDs and admission policies in operator/api.
// `npx node operator/api/generate-docs.ts` (Node 24); with --check it only says whether the file is
// up to date (exit 1 if not).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGENERATE, resourcesMarkdown } from './reference-docs.ts';

const path = join(import.meta.dirname, '..', '..', 'docs', 'resources.md');
const text = resourcesMarkdown();
let current: string | undefined;
try {
  current = readFileSync(path, 'utf8');
} catch {
  current = undefined;
}
if (current === text) {
  console.log(`${path} is up to date`);
} else if (process.argv.includes('--check')) {
  console.error(`${path} is out of date: run ${REGENERATE}`);
  process.exit(1);
} else {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
