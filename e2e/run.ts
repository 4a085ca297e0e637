// npm run e2e: the e2e vitest project, or one line saying why this machine cannot run it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../tools/kafka/testbed.ts';
import { e2eSkipReason } from './environment.ts';

const reason = e2eSkipReason();
if (reason) {
  console.log(reason);
  process.exit(0);
}
const vitest = join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', '--project', 'e2e', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: REPO_ROOT,
  env: { ...process.env, WEIR_E2E: '1' },
});
process.exit(result.status ?? 1);
