// Request paths as Apache Kafka Connect's HTTP server (Jetty 12, URI compliance DEFAULT) and router
// (Jersey) take them: paths Jetty refuses are 400s before anything else runs, naming Jetty's reason;
// matrix parameters (`;name=value` in a segment) are dropped from the segment, as Jersey does.
import { WeirError } from '../errors.ts';

/** Characters RFC 3986 does not allow unencoded in a path, which Jetty refuses. */
const ILLEGAL = new Set(['"', '<', '>', '\\', '^', '`', '{', '|', '}', '[', ']', ' ']);

const refuse = (reason: string, detail: string): WeirError =>
  new WeirError('WEIR_BAD_REQUEST', `${reason}: ${detail}`);

/** Decodes one path segment, refusing what Jetty refuses; null when it has nothing to say. */
function checkSegment(raw: string, index: number, last: boolean): void {
  if (raw === '' && index > 0 && !last)
    throw refuse('Ambiguous URI empty segment', "the path has an empty segment ('//')");
  for (const char of raw) {
    if (ILLEGAL.has(char)) {
      const reason =
        char === '\\' ? 'Suspicious Path Character, Illegal Path Character' : 'Illegal Path Character';
      throw refuse(reason, `the path has '${char}' unencoded; percent-encode it`);
    }
  }
  let bytes: Buffer;
  try {
    if (/%(?![0-9a-fA-F]{2})/.test(raw)) throw new Error();
    bytes = Buffer.from(
      raw.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    );
  } catch {
    throw refuse('Bad Request', `the path segment '${raw}' has a '%' that is not followed by two hex digits`);
  }
  const encoded = (hex: string) => new RegExp(`%${hex}`, 'i').test(raw);
  if (encoded('00')) throw refuse('Bad Request', 'the path has an encoded NUL character (%00)');
  if (encoded('2F'))
    throw refuse(
      'Ambiguous URI path separator',
      "the path has an encoded '/' (%2F); connector names cannot contain '/'",
    );
  if (encoded('25')) throw refuse('Ambiguous URI path encoding', "the path has an encoded '%' (%25)");
  if (/%(?:0[1-9a-fA-F]|1[0-9a-fA-F]|7[fF]|5[cC])/.test(raw))
    throw refuse(
      'Suspicious Path Character',
      'the path has an encoded control character or backslash; connector names cannot contain control characters',
    );
  const decoded = new TextDecoder('utf-8', { fatal: true });
  let text: string;
  try {
    text = decoded.decode(bytes);
  } catch {
    throw refuse('Bad UTF-8 encoding', `the path segment '${raw}' is not percent-encoded UTF-8`);
  }
  if ((text === '.' || text === '..') && raw.includes('%'))
    throw refuse('Ambiguous URI path segment', `the path has an encoded '${text}' segment`);
}

/**
 * The request target with matrix parameters dropped from its path; throws a 400 WeirError, naming
 * Jetty's reason, for a path Java's worker refuses.
 */
export function checkRequestPath(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  const segments = path.split('/');
  segments.forEach((segment, i) =>
    checkSegment(segment.split(';')[0] as string, i, i === segments.length - 1),
  );
  if (!path.includes(';')) return url;
  const stripped = segments.map((segment) => segment.split(';')[0]).join('/');
  return query < 0 ? stripped : `${stripped}${url.slice(query)}`;
}
