// Java .properties files, as connect-standalone.sh reads them; errors name the file and line.
import { readFileSync } from 'node:fs';
import { getProperties } from 'properties-file';
import { WeirError } from '../errors.ts';

export function parseProperties(text: string, source = '<input>'): Record<string, string> {
  try {
    return getProperties(text);
  } catch (error) {
    const message = (error as Error).message;
    // The parser names the bad text but not where it is: find its line.
    const quoted = /'([^']+)'/.exec(message)?.[1];
    const index = quoted ? text.indexOf(quoted) : -1;
    const line = index >= 0 ? text.slice(0, index).split('\n').length : undefined;
    const hint = message.includes('unicode')
      ? ' (a \\u escape needs four hex digits; write \\\\u for a literal backslash followed by u)'
      : '';
    throw new WeirError('WEIR_BAD_REQUEST', `${source}${line ? `:${line}` : ''}: ${message}${hint}`);
  }
}

export function readPropertiesFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new WeirError('WEIR_BAD_REQUEST', `cannot read properties file ${path}: ${why}`);
  }
  return parseProperties(text, path);
}

/** The settings under `prefix`, with the prefix removed ("value.converter." → schemas.enable …). */
export function withPrefix(props: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith(prefix) && key.length > prefix.length) out[key.slice(prefix.length)] = value;
  }
  return out;
}

/** Same keys and values, in any order (as Java's Map.equals). */
export function sameProps(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
