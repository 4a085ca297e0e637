// Installs the dependencies (and with them the pinned Node 24) when a checkout has none yet, or when
// package-lock.json changed since they were installed, so `npm run demo` works on a fresh clone.
// Plain JavaScript on purpose: it runs on whatever Node the machine has, before Node 24 is there.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const installed = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const pinnedNode = join(root, 'node_modules', '.bin', 'node');

const upToDate =
  existsSync(installed) && existsSync(pinnedNode) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
if (!upToDate) {
  console.error('Installing dependencies (npm ci), Node 24 among them…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // npm's own log stays quiet but for errors: the demo prints its progress itself.
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('npm ci failed; see above.');
    process.exit(result.status ?? 1);
  }
  console.error('Dependencies installed.');
}
