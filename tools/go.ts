// Go programs built from the Go module proxy with the machine's Go: the local cluster's control plane
// (e2e/cluster/build.ts) and single tools such as Helm (`goInstall`), each once into the cache.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cacheDir, MissingToolError } from './kafka/testbed.ts';

export type Log = (line: string) => void;
const stderrLog: Log = (line) => process.stderr.write(`${line}\n`);

/** Static binaries, no VCS stamping (module builds have no checkout to stamp from). */
export function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false', ...extra };
}

/** `go version`'s answer; a MissingToolError saying what Go is needed for when there is none. */
export function requireGo(purpose: string): string {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new MissingToolError(`go is needed to ${purpose}: install Go 1.26 or newer.`);
  }
  return go.stdout.trim();
}

export interface GoProgressOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  log?: Log;
  /** Packages the build will compile, when known, for "N of about M". */
  total?: number;
  /** Seconds between progress lines. */
  everySeconds?: number;
}

/**
 * Runs `go build -v …` or `go install -v …`, reporting how many packages it compiled every 15 s
 * (`-v` names each on stderr). Rejects with the tail of Go's errors on failure.
 */
export async function goWithProgress(args: string[], o: GoProgressOptions = {}): Promise<void> {
  const log = o.log ?? stderrLog;
  const started = Date.now();
  const child = spawn('go', args, {
    cwd: o.cwd,
    env: o.env ?? goEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let built = 0;
  let lastReport = started;
  const errors: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (/^[\w.-]+(\/[\w.~-]+)*$/.test(line)) built += 1;
    else errors.push(line);
    if (Date.now() - lastReport > (o.everySeconds ?? 15) * 1000) {
      lastReport = Date.now();
      const minutes = ((Date.now() - started) / 60_000).toFixed(1);
      const of = o.total ? ` of about ${o.total}` : '';
      log(`  ${minutes} min: compiled ${built}${of} packages (${line})`);
    }
  });
  const code = await new Promise<number | null>((resolveCode) => child.on('close', resolveCode));
  if (code !== 0) throw new Error(`go ${args[0]} failed (exit ${code}):\n${errors.slice(-40).join('\n')}`);
}

export interface GoInstallOptions {
  /** The command's package path, e.g. `helm.sh/helm/v4/cmd/helm`. */
  pkg: string;
  version: string;
  /** The binary's name (the last element of `pkg`). */
  binary: string;
  /** Why it is built, for the sentence when Go is missing. */
  purpose: string;
  /** `-ldflags` for the build, e.g. version stamps. */
  ldflags?: string;
  log?: Log;
}

/**
 * `go install pkg@version` into `$WEIR_CACHE_DIR/<binary>-<version>/` once; later calls return the
 * path at once. The build lands in a temporary folder renamed into place, so concurrent callers never
 * run a half-written binary.
 */
export async function goInstall(o: GoInstallOptions): Promise<string> {
  const dir = join(cacheDir(), `${o.binary}-${o.version}`);
  const path = join(dir, o.binary);
  if (existsSync(path)) return path;
  const log = o.log ?? stderrLog;
  const go = requireGo(o.purpose);
  const started = Date.now();
  log(`Building ${o.binary} ${o.version} into ${dir} with ${go} (first run only)…`);
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const flags = ['-v', '-trimpath', '-ldflags', ['-s', '-w', o.ldflags ?? ''].join(' ').trim()];
  try {
    await goWithProgress(['install', ...flags, `${o.pkg}@${o.version}`], {
      env: goEnv({ GOBIN: staging }),
      log,
    });
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!existsSync(path)) throw error; // another caller finished first: use theirs
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`Built ${o.binary} ${o.version} in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return path;
}
