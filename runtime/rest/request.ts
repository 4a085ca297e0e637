// What route handlers share: the route shape, the reply they return, and readers for path parameters,
// query parameters and bodies that turn bad input into 400s naming the offending field.
import type { Request } from 'express';
import { badRequest, notFound } from '../errors.ts';
import type { Herder } from '../herder/herder.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a handler answers; the server writes it (no body → no content). */
export interface Reply {
  status: number;
  body?: unknown;
  /** A path such as /connectors/x; sent as an absolute URL in the Location header, as Jersey does. */
  location?: string;
}

export interface Route {
  method: Method;
  /** Express syntax: /connectors/:name/tasks/:task/status */
  path: string;
  /** The route reads a JSON body; others ignore whatever body comes, as Java does. */
  body?: true;
  handle(req: Request): Promise<Reply>;
}

export interface RouteContext {
  herder: Herder;
  version: string;
  commit: string;
  /** PUT /admin/loggers/{logger}?scope=cluster; by default the level is set on this worker only. */
  setClusterLoggerLevel?: (logger: string, level: string) => Promise<void>;
}

export const reply = (status: number, body?: unknown): Reply =>
  body === undefined ? { status } : { status, body };

/** A path parameter, already URL-decoded by the router. */
export function pathParam(req: Request, name: string): string {
  const value: unknown = req.params[name];
  if (typeof value !== 'string') throw badRequest(`Missing path parameter '${name}'`);
  return value;
}

/**
 * The task id of /connectors/{name}/tasks/{task}/…: a 32-bit integer, as Java's Integer.parseInt reads it
 * (a sign and leading zeros allowed). Anything else matches no route in Java: 404.
 */
export function taskParam(req: Request): number {
  const raw = pathParam(req, 'task');
  const task = /^[+-]?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(task) || task < -(2 ** 31) || task >= 2 ** 31) {
    throw notFound(`HTTP 404 Not Found: task id '${raw}' in the URL is not a 32-bit integer`);
  }
  return task;
}

function searchParams(req: Request): URLSearchParams {
  const url = req.originalUrl;
  const query = url.indexOf('?');
  return new URLSearchParams(query < 0 ? '' : url.slice(query + 1));
}

/** Every value of a repeated query parameter (?expand=status&expand=info), or undefined when absent. */
export function queryValues(req: Request, name: string): string[] | undefined {
  const params = searchParams(req);
  return params.has(name) ? params.getAll(name) : undefined;
}

/** Java's Boolean.valueOf: "true" in any case is true, anything else false; absent or empty → the default. */
export function booleanQuery(req: Request, name: string, defaultValue: boolean): boolean {
  const value = searchParams(req).get(name);
  if (value === null || value === '') return defaultValue;
  return value.toLowerCase() === 'true';
}

export function stringQuery(req: Request, name: string): string | undefined {
  return searchParams(req).get(name) ?? undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body, which must be a JSON object; `what` describes it in the error. */
export function objectBody(req: Request, what: string): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined) throw badRequest(`Request body is missing: expected ${what}`);
  if (!isObject(body)) throw badRequest(`Request body must be ${what}, not ${describe(body)}`);
  return body;
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * A map of string settings. Numbers and booleans become strings, as Jackson reads them into a
 * Map<String, String>; nested objects and arrays are refused, naming the field. `null` values are kept
 * only when `allowNull` (PATCH: null removes a key).
 */
export function stringMap(
  value: Record<string, unknown>,
  field: string,
  allowNull: true,
): Record<string, string | null>;
export function stringMap(
  value: Record<string, unknown>,
  field: string,
  allowNull?: false,
): Record<string, string>;
export function stringMap(
  value: Record<string, unknown>,
  field: string,
  allowNull = false,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, entry] of Object.entries(value)) {
    const name = field ? `${field}.${key}` : key;
    if (typeof entry === 'string') out[key] = entry;
    else if (typeof entry === 'number' || typeof entry === 'boolean') out[key] = String(entry);
    else if (entry === null && allowNull) out[key] = null;
    else {
      const expected = allowNull ? 'a string, number, boolean or null' : 'a string, number or boolean';
      throw badRequest(`Field '${name}' must be ${expected}, not ${describe(entry)}`);
    }
  }
  return out;
}
