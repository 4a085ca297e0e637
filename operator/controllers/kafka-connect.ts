// KafkaConnect → the workers: the credentials Secret (random tokens, kept once made; made again
// when deleted), then the model's objects by server-side apply (the pods' config hash covers the
// versions of the Secrets they use, from the Secret informer's cache), then spec.logging on every
// ready worker (log-levels.ts), then status from the Deployment, the failing worker pods
// (model/worker-failures.ts) and the plugins the workers offer, once they answer. An invalid
// spec stalls with the model's message and touches nothing; a failing step writes Reconciling with
// the error and is retried with back-off. Log levels that could not be set do not stop the rest:
// they are a Warning event and a note in the Ready message, and are retried with their own back-off.
import { randomBytes } from 'node:crypto';
import type { KubernetesObject, V1Deployment, V1Secret } from '@kubernetes/client-node';
import type { ConnectorPlugin, KafkaConnect } from '../api/types.ts';
import { isConflict, RESOURCES } from '../kube/client.ts';
import { apply, patchStatus } from '../kube/apply.ts';
import { backoffDelay, type ReconcileResult } from '../kube/work-queue.ts';
import { logger } from '../../runtime/logging.ts';
import { connectCredentialsSecret, connectObjects, loggerLevels } from '../model/connect-cluster.ts';
import { secretReferences } from '../model/connect-pod.ts';
import { workerFailures } from '../model/worker-failures.ts';
import { connectStatus, observeDeployment, statusEqual, type ReconcileError } from '../model/conditions.ts';
import { validateKafkaConnect } from '../model/worker-properties.ts';
import { ADMIN_TOKEN_KEY, connectNames } from '../model/names.ts';
import { keyOf, splitKey, type ControllerContext } from './context.ts';
import { describeUpdates, LogLevelSync, type LogLevelOutcome } from './log-levels.ts';

const log = logger('weir.operator.kafkaconnect');

/** While workers are not all ready, look again this often (Deployment events usually come first). */
const NOT_READY_RECHECK_MS = 10_000;
/** Retry of log levels a worker did not take: 2 s doubling to 5 min. */
const LOG_LEVEL_RETRY_BASE_MS = 2_000;
const LOG_LEVEL_RETRY_MAX_MS = 300_000;
/** Reads and applies of the credentials Secret before a Secret changing under them is an error. */
const CREDENTIALS_ATTEMPTS = 3;

