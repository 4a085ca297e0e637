// Leader election over a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: a
// candidate takes the Lease when it has no holder or when the holder's record has not changed for
// a whole lease duration by the candidate's own clock (no trust in other machines' clocks); the
// leader renews every retry period and steps down when it could not renew for the renew deadline —
// shorter than the lease, so it stops before anyone else may start. Updates carry the Lease's
// resourceVersion, so two candidates never both win. stop() releases the Lease (no holder, 1 s
// duration) so a standby takes over on its next try instead of waiting out the lease.
import type { KubernetesObject } from '@kubernetes/client-node';
import { logger } from '../../runtime/logging.ts';
import { isConflict, resourcePath, RESOURCES, type KubeClient } from './client.ts';
import { microTime } from './events.ts';

const log = logger('weir.operator.leader');

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
export interface Lease extends KubernetesObject {
  spec?: LeaseSpec;
}

/**
 * Whether `identity` may take (or keep) a Lease whose record it first saw unchanged at `observedAt`
 * (its own clock). Pure: the heart of the election.
 */
export function mayAcquire(
  record: LeaseSpec | undefined,
  identity: string,
  observedAt: number,
  now: number,
): boolean {
  if (!record?.holderIdentity || record.holderIdentity === identity) return true;
  const durationMs = (record.leaseDurationSeconds ?? 15) * 1000;
  return observedAt + durationMs <= now;
}

/** The record `identity` writes to take or renew the Lease. */
export function nextRecord(
  record: LeaseSpec | undefined,
  identity: string,
  now: number,
  leaseDurationMs: number,
): LeaseSpec {
  const transition = record?.holderIdentity !== identity;
  return {
    holderIdentity: identity,
    leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
    acquireTime: transition || !record?.acquireTime ? microTime(now) : record.acquireTime,
    renewTime: microTime(now),
    leaseTransitions: (record?.leaseTransitions ?? 0) + (transition && record ? 1 : 0),
  };
}

export interface LeaderElectionOptions {
  namespace: string;
  /** The Lease's name, e.g. `weir-operator`. */
  name: string;
  /** This candidate (pod name); unique among candidates. */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Now leading; `signal` aborts when leadership ends. */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  onStoppedLeading?: () => void;
  /** Someone (possibly this candidate) was seen holding the Lease. */
  onNewLeader?: (identity: string) => void;
}

export class LeaderElector {
  private readonly client: KubeClient;
  private readonly o: Required<Omit<LeaderElectionOptions, 'onStoppedLeading' | 'onNewLeader'>> &
    Pick<LeaderElectionOptions, 'onStoppedLeading' | 'onNewLeader'>;
  private observed: { json: string; at: number } | undefined;
  private leading: AbortController | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private release = true;
  private lastLeader: string | undefined;

  constructor(client: KubeClient, options: LeaderElectionOptions) {
    this.client = client;
    this.o = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, ...options };
    if (this.o.renewDeadlineMs >= this.o.leaseDurationMs)
      throw new Error('renewDeadline must be < leaseDuration');
  }

  isLeader(): boolean {
    return this.leading !== undefined;
  }

  /** The identity last seen holding the Lease. */
  get leader(): string | undefined {
    return this.lastLeader;
  }

  start(): void {
    this.stopped = false;
    this.loop ??= this.run().finally(() => (this.loop = undefined));
  }

  /** Stops campaigning; a leader steps down and (unless `release: false`) releases the Lease. */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.stopped = true;
    this.release = options.release ?? true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      while (!this.stopped && !(await this.tryAcquireOrRenew())) await this.sleep(this.jittered());
      if (this.stopped) break;
      const leading = new AbortController();
      this.leading = leading;
      log.info({ lease: this.o.name, identity: this.o.identity }, 'became leader');
      this.call(() => this.o.onStartedLeading(leading.signal), 'onStartedLeading');
      let lastRenew = Date.now();
      while (!this.stopped) {
        await this.sleep(this.o.retryPeriodMs);
        if (this.stopped) break;
        if (await this.tryAcquireOrRenew()) lastRenew = Date.now();
        else if (this.lastLeader !== this.o.identity) {
          log.warn(
            { lease: this.o.name, holder: this.lastLeader },
            'another candidate holds the lease; stepping down',
          );
          break;
        } else if (Date.now() - lastRenew >= this.o.renewDeadlineMs) {
          log.warn(
            { lease: this.o.name, identity: this.o.identity },
            'could not renew the lease in time; stepping down',
          );
          break;
        }
      }
      this.leading = undefined;
      leading.abort();
      if (this.stopped && this.release) await this.releaseLease();
      this.call(() => this.o.onStoppedLeading?.(), 'onStoppedLeading');
    }
  }

  private jittered(): number {
    return Math.round(this.o.retryPeriodMs * (1 + Math.random() * 0.1));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private call(fn: () => void | Promise<void>, what: string): void {
    try {
      Promise.resolve(fn()).catch((error: unknown) => log.error({ err: error }, `${what} failed`));
    } catch (error) {
      log.error({ err: error }, `${what} failed`);
    }
  }

  private path(name?: string): string {
    return resourcePath(RESOURCES.Lease, this.o.namespace, name);
  }

  /** One attempt; true when this candidate holds the Lease afterwards. Never throws. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now();
    const timeoutMs = Math.min(this.o.renewDeadlineMs, 5000);
    try {
      const lease = await this.client.get<Lease>(RESOURCES.Lease, this.o.namespace, this.o.name);
      if (!lease) {
        const spec = nextRecord(undefined, this.o.identity, now, this.o.leaseDurationMs);
        await this.client.request('POST', this.path(), {
          body: {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: this.o.name },
            spec,
          },
          timeoutMs,
        });
        this.observe(spec, Date.now());
        return true;
      }
      const record = lease.spec ?? {};
      this.observe(record, now);
      if (!mayAcquire(record, this.o.identity, this.observed?.at ?? now, now)) return false;
      const spec = nextRecord(record, this.o.identity, now, this.o.leaseDurationMs);
      await this.client.request('PUT', this.path(this.o.name), {
        body: { ...lease, spec },
        timeoutMs,
      });
      this.observe(spec, Date.now());
      return true;
    } catch (error) {
      if (!isConflict(error)) {
        log.warn(
          { lease: this.o.name, err: error instanceof Error ? error.message : String(error) },
          'lease update failed',
        );
      }
      return false;
    }
  }

  private observe(record: LeaseSpec, at: number): void {
    const json = JSON.stringify(record);
    if (this.observed?.json !== json) this.observed = { json, at };
    const holder = record.holderIdentity;
    if (holder && holder !== this.lastLeader) {
      this.lastLeader = holder;
      this.call(() => this.o.onNewLeader?.(holder), 'onNewLeader');
    }
  }

  /** Hands the Lease back so a standby need not wait for it to expire. */
  private async releaseLease(): Promise<void> {
    try {
      const lease = await this.client.get<Lease>(RESOURCES.Lease, this.o.namespace, this.o.name);
      if (!lease || lease.spec?.holderIdentity !== this.o.identity) return;
      const now = microTime(Date.now());
      const spec: LeaseSpec = {
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: lease.spec.leaseTransitions ?? 0,
      };
      await this.client.request('PUT', this.path(this.o.name), { body: { ...lease, spec }, timeoutMs: 5000 });
      log.info({ lease: this.o.name, identity: this.o.identity }, 'released the lease');
    } catch (error) {
      log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'could not release the lease',
      );
    }
  }
}
