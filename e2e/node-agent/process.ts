// Containers as processes. Each one starts through `ip netns exec` (the pod's network namespace and
// a private mount namespace), `unshare --uts` (the pod's hostname), and a short shell prologue that
// bind-mounts the pod's volumes at their mountPaths and the pod's /etc/hosts, then execs the command.
// The machine's tree is first bound whole at MACHINE_VIEW, and every source is read there, so a mount
// cannot hide the next one's source; the folders a container needs from the machine (this repository:
// Node and the weir CLI) are bound again when a mountPath above them covered them (an emptyDir at
// /tmp, with the checkout under /tmp).
// The process leads its own process group, so signals reach everything it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { V1Container } from '@kubernetes/client-node';
import { ContainerConfigError, expand } from './env.ts';
import type { Mount } from './volumes.ts';

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Where, inside a container's mount namespace, the machine's tree stays visible as it was. */
export const MACHINE_VIEW = '/run/weir-node-agent/machine';

function which(command: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], {
    encoding: 'utf8',
    env: { PATH: `${process.env.PATH ?? ''}:${SYSTEM_PATH}` },
  });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) throw new Error(`the node agent needs \`${command}\` on the machine`);
  return path;
}

let tools: { ip: string; unshare: string; nsenter: string; sh: string } | undefined;
function tool(name: 'ip' | 'unshare' | 'nsenter' | 'sh'): string {
  tools ??= { ip: which('ip'), unshare: which('unshare'), nsenter: which('nsenter'), sh: which('sh') };
  return tools[name];
}

const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

/** The argv of a container: its command and args, or this repository's weir CLI for `weir:*` images. */
export function commandFor(container: V1Container, env: Record<string, string>, repoRoot: string): string[] {
  const args = (container.args ?? []).map((a) => expand(a, env));
  if (container.command?.length) return [...container.command.map((c) => expand(c, env)), ...args];
  if (/^(?:.*\/)?weir(?::|@|$)/.test(container.image ?? '')) {
    return [process.execPath, join(repoRoot, 'bin', 'weir.js'), ...args];
  }
  throw new ContainerConfigError(
    `image "${container.image}" without a command: the local node agent runs a container's command, or weir:* images`,
  );
}

export interface LaunchSpec {
  netns: string;
  hostname: string;
  mounts: Mount[];
  /** Folders of the machine the container needs, kept visible whatever is mounted above them. */
  keep: string[];
  hostsFile: string;
  workingDir: string;
  argv: string[];
  env: Record<string, string>;
  logFile: string;
}

/** The shell prologue run inside the container's namespaces before its command. */
export function prologue(
  spec: Pick<LaunchSpec, 'hostname' | 'mounts' | 'keep' | 'hostsFile' | 'workingDir'>,
): string {
  const lines = [
    'set -e',
    'CONTAINER_PATH="$PATH"',
    `PATH=${SYSTEM_PATH}`,
    `echo ${quote(spec.hostname)} > /proc/sys/kernel/hostname`,
    `mount --bind ${quote(spec.hostsFile)} /etc/hosts`,
    `mkdir -p ${MACHINE_VIEW}`,
    `mount --rbind / ${MACHINE_VIEW}`,
  ];
  for (const m of spec.mounts) {
    const [src, dst] = [quote(MACHINE_VIEW + m.source), quote(m.target)];
    lines.push(
      `if [ -d ${src} ]; then mkdir -p ${dst}; else mkdir -p "$(dirname ${dst})"; [ -e ${dst} ] || touch ${dst}; fi`,
      `mount --bind ${src} ${dst}`,
    );
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${dst}`);
  }
  for (const folder of spec.keep) {
    if (!spec.mounts.some((m) => folder === m.target || folder.startsWith(`${m.target.replace(/\/$/, '')}/`)))
      continue;
    lines.push(`mkdir -p ${quote(folder)}`, `mount --bind ${quote(MACHINE_VIEW + folder)} ${quote(folder)}`);
  }
  lines.push(
    `mkdir -p ${quote(spec.workingDir)}`,
    `cd ${quote(spec.workingDir)}`,
    'PATH="$CONTAINER_PATH"',
    'exec "$@"',
  );
  return lines.join('\n');
}

/** Starts a container's process; its pid is the command's own (every wrapper execs). */
export function launch(spec: LaunchSpec): ChildProcess {
  const out = openSync(spec.logFile, 'a');
  try {
    return spawn(
      tool('ip'),
      [
        'netns',
        'exec',
        spec.netns,
        tool('unshare'),
        '--uts',
        tool('sh'),
        '-c',
        prologue(spec),
        'sh',
        ...spec.argv,
      ],
      { detached: true, env: spec.env, stdio: ['ignore', out, out] },
    );
  } finally {
    closeSync(out);
  }
}

/** Runs `argv` inside a running container's namespaces (exec probes); resolves to the exit code. */
export function execIn(
  pid: number,
  argv: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolveCode) => {
    const child = spawn(tool('nsenter'), ['-t', String(pid), '-n', '-m', '-u', '--', ...argv], {
      env,
      stdio: 'ignore',
      detached: true,
    });
    const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), timeoutMs);
    child.on('error', () => resolveCode(127));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveCode(signal ? -1 : (code ?? -1));
    });
  });
}

/** Signals a process group; false when it is gone. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** An exit as the kubelet reports it: the code, or 128 + the signal number. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? constants.signals[signal] : 0);
}
