// `allowed.paths` of Kafka's FileConfigProvider and DirectoryConfigProvider (AllowedPaths): a
// comma-separated list of absolute paths that exist; a placeholder's path is allowed when, once
// normalized (`.` and `..` taken out, as written, without following symlinks), it is one of them or
// lies beneath one, component by component (/etc/secrets allows /etc/secrets/db, not
// /etc/secrets-old). Not set or empty: every path is allowed, as in Kafka.
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { ConfigException } from '../api/index.ts';

export interface AllowedPaths {
  /** The allowed paths, normalized; null when every path is allowed. */
  readonly paths: readonly string[] | null;
  /** The path normalized when it may be read, else null. */
  parseUntrustedPath(path: string): string | null;
}

/** Parses an allowed.paths value; `setting` names it in errors. */
export function allowedPaths(value: string | undefined, setting: string): AllowedPaths {
  const paths = value
    ? value
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((entry) => {
          const normalized = normalize(entry);
          if (!posix.isAbsolute(normalized)) {
            throw new ConfigException(setting, value, `Path ${normalized} is not absolute`);
          }
          if (!existsSync(normalized)) {
            throw new ConfigException(setting, value, `Path ${normalized} does not exist`);
          }
          return normalized;
        })
    : null;
  return {
    paths,
    parseUntrustedPath(path) {
      if (!paths || paths.length === 0) return path;
      const normalized = normalize(path);
      if (!posix.isAbsolute(normalized)) return null;
      return paths.some((allowed) => within(normalized, allowed)) ? normalized : null;
    },
  };
}

/** As Java's Path.normalize: `.` and `..` resolved as written, no trailing slash (but the root). */
function normalize(path: string): string {
  const normalized = posix.normalize(path);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

/** Java's Path.startsWith: whole components, so /a/b is within /a but /a-b is not. */
function within(path: string, allowed: string): boolean {
  return path === allowed || path.startsWith(allowed === '/' ? '/' : `${allowed}/`);
}
