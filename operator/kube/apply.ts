// Writing desired state: server-side apply under the operator's field manager (conflicts forced, so
// the operator owns what it sets and leaves other managers' fields alone), with a typed outcome in
// the manner of Strimzi's ReconcileResult; delete-if-exists; status writes through the /status
// subresource; owner references for garbage collection.
import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';
import { isNotFound, resourcePath, type KubeClient } from './client.ts';

export const FIELD_MANAGER = 'weir-operator';
const APPLY_PATCH = 'application/apply-patch+yaml';
const MERGE_PATCH = 'application/merge-patch+json';

export type ApplyResult = 'created' | 'updated' | 'unchanged';
export interface ApplyOutcome<T> {
  result: ApplyResult;
  /** The object as the API server stored it. */
  object: T;
}

export interface ApplyOptions<T> {
  fieldManager?: string;
  /** Take over fields other managers own; default true. */
  force?: boolean;
  /**
   * The object as last seen (an informer's cache), to tell `updated` from `unchanged` without a read.
   * Omitted: the object is read first. `null`: known not to exist.
   */
  current?: T | null;
  /**
   * Only this incarnation of the object (a precondition): a Conflict when it was deleted or replaced
   * since it was read, where the apply would otherwise make it again from what was read.
   */
  uid?: string;
  dryRun?: boolean;
}

/**
 * Fields the API server owns: sending them would be a precondition (resourceVersion, uid) or noise;
 * `uid` goes back in when asked for as a precondition.
 */
function applyBody<T extends KubernetesObject>(desired: T, uid: string | undefined): T {
  const metadata = { ...desired.metadata };
  for (const field of [
    'resourceVersion',
    'uid',
    'creationTimestamp',
    'generation',
    'managedFields',
    'selfLink',
  ]) {
    delete (metadata as Record<string, unknown>)[field];
  }
  if (uid) metadata.uid = uid;
  return { ...desired, metadata };
}

function nameOf(obj: KubernetesObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error(`${obj.kind ?? 'object'} has no metadata.name`);
  return name;
}

/**
 * Server-side applies `desired` (apiVersion, kind, metadata.name and, if namespaced,
 * metadata.namespace set). `created` when the apply made it, `unchanged` when its resourceVersion did
 * not move, `updated` otherwise.
 */
export async function apply<T extends KubernetesObject>(
  client: KubeClient,
  desired: T,
  options: ApplyOptions<T> = {},
): Promise<ApplyOutcome<T>> {
  if (!desired.apiVersion || !desired.kind) throw new Error('apply needs apiVersion and kind');
  const type = await client.resourceType(desired.apiVersion, desired.kind);
  const name = nameOf(desired);
  const namespace = desired.metadata?.namespace;
  if (type.namespaced && !namespace) throw new Error(`${desired.kind} ${name} has no metadata.namespace`);
  const current =
    options.current === undefined
      ? await client.get<T>(type, namespace, name)
      : (options.current ?? undefined);
  const { status, body } = await client.exchange<T>('PATCH', resourcePath(type, namespace, name), {
    query: {
      fieldManager: options.fieldManager ?? FIELD_MANAGER,
      force: options.force ?? true,
      dryRun: options.dryRun ? 'All' : undefined,
    },
    body: applyBody(desired, options.uid),
    contentType: APPLY_PATCH,
  });
  const before = current?.metadata?.resourceVersion;
  const result: ApplyResult =
    status === 201 || !current
      ? 'created'
      : before === body.metadata?.resourceVersion
        ? 'unchanged'
        : 'updated';
  return { result, object: body };
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

const refOf = (obj: KubernetesObject | ObjectRef): ObjectRef =>
  'metadata' in obj
    ? {
        apiVersion: obj.apiVersion ?? '',
        kind: obj.kind ?? '',
        name: obj.metadata?.name ?? '',
        namespace: obj.metadata?.namespace,
      }
    : (obj as ObjectRef);

/**
 * Deletes the object if it exists: `deleted`, or `absent` when there was nothing to delete. With
 * `uid`, deletes only that incarnation (a precondition), never a newer object of the same name.
 */
export async function deleteIfExists(
  client: KubeClient,
  target: KubernetesObject | ObjectRef,
  options: {
    propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
    uid?: string;
    gracePeriodSeconds?: number;
  } = {},
): Promise<'deleted' | 'absent'> {
  const ref = refOf(target);
  const type = await client.resourceType(ref.apiVersion, ref.kind);
  try {
    await client.request('DELETE', resourcePath(type, ref.namespace, ref.name), {
      body: {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        propagationPolicy: options.propagationPolicy ?? 'Background',
        gracePeriodSeconds: options.gracePeriodSeconds,
        preconditions: options.uid ? { uid: options.uid } : undefined,
      },
    });
    return 'deleted';
  } catch (error) {
    if (isNotFound(error)) return 'absent';
    throw error;
  }
}

export interface StatusOptions {
  /**
   * `merge` (default): a JSON merge patch of `status` (fields set to null are removed).
   * `apply`: server-side apply of `status` under the field manager (fields it applied before and
   * no longer sets go). Do not mix the two on one object: fields a merge patch set are owned by an
   * Update entry, which an apply never removes.
   */
  mode?: 'merge' | 'apply';
  fieldManager?: string;
}

/** Writes `status` through the /status subresource of `obj`; resolves to the stored object. */
export async function patchStatus<T extends KubernetesObject, S>(
  client: KubeClient,
  obj: T,
  status: S,
  options: StatusOptions = {},
): Promise<T> {
  if (!obj.apiVersion || !obj.kind) throw new Error('patchStatus needs apiVersion and kind');
  const type = await client.resourceType(obj.apiVersion, obj.kind);
  const name = nameOf(obj);
  const namespace = obj.metadata?.namespace;
  const path = resourcePath(type, namespace, name, 'status');
  if (options.mode === 'apply') {
    return client.request<T>('PATCH', path, {
      query: { fieldManager: options.fieldManager ?? FIELD_MANAGER, force: true },
      body: { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name, namespace }, status },
      contentType: APPLY_PATCH,
    });
  }
  return client.request<T>('PATCH', path, {
    query: { fieldManager: options.fieldManager ?? FIELD_MANAGER },
    body: { status },
    contentType: MERGE_PATCH,
  });
}

/** An owner reference to `owner` (controller, blocking its deletion until dependents go by default). */
export function ownerReference(
  owner: KubernetesObject,
  options: { controller?: boolean; blockOwnerDeletion?: boolean } = {},
): V1OwnerReference {
  const { apiVersion, kind, metadata } = owner;
  if (!apiVersion || !kind || !metadata?.name || !metadata.uid) {
    throw new Error('an owner needs apiVersion, kind, metadata.name and metadata.uid');
  }
  return {
    apiVersion,
    kind,
    name: metadata.name,
    uid: metadata.uid,
    controller: options.controller ?? true,
    blockOwnerDeletion: options.blockOwnerDeletion ?? true,
  };
}
