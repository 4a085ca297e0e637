// Where a KafkaConnect's worker pods mount Secrets and ConfigMaps: the operator's own credential
// folders and the user's volumes of spec.template. These folders, and nothing else, are the
// allowed.paths of the workers' file and directory config providers, so a connector's
// ${directory:/proc/self:environ} (the REST and admin tokens) or ${file:/etc/passwd:…} is refused.
import type { V1Volume, V1VolumeMount } from '../api/kube-types.ts';
import type { KafkaConnect } from '../api/types.ts';
import { CLIENT_CERT_DIR, CONFIG_DIR, SASL_DIR, TRUSTED_DIR } from './names.ts';

/** The user's volumes the pods get: all but those named weir-* (the operator's names). */
export function userVolumes(kc: KafkaConnect): V1Volume[] {
  return (kc.spec.template?.pod?.volumes ?? []).filter((v) => !v.name.startsWith('weir-'));
}

/** The user's mounts the container gets: none over /tmp or /etc/weir, which the operator mounts. */
export function userVolumeMounts(kc: KafkaConnect): V1VolumeMount[] {
  return (kc.spec.template?.connectContainer?.volumeMounts ?? []).filter(
    (m) => !(m.mountPath === '/tmp' || m.mountPath === '/etc/weir' || m.mountPath.startsWith('/etc/weir/')),
  );
}

/** The trusted certificates' Secrets, once each, in order: each is mounted at TRUSTED_DIR/<name>. */
export function trustedSecretNames(kc: KafkaConnect): string[] {
  return [...new Set((kc.spec.tls?.trustedCertificates ?? []).map((c) => c.secretName))];
}

/**
 * The folders the pods mount Secrets and ConfigMaps at (projected volumes too), sorted. Never empty:
 * with none, the workers' own ConfigMap folder (which holds no secret), since an empty allowed.paths
 * would allow every path.
 */
export function mountedSecretFolders(kc: KafkaConnect): string[] {
  const folders = new Set(trustedSecretNames(kc).map((name) => `${TRUSTED_DIR}/${name}`));
  const auth = kc.spec.authentication;
  if (auth?.type === 'tls' && auth.certificateAndKey) folders.add(CLIENT_CERT_DIR);
  else if (auth?.passwordSecret) folders.add(SASL_DIR);
  const volumes = new Map(userVolumes(kc).map((v) => [v.name, v]));
  for (const mount of userVolumeMounts(kc)) {
    const volume = volumes.get(mount.name);
    if (volume?.secret || volume?.configMap || volume?.projected)
      folders.add(mount.mountPath.replace(/\/+$/, ''));
  }
  return folders.size > 0 ? [...folders].sort() : [CONFIG_DIR];
}
