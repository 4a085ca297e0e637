// Signed worker-to-worker requests: the leader keeps a session key (HmacSHA256) in the config topic
// and rotates it every inter.worker.key.ttl.ms; internal requests carry an HMAC of their body.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Connect-Authorization';
export const ALGORITHM_HEADER = 'X-Connect-Request-Signature-Algorithm';
export const ALGORITHM = 'HmacSHA256';

/** As the config topic's session-key record holds it (storage/kafka-config-store.ts). */
export interface SessionKey {
  readonly key: Buffer;
  readonly algorithm: string;
  readonly creationTimestamp: number;
}

export function newSessionKey(now = Date.now()): SessionKey {
  return { key: randomBytes(32), algorithm: ALGORITHM, creationTimestamp: now };
}

/** True when the leader should write a fresh key: none yet, or the current one has expired. */
export function needsRotation(current: SessionKey | null, ttlMs: number, now = Date.now()): boolean {
  return current === null || now - current.creationTimestamp >= ttlMs;
}

export function sign(body: string | Buffer, key: SessionKey): string {
  return createHmac('sha256', key.key).update(body).digest('base64');
}

export function signatureHeaders(body: string, key: SessionKey): Record<string, string> {
  return { [SIGNATURE_HEADER]: sign(body, key), [ALGORITHM_HEADER]: key.algorithm };
}

/** Checks a request's signature; returns the reason it is refused, or null when it is valid. */
export function verify(
  body: string | Buffer,
  signature: string | undefined,
  algorithm: string | undefined,
  key: SessionKey | null,
): string | null {
  if (!signature) return `Internal request is missing the ${SIGNATURE_HEADER} signature header`;
  if (algorithm && algorithm !== ALGORITHM)
    return `Internal request signature algorithm '${algorithm}' is not supported; use ${ALGORITHM}`;
  if (!key) return 'This worker has no session key yet; retry after the cluster has rebalanced';
  const expected = Buffer.from(sign(body, key), 'base64');
  const actual = Buffer.from(signature, 'base64');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual))
    return 'Internal request has an invalid signature';
  return null;
}
