// Values config providers resolved for connectors, kept so that they can be hidden wherever text
// leaves the worker: logs, status traces (the status topic, REST, a KafkaConnector's status) and
// validate answers. A resolved value is shown as the placeholder it came from, so the reader still
// sees which setting it was. Each line of a multi-line value (a file of several entries, such as
// /proc/self/environ) is hidden on its own too, as errors often quote one of them.

/** Shorter values are not hidden: replacing every "1" or "on" in a trace would make it unreadable. */
export const MIN_HIDDEN_LENGTH = 4;

/** What to replace with what: each value as written and as JSON escapes it, longest first. */
const replacements = new Map<string, string>();
let pattern: RegExp | undefined;

const jsonEscaped = (s: string): string => JSON.stringify(s).slice(1, -1);
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Remembers that `placeholder` resolved to `value`: redactSecrets hides it from now on. */
export function rememberSecret(placeholder: string, value: string): void {
  const pieces = [value, ...value.split(/[\0\r\n]+/)].map((p) => p.trim());
  for (const piece of pieces) {
    if (piece.length < MIN_HIDDEN_LENGTH || piece === placeholder || replacements.has(piece)) continue;
    replacements.set(piece, placeholder);
    const escaped = jsonEscaped(piece);
    if (escaped !== piece) replacements.set(escaped, jsonEscaped(placeholder));
    pattern = undefined;
  }
}

/** `text` with every remembered secret replaced by its placeholder. */
export function redactSecrets(text: string): string {
  if (replacements.size === 0) return text;
  pattern ??= new RegExp(
    [...replacements.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
  return text.replace(pattern, (found) => replacements.get(found) ?? found);
}
