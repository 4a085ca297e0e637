// Plugin version requirements (KIP-891): `connector.plugin.version` and `key|value|header.converter
// .plugin.version` name a version ("4.3.1", a hard requirement), a Maven version range ("[4.0,5.0)") or
// "latest". Weir has exactly one version of each plugin, so a requirement is met when it names that
// version or a range that contains it, and refused otherwise with the message Java gives.
import { invalid, type Validator } from '../api/index.ts';

interface Bound {
  version: string;
  inclusive: boolean;
}
interface Range {
  lower: Bound | null;
  upper: Bound | null;
}

/** A parsed requirement: the ranges (any may match) and how Java prints it. */
export interface VersionRequirement {
  ranges: Range[];
  text: string;
}

const segments = (version: string): (number | string)[] =>
  version
    .toLowerCase()
    .split(/[.-]/)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/** Orders versions as Maven does for plain releases: numeric segments by value, missing ones as 0. */
export function compareVersions(a: string, b: string): number {
  const x = segments(a);
  const y = segments(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? 0;
    const q = y[i] ?? 0;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    // A qualifier (4.3.1-rc1) comes before the release it qualifies; text segments compare as text.
    if (typeof p === 'number') return 1;
    if (typeof q === 'number') return -1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/**
 * Parses a requirement; null means any version ("latest" or unset). Throws an Error with Maven's
 * message when the text is not a version or range.
 */
export function parseVersionRequirement(spec: string | null | undefined): VersionRequirement | null {
  if (spec === null || spec === undefined || spec === 'latest') return null;
  const text = spec.trim();
  if (!/[[\]()]/.test(text)) {
    // A bare version is a hard requirement, as Java encloses it in brackets.
    return {
      ranges: [{ lower: { version: text, inclusive: true }, upper: { version: text, inclusive: true } }],
      text: `[${text},${text}]`,
    };
  }
  const ranges: Range[] = [];
  let rest = text;
  while (rest.length > 0) {
    const match = /^([[(])([^[\]()]*)([\])])\s*(?:,\s*|$)/.exec(rest);
    if (!match) throw new Error(`Unbounded range: ${text}`);
    const [whole, open, body, close] = match as unknown as [string, string, string, string];
    const parts = body.split(',').map((p) => p.trim());
    if (parts.length === 1) {
      if (open !== '[' || close !== ']' || parts[0] === '')
        throw new Error(`Single version must be surrounded by []: ${text}`);
      const bound = { version: parts[0] as string, inclusive: true };
      ranges.push({ lower: bound, upper: bound });
    } else if (parts.length === 2) {
      const [low, high] = parts as [string, string];
      const range = {
        lower: low === '' ? null : { version: low, inclusive: open === '[' },
        upper: high === '' ? null : { version: high, inclusive: close === ']' },
      };
      if (range.lower && range.upper && compareVersions(low, high) > 0)
        throw new Error(`Range defies version ordering: ${text}`);
      ranges.push(range);
    } else {
      throw new Error(`Invalid version range ${text}`);
    }
    rest = rest.slice(whole.length);
  }
  return { ranges, text };
}

export function satisfies(version: string, requirement: VersionRequirement | null): boolean {
  if (requirement === null) return true;
  return requirement.ranges.some(({ lower, upper }) => {
    const aboveLower = !lower || compareVersions(version, lower.version) > (lower.inclusive ? -1 : 0);
    const belowUpper = !upper || compareVersions(version, upper.version) < (upper.inclusive ? 1 : 0);
    return aboveLower && belowUpper;
  });
}

/** The validator of a *.plugin.version setting: the text must be a version, a range or "latest". */
export const pluginVersionValidator: Validator = (name, value) => {
  if (value === null || value === undefined) return;
  try {
    parseVersionRequirement(String(value));
  } catch (error) {
    invalid(name, value, (error as Error).message);
  }
};

/**
 * Java's complaint when the plugin's one version does not meet the requirement, plus what to do about
 * it; undefined when it does (or the requirement cannot be read: its validator reports that).
 */
export function versionMismatch(
  className: string,
  version: string,
  spec: string | undefined,
): string | undefined {
  let requirement: VersionRequirement | null;
  try {
    requirement = parseVersionRequirement(spec);
  } catch {
    return undefined;
  }
  if (satisfies(version, requirement)) return undefined;
  return (
    `Plugin ${className} not found that matches the version range ${requirement?.text}, available versions: [${version}]. ` +
    `This worker has only version ${version} of it: set ${version}, a range that contains it, or latest, or leave the setting out.`
  );
}
