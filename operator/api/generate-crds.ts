// Writes crds/*.yaml from the schemas in operator/api, and the same files into the Helm chart: the
// CRDs into charts/weir/crds/, the admission policies into charts/weir/files/ (a template installs
// them). `node operator/api/generate-crds.ts`; with --check it only says whether the files are up to
// date (exit 1 if not).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crdFiles } from './crds.ts';

const root = join(import.meta.dirname, '..', '..');
const chart = join(root, 'charts', 'weir');
const check = process.argv.includes('--check');
let stale = 0;
for (const [name, text] of Object.entries(crdFiles())) {
  const inChart = join(chart, name.startsWith('validation-policies') ? 'files' : 'crds', name);
  for (const path of [join(root, 'crds', name), inChart]) {
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
}
if (check && stale > 0) process.exit(1);
