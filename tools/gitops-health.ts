// The health Argo CD and Flux would show for Kubernetes objects: Argo CD's from Weir's health.lua
// (examples/gitops/argocd/health) run in gopher-lua as Argo CD runs it, Flux's from kstatus. The Go
// program in tools/gitops-health/ is built once into $WEIR_CACHE_DIR/gitops-health-<hash of its
// sources>/ with the machine's Go.
//
//   const results = await gitopsHealth([kafkaConnect, kafkaConnector]);   // one result per object
//   node tools/gitops-health.ts [FILE…]      (YAML or JSON; none: stdin) → a line per object
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { goWithProgress, requireGo, type Log } from './go.ts';
import { cacheDir, MissingToolError, REPO_ROOT } from './kafka/testbed.ts';

const PURPOSE = 'build tools/gitops-health (the Argo CD and kstatus health checks)';

export const GITOPS_HEALTH_MODULE = join(REPO_ROOT, 'tools', 'gitops-health');
/** Argo CD resource customizations in Argo CD's layout: `<group>/<kind>/health.lua`. */
export const ARGOCD_HEALTH_DIR = join(REPO_ROOT, 'examples', 'gitops', 'argocd', 'health');

export interface Health {
  status: string;
  message: string;
}

export interface GitopsHealthResult {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Argo CD's health; null when no health.lua exists for the object's group and kind. */
  argocd: Health | null;
  /** Set when the script failed (Argo CD then shows Unknown with this message). */
  argocdError?: string;
  /** kstatus: InProgress, Current, Failed, Terminating, NotFound or Unknown. */
  kstatus: Health;
  kstatusError?: string;
}

/** The kstatus status that means what each Argo CD health means: done, working on it, needs a person. */
export const KSTATUS_FOR_ARGOCD: Readonly<Record<string, string>> = {
  Healthy: 'Current',
  Suspended: 'Current',
  Progressing: 'InProgress',
  Degraded: 'Failed',
};

/** Why the checker cannot run here (not built and no Go to build it), or undefined when it can. */
export function gitopsHealthUnavailable(): string | undefined {
  if (existsSync(gitopsHealthBinary())) return undefined;
  try {
    requireGo(PURPOSE);
    return undefined;
  } catch (error) {
    if (!(error instanceof MissingToolError)) throw error;
    return `${error.message} Skipping the Argo CD and kstatus checks.`;
  }
}

/** Where the binary for the current sources lives: a new hash after any change to them. */
export function gitopsHealthBinary(): string {
  const hash = createHash('sha256');
  const files = readdirSync(GITOPS_HEALTH_MODULE)
    .filter((f) => f === 'go.mod' || f === 'go.sum' || f.endsWith('.go'))
    .sort();
  for (const f of files) hash.update(`${f}\0`).update(readFileSync(join(GITOPS_HEALTH_MODULE, f)));
  return join(cacheDir(), `gitops-health-${hash.digest('hex').slice(0, 12)}`, 'gitops-health');
}

/**
 * Builds the checker once for these sources: seconds with Go's caches warm, up to ~2 min on 2 cores
 * from cold ones (it compiles parts of k8s.io/apimachinery). A MissingToolError without Go.
 */
export async function ensureGitopsHealth(log?: Log): Promise<string> {
  const binary = gitopsHealthBinary();
  if (existsSync(binary)) return binary;
  const go = requireGo(PURPOSE);
  const dir = dirname(binary);
  const staging = `${dir}.${process.pid}.tmp`;
  (log ?? ((l: string) => process.stderr.write(`${l}\n`)))(`Building gitops-health into ${dir} with ${go}…`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const args = ['build', '-v', '-trimpath', '-o', join(staging, 'gitops-health'), '.'];
    await goWithProgress(args, { cwd: GITOPS_HEALTH_MODULE, ...(log ? { log } : {}) });
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!existsSync(binary)) throw error; // another process built it first: use theirs
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/**
 * Argo CD's and kstatus' verdicts on each object (as read from the API server or a manifest), in
 * order. `healthDir` defaults to the shipped health checks.
 */
export async function gitopsHealth(
  objects: readonly object[],
  options: { healthDir?: string } = {},
): Promise<GitopsHealthResult[]> {
  const binary = await ensureGitopsHealth();
  const input = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
  const out = await run(binary, ['--health-dir', options.healthDir ?? ARGOCD_HEALTH_DIR], input);
  return JSON.parse(out) as GitopsHealthResult[];
}

function run(binary: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`gitops-health exited ${code}: ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.end(input);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const binary = await ensureGitopsHealth();
    const args = ['--health-dir', ARGOCD_HEALTH_DIR, '-o', 'text', ...process.argv.slice(2)];
    const result = spawnSync(binary, args, { stdio: 'inherit' });
    process.exit(result.status ?? 1);
  } catch (error) {
    if (!(error instanceof MissingToolError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
