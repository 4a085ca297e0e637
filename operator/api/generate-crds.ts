// Writes crds/*.yaml from the schemas in operator/api. `node operator/api/generate-crds.ts`;
// with --check it only says whether the files are up to date (exit 1 if not).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crdFiles } from './crds.ts';

const dir = join(import.meta.dirname, '..', '..', 'crds');
const check = process.argv.includes('--check');
let stale = 0;
for (const [name, text] of Object.entries(crdFiles())) {
  const path = join(dir, name);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  stale++;
  if (check) console.error(`${path} is out of date: run node operator/api/generate-crds.ts`);
  else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (check && stale > 0) process.exit(1);
