// Which KafkaConnects refer to a Secret (model/connect-pod.ts secretReferences: TLS, authentication,
// template volumes and env, the credentials Secret), so a Secret event enqueues just those. Kept
// current from the KafkaConnect informer's events; a Secret event is one map lookup, however many
// Secrets the watched namespaces hold.
import type { KafkaConnect } from '../api/types.ts';
import { referencedSecrets } from '../model/connect-pod.ts';
import { keyOf } from './context.ts';

export class SecretIndex {
  /** `namespace/secret` → keys of the KafkaConnects that refer to it. */
  private readonly connects = new Map<string, Set<string>>();
  /** KafkaConnect key → the `namespace/secret` keys it is filed under. */
  private readonly secrets = new Map<string, string[]>();

  /** Files `kc` under the Secrets its spec refers to now (replacing what it referred to before). */
  set(kc: KafkaConnect): void {
    const key = keyOf(kc);
    this.delete(key);
    const namespace = kc.metadata.namespace ?? '';
    const secretKeys = referencedSecrets(kc).map((name) => `${namespace}/${name}`);
    this.secrets.set(key, secretKeys);
    for (const s of secretKeys) {
      const set = this.connects.get(s) ?? new Set<string>();
      set.add(key);
      this.connects.set(s, set);
    }
  }

  delete(connectKey: string): void {
    for (const s of this.secrets.get(connectKey) ?? []) {
      const set = this.connects.get(s);
      set?.delete(connectKey);
      if (set?.size === 0) this.connects.delete(s);
    }
    this.secrets.delete(connectKey);
  }

  /** Keys of the KafkaConnects that refer to Secret `namespace/name`. */
  connectsOf(namespace: string | undefined, name: string | undefined): string[] {
    return [...(this.connects.get(`${namespace ?? ''}/${name ?? ''}`) ?? [])];
  }
}
