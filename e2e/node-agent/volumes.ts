// Pod volumes materialised as folders under the pod's own directory on the machine (emptyDir,
// configMap, secret, downwardAPI, projected incl. the service-account token); hostPath is the
// machine's path itself. Containers see them at their mountPaths through bind mounts made in the
// container's private mount namespace (see process.ts).
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { V1Container, V1KeyToPath, V1Pod, V1Volume } from '@kubernetes/client-node';
import { ContainerConfigError, type ObjectSource } from './env.ts';

export interface VolumeSource extends ObjectSource {
  /** A TokenRequest for the pod's service account, bound to the pod. */
  token(pod: V1Pod, audience: string | undefined, expirationSeconds: number): Promise<string>;
}

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

function writeAtomic(file: string, content: string | Buffer, mode: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  chmodSync(temp, mode);
  renameSync(temp, file);
}

function writeItems(
  dir: string,
  data: Record<string, string | Buffer>,
  items: V1KeyToPath[] | undefined,
  mode: number,
  what: string,
): void {
  const selected: V1KeyToPath[] = items ?? Object.keys(data).map((key) => ({ key, path: key }));
  for (const item of selected) {
    const value = data[item.key];
    if (value === undefined) throw new ContainerConfigError(`${what} has no key "${item.key}"`);
    writeAtomic(join(dir, item.path), value, item.mode ?? mode);
  }
}

function downward(pod: V1Pod, fieldPath: string): string {
  const meta = pod.metadata ?? {};
  const map = (m: Record<string, string> | undefined): string =>
    Object.entries(m ?? {})
      .map(([k, v]) => `${k}="${v}"`)
      .join('\n');
  switch (fieldPath) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return map(meta.labels);
    case 'metadata.annotations':
      return map(meta.annotations);
    default:
      throw new ContainerConfigError(`downwardAPI ${fieldPath} is not supported by the local node agent`);
  }
}

async function objectData(
  kind: 'configMap' | 'secret',
  namespace: string,
  name: string,
  optional: boolean | undefined,
  source: VolumeSource,
): Promise<Record<string, string> | undefined> {
  const data =
    kind === 'configMap' ? await source.configMap(namespace, name) : await source.secret(namespace, name);
  if (!data && !optional) throw new ContainerConfigError(`${kind} "${name}" not found`);
  return data;
}

/** Writes (or refreshes) one volume's files in `dir`; returns the folder containers mount. */
async function materialise(pod: V1Pod, volume: V1Volume, dir: string, source: VolumeSource): Promise<string> {
  const namespace = pod.metadata?.namespace ?? 'default';
  if (volume.hostPath) {
    const path = volume.hostPath.path;
    const type = volume.hostPath.type ?? '';
    if (type === 'DirectoryOrCreate') mkdirSync(path, { recursive: true });
    if (type === 'FileOrCreate' && !existsSync(path)) writeAtomic(path, '', 0o644);
    if (type !== '' && !existsSync(path)) throw new ContainerConfigError(`hostPath ${path} does not exist`);
    return path;
  }
  mkdirSync(dir, { recursive: true });
  if (volume.configMap) {
    const cm = volume.configMap;
    const data = await objectData('configMap', namespace, cm.name ?? '', cm.optional, source);
    if (data) writeItems(dir, data, cm.items, cm.defaultMode ?? 0o644, `configMap "${cm.name}"`);
  } else if (volume.secret) {
    const s = volume.secret;
    const data = await objectData('secret', namespace, s.secretName ?? '', s.optional, source);
    if (data) writeItems(dir, data, s.items, s.defaultMode ?? 0o644, `secret "${s.secretName}"`);
  } else if (volume.downwardAPI) {
    for (const item of volume.downwardAPI.items ?? []) {
      if (item.fieldRef) writeAtomic(join(dir, item.path), downward(pod, item.fieldRef.fieldPath), 0o644);
    }
  } else if (volume.projected) {
    const mode = volume.projected.defaultMode ?? 0o644;
    for (const part of volume.projected.sources ?? []) {
      if (part.serviceAccountToken) {
        const t = part.serviceAccountToken;
        const token = await source.token(pod, t.audience, t.expirationSeconds ?? 3607);
        writeAtomic(join(dir, t.path), token, mode);
      } else if (part.configMap) {
        const cm = part.configMap;
        const data = await objectData('configMap', namespace, cm.name ?? '', cm.optional, source);
        if (data) writeItems(dir, data, cm.items, mode, `configMap "${cm.name}"`);
      } else if (part.secret) {
        const s = part.secret;
        const data = await objectData('secret', namespace, s.name ?? '', s.optional, source);
        if (data) writeItems(dir, data, s.items, mode, `secret "${s.name}"`);
      } else if (part.downwardAPI) {
        for (const item of part.downwardAPI.items ?? []) {
          if (item.fieldRef) writeAtomic(join(dir, item.path), downward(pod, item.fieldRef.fieldPath), mode);
        }
      }
    }
  } else if (!volume.emptyDir) {
    throw new ContainerConfigError(
      `volume "${volume.name}": only emptyDir, configMap, secret, hostPath, downwardAPI and projected are supported`,
    );
  }
  return dir;
}

/** Materialises (or refreshes) all of the pod's volumes under `podDir`; returns name → folder. */
export async function materialiseVolumes(
  pod: V1Pod,
  podDir: string,
  source: VolumeSource,
): Promise<Map<string, string>> {
  const folders = new Map<string, string>();
  for (const volume of pod.spec?.volumes ?? []) {
    folders.set(volume.name, await materialise(pod, volume, join(podDir, 'volumes', volume.name), source));
  }
  return folders;
}

/** The bind mounts of one container, from its volumeMounts (subPath included). */
export function containerMounts(container: V1Container, folders: Map<string, string>): Mount[] {
  return (container.volumeMounts ?? []).map((m) => {
    const folder = folders.get(m.name);
    if (folder === undefined)
      throw new ContainerConfigError(`volumeMount "${m.name}" names no volume of the pod`);
    return {
      source: m.subPath ? join(folder, m.subPath) : folder,
      target: m.mountPath,
      readOnly: m.readOnly === true,
    };
  });
}