export class KafkaConnectController {
  private readonly ctx: ControllerContext;
  /** Plugins per cluster, asked once per rollout (keyed by the config hash the pods run). */
  private readonly plugins = new Map<string, { hash: string; plugins: ConnectorPlugin[] }>();
  private readonly logLevels: LogLevelSync;
  /** Consecutive log-level syncs with failures, per cluster (their retry back-off). */
  private readonly logLevelFailures = new Map<string, number>();

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.logLevels = new LogLevelSync(ctx.clusters);
  }

  readonly reconcile = async (key: string): Promise<ReconcileResult> => {
    const { namespace, name } = splitKey(key);
    const kc = this.ctx.informers.connects.get(namespace, name);
    if (!kc || kc.metadata.deletionTimestamp) {
      this.plugins.delete(key);
      this.logLevels.forget(key);
      this.logLevelFailures.delete(key);
      this.ctx.clusters.forget(key);
      return; // owner references take the objects away
    }
    const problems = validateKafkaConnect(kc);
    if (problems.length > 0) {
      const changed = await this.writeStatus(kc, undefined, undefined);
      if (changed) this.ctx.events.warning(kc, 'InvalidSpec', 'Validate', problems.join('; '));
      return;
    }
    try {
      const deployment = await this.applyObjects(kc);
      const observed = observeDeployment(deployment, kc.spec.replicas ?? 3);
      const plugins = observed.readyReplicas > 0 ? await this.connectorPlugins(kc, deployment) : undefined;
      const levels = await this.applyLogLevels(kc);
      await this.writeStatus(kc, deployment, undefined, plugins, levels.failures);
      const retryLevels =
        levels.failures.length > 0
          ? backoffDelay(this.logLevelFailures.get(key)!, LOG_LEVEL_RETRY_BASE_MS, LOG_LEVEL_RETRY_MAX_MS)
          : undefined;
      const recheck = observed.rolloutComplete ? undefined : NOT_READY_RECHECK_MS;
      const after = Math.min(retryLevels ?? Infinity, recheck ?? Infinity);
      return after === Infinity ? undefined : { requeueAfter: after };
    } catch (error) {
      const failure: ReconcileError = {
        reason: 'ReconcileFailed',
        message: messageOf(error),
        terminal: false,
      };
      this.ctx.events.warning(kc, 'ReconcileFailed', 'Reconcile', failure.message);
      await this.writeStatus(kc, this.currentDeployment(kc), failure).catch((e) =>
        log.warn({ err: e, key }, 'could not write status'),
      );
      throw error;
    }
  };

  private currentDeployment(kc: KafkaConnect): V1Deployment | undefined {
    return this.ctx.informers.deployments.get(
      kc.metadata.namespace,
      connectNames(kc.metadata.name).deployment,
    );
  }

  /**
   * The credentials Secret: its tokens kept when it exists, new ones when not. The apply is bound to
   * the Secret as read (its uid): one deleted in between, as to rotate the tokens, is read again and
   * made with new tokens, never brought back with the old ones.
   */
  private async applyCredentials(kc: KafkaConnect) {
    const { client } = this.ctx;
    const name = connectNames(kc.metadata.name).credentials;
    for (let attempt = 1; ; attempt++) {
      const existing = await client.get<V1Secret>(RESOURCES.Secret, kc.metadata.namespace, name);
      const fresh = { adminToken: randomBytes(32), restToken: randomBytes(32) };
      const secret = connectCredentialsSecret(kc, fresh, existing?.data);
      try {
        const outcome = await apply(client, secret as KubernetesObject, {
          current: existing ?? null,
          uid: existing?.metadata?.uid,
        });
        return { secret, outcome };
      } catch (error) {
        if (!isConflict(error) || attempt === CREDENTIALS_ATTEMPTS) throw error;
      }
    }
  }

  /** The credentials Secret, then every object of the model; resolves to the stored Deployment. */
  private async applyObjects(kc: KafkaConnect): Promise<V1Deployment> {
    const { client, events } = this.ctx;
    const namespace = kc.metadata.namespace ?? '';
    const names = connectNames(kc.metadata.name);
    const { secret, outcome: secretOutcome } = await this.applyCredentials(kc);
    if (secretOutcome.result === 'created')
      events.normal(kc, 'Created', 'Apply', `Secret ${names.credentials}`);
    const token = secret.data?.[ADMIN_TOKEN_KEY];
    if (token) this.ctx.clusters.setToken(keyOf(kc), Buffer.from(token, 'base64').toString('utf8'));

    // The credentials Secret's version as just stored (the cache may not have it yet: a version the
    // watch brings a moment later would roll the pods a second time).
    const secretVersions: Record<string, string> = {
      [names.credentials]: secretOutcome.object.metadata?.resourceVersion ?? '',
    };
    for (const { name, optional } of secretReferences(kc)) {
      if (name === names.credentials) continue;
      const version = await this.secretVersion(namespace, name);
      if (version !== undefined) secretVersions[name] = version;
      else if (!optional)
        throw new Error(`Secret ${namespace}/${name} (referenced by the spec) does not exist`);
    }
    const objects = connectObjects(kc, this.ctx.settings, { secretVersions });
    let deployment: V1Deployment | undefined;
    for (const obj of Object.values(objects) as KubernetesObject[]) {
      const outcome = await apply(client, obj);
      if (outcome.result !== 'unchanged') {
        const what = `${obj.kind} ${obj.metadata?.name}`;
        events.normal(kc, outcome.result === 'created' ? 'Created' : 'Updated', 'Apply', what);
        log.info({ kafkaConnect: keyOf(kc), object: what }, outcome.result);
      }
      if (obj.kind === 'Deployment') deployment = outcome.object as V1Deployment;
    }
    return deployment!;
  }

  /**
   * A Secret's resourceVersion from the informer's cache, else from the API server (the cache is not
   * synced yet, or the Secret was made a moment ago); undefined when it does not exist. A change
   * the cache has not seen yet is no loss: its watch event reconciles the KafkaConnect again.
   */
  private async secretVersion(namespace: string, name: string): Promise<string | undefined> {
    const cached = this.ctx.informers.secrets.get(namespace, name);
    if (cached) return cached.metadata?.resourceVersion ?? '';
    const stored = await this.ctx.client.get<V1Secret>(RESOURCES.Secret, namespace, name);
    return stored && (stored.metadata?.resourceVersion ?? '');
  }

  /** GET /connector-plugins once per config hash the workers run (the plugins do not change between). */
  private async connectorPlugins(
    kc: KafkaConnect,
    deployment: V1Deployment,
  ): Promise<ConnectorPlugin[] | undefined> {
    const key = keyOf(kc);
    const hash = deployment.spec?.template?.metadata?.annotations?.['weir.dev/config-hash'] ?? '';
    const known = this.plugins.get(key);
    if (known && known.hash === hash) return known.plugins;
    try {
      const rest = await this.ctx.clusters.rest(key);
      const plugins = (await rest.connectorPlugins())
        .filter((p) => p.type === 'source' || p.type === 'sink')
        .map((p) => ({ class: p.class, type: p.type, ...(p.version ? { version: p.version } : {}) }));
      this.plugins.set(key, { hash, plugins });
      return plugins;
    } catch (error) {
      log.debug({ err: error, key }, 'connector plugins not available yet');
      return undefined;
    }
  }

  /** spec.logging on every ready worker; events for what changed and what failed. */
  private async applyLogLevels(kc: KafkaConnect): Promise<LogLevelOutcome> {
    const key = keyOf(kc);
    const outcome = await this.logLevels.sync(key, loggerLevels(kc));
    if (outcome.updated.length > 0) {
      const changes = [...new Set(outcome.updated.map((u) => describeUpdates(u.updates)))].join(' / ');
      this.ctx.events.normal(
        kc,
        'LogLevelsApplied',
        'SetLogLevels',
        `log levels set on ${outcome.updated.length} worker(s): ${changes}`,
      );
      log.info({ kafkaConnect: key, workers: outcome.updated }, 'log levels applied');
    }
    if (outcome.failures.length > 0) {
      this.logLevelFailures.set(key, (this.logLevelFailures.get(key) ?? 0) + 1);
      this.ctx.events.warning(
        kc,
        'LogLevelsNotApplied',
        'SetLogLevels',
        `log levels not applied on ${outcome.failures.length} worker(s): ${outcome.failures.join('; ')}`.slice(
          0,
          1000,
        ),
      );
    } else this.logLevelFailures.delete(key);
    return outcome;
  }

  /** Writes status when it differs from the stored one (timestamps aside); true when it wrote. */
  private async writeStatus(
    kc: KafkaConnect,
    deployment: V1Deployment | undefined,
    error: ReconcileError | undefined,
    plugins?: ConnectorPlugin[],
    logLevelFailures?: string[],
  ): Promise<boolean> {
    const failing = workerFailures(this.ctx.clusters.workerPods(keyOf(kc)), Date.now());
    const observed = {
      ...observeDeployment(deployment, kc.spec.replicas ?? 3),
      connectorPlugins: plugins,
      ...(logLevelFailures?.length ? { logLevelFailures } : {}),
      ...(failing.length ? { workerFailures: failing } : {}),
    };
    const status = connectStatus(kc, observed, error, new Date().toISOString());
    if (statusEqual(kc.status, status)) return false;
    await patchStatus(this.ctx.client, kc as KubernetesObject & KafkaConnect, status);
    return true;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
