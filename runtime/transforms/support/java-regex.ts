// java.util.regex.Pattern for topic names, on JavaScript's RegExp: Java's syntax translated where
// JavaScript spells it differently (\Q…\E, \A, \z, \Z, \h, \v, \e, \x{…}, leading inline flags,
// POSIX classes), refused with a clear message where JavaScript cannot do what Java does (possessive
// quantifiers, atomic groups, class intersections and unions, \G, \R, \X, \b{g}); plus Matcher's
// matches() and replaceFirst() with Java's replacement syntax ($1, ${name}, \$).
import {
  IllegalArgumentException,
  IndexOutOfBoundsException,
  PatternSyntaxException,
} from './java-exceptions.ts';

const POSIX_CLASSES: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};
const HORIZONTAL_SPACE = ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000';
const VERTICAL_SPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';
/** Java escapes JavaScript spells differently (outside and inside a character class). */
const ESCAPES: Record<string, string> = {
  A: '(?<![\\s\\S])',
  z: '(?![\\s\\S])',
  Z: '(?=\\n?(?![\\s\\S]))',
  h: `[${HORIZONTAL_SPACE}]`,
  H: `[^${HORIZONTAL_SPACE}]`,
  v: `[${VERTICAL_SPACE}]`,
  V: `[^${VERTICAL_SPACE}]`,
  e: '\\x1B',
  a: '\\x07',
};
const ESCAPES_IN_CLASS: Record<string, string> = {
  h: HORIZONTAL_SPACE,
  v: VERTICAL_SPACE,
  e: '\\x1B',
  a: '\\x07',
};
const INLINE_FLAGS: Record<string, string> = { i: 'i', s: 's', m: 'm' };

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function unsupported(pattern: string, what: string): never {
  throw new IllegalArgumentException(
    `Weir cannot use the Java regular expression ${JSON.stringify(pattern)}: ${what} has no JavaScript equivalent; write it without`,
  );
}

/** A single character a class range may start or end with: [index of its last character, char]. */
function rangeChar(pattern: string, at: number): [number, string] | null {
  const c = pattern[at];
  if (c === undefined || c === '[') return null;
  if (c !== '\\') return [at, c];
  const escaped = pattern[at + 1];
  return escaped !== undefined && !/[a-zA-Z0-9]/.test(escaped) ? [at + 1, escaped] : null;
}

/** Java's "Illegal character range" for a class range with no end or whose end precedes its start. */
function checkRange(pattern: string, dash: number): void {
  if (dash + 1 >= pattern.length)
    throw new PatternSyntaxException('Illegal character range', pattern, dash + 1);
  const before = pattern[dash - 2] === '\\' ? rangeChar(pattern, dash - 2) : rangeChar(pattern, dash - 1);
  const after = rangeChar(pattern, dash + 1);
  if (before && after && after[1] < before[1]) {
    throw new PatternSyntaxException('Illegal character range', pattern, after[0]);
  }
}

/** The JavaScript source and flags for a Java pattern; throws PatternSyntaxException like Java. */
function translate(pattern: string): { source: string; flags: string } {
  let flags = '';
  let i = 0;
  // Leading inline flags, e.g. (?i), become RegExp flags.
  const leading = /^\(\?([ism]+)\)/.exec(pattern);
  if (leading) {
    flags = [...new Set([...(leading[1] as string)].map((f) => INLINE_FLAGS[f]))].join('');
    i = leading[0].length;
  }
  let out = '';
  let inClass = false;
  let classStart = -1;
  let depth = 0;
  let canRepeat = false;
  for (; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw new PatternSyntaxException('Unexpected internal error', pattern, i + 1);
      i++;
      canRepeat = true;
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 1);
        const quoted = pattern.slice(i + 1, end === -1 ? pattern.length : end);
        out += inClass ? quoted.replace(/[\\\]^-]/g, '\\$&') : `(?:${escapeLiteral(quoted)})`;
        i = end === -1 ? pattern.length : end + 1;
        continue;
      }
      if (next === 'p' || next === 'P') {
        const name = /^\{(?:Is)?(\w+)\}/.exec(pattern.slice(i + 1));
        const posix = name ? POSIX_CLASSES[name[1] as string] : undefined;
        if (!name || !posix) unsupported(pattern, `the class \\${next}${name?.[0] ?? ''}`);
        const negated = next === 'P';
        if (inClass && negated) unsupported(pattern, `\\P inside a character class`);
        out += inClass ? posix : `[${negated ? '^' : ''}${posix}]`;
        i += (name as RegExpExecArray)[0].length;
        continue;
      }
      if (next === 'x' && pattern[i + 1] === '{') {
        const end = pattern.indexOf('}', i);
        const code = parseInt(pattern.slice(i + 2, end), 16);
        if (end === -1 || Number.isNaN(code))
          throw new PatternSyntaxException('Unclosed hexadecimal escape sequence', pattern, i);
        out +=
          code <= 0xffff
            ? `\\u${code.toString(16).padStart(4, '0')}`
            : escapeLiteral(String.fromCodePoint(code));
        i = end;
        continue;
      }
      if (inClass && (next === 'H' || next === 'V'))
        unsupported(pattern, `\\${next} inside a character class`);
      const table = inClass ? ESCAPES_IN_CLASS : ESCAPES;
      if (table[next] !== undefined) {
        out += table[next];
        if ('AzZ'.includes(next)) canRepeat = false;
      } else if ('GRXN'.includes(next) || (next === 'b' && pattern[i + 1] === '{')) {
        unsupported(pattern, `\\${next}`);
      } else if (next === '0') {
        const octal = /^[0-7]{1,3}/.exec(pattern.slice(i + 1));
        if (!octal) throw new PatternSyntaxException('Illegal octal escape sequence', pattern, i + 1);
        out += `\\x${parseInt(octal[0], 8).toString(16).padStart(2, '0')}`;
        i += octal[0].length;
      } else {
        out += `\\${next}`;
      }
      continue;
    }
    if (inClass) {
      if (c === '[') unsupported(pattern, 'a character class inside a character class (a union)');
      if (c === '&' && pattern[i + 1] === '&') unsupported(pattern, 'a character class intersection (&&)');
      if (c === ']' && i > classStart + 1 && !(i === classStart + 2 && pattern[classStart + 1] === '^')) {
        inClass = false;
      } else if (c === '-' && i > classStart + 1 && pattern[i + 1] !== ']') {
        checkRange(pattern, i);
      }
      out += c === '/' ? '\\/' : c;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        classStart = i;
        canRepeat = true;
        out += c;
        // A ']' first in the class is a literal in Java.
        if (pattern[i + 1] === ']') {
          out += '\\]';
          i++;
        } else if (pattern[i + 1] === '^' && pattern[i + 2] === ']') {
          out += '^\\]';
          i += 2;
        }
        continue;
      case '(': {
        depth++;
        canRepeat = false;
        if (pattern[i + 1] !== '?') {
          out += c;
          continue;
        }
        const rest = pattern.slice(i);
        if (rest.startsWith('(?>')) unsupported(pattern, 'an atomic group (?>…)');
        const opener = /^\(\?(?::|=|!|<=|<!|<[a-zA-Z][a-zA-Z0-9]*>)/.exec(rest);
        if (!opener) unsupported(pattern, 'an inline flag group other than a leading (?i), (?s) or (?m)');
        out += opener[0];
        i += opener[0].length - 1;
        continue;
      }
      case ')':
        if (depth === 0) throw new PatternSyntaxException("Unmatched closing ')'", pattern, i - 1);
        depth--;
        canRepeat = true;
        out += c;
        continue;
      case '*':
      case '+':
      case '?':
      case '{': {
        if (!canRepeat) {
          if (c === '{') throw new PatternSyntaxException('Illegal repetition', pattern, i + 1);
          throw new PatternSyntaxException(`Dangling meta character '${c}'`, pattern, i);
        }
        let quantifier: string = c;
        if (c === '{') {
          const bounds = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
          if (!bounds) throw new PatternSyntaxException('Illegal repetition', pattern, i + 1);
          quantifier = bounds[0];
          i += quantifier.length - 1;
        }
        if (pattern[i + 1] === '+') unsupported(pattern, `a possessive quantifier (${quantifier}+)`);
        if (pattern[i + 1] === '?') {
          quantifier += '?';
          i++;
        }
        out += quantifier;
        canRepeat = false;
        continue;
      }
      case '|':
      case '^':
        canRepeat = false;
        out += c;
        continue;
      case '/':
        canRepeat = true;
        out += '\\/';
        continue;
      default:
        canRepeat = true;
        out += c;
    }
  }
  if (inClass) throw new PatternSyntaxException('Unclosed character class', pattern, pattern.length - 1);
  if (depth > 0) throw new PatternSyntaxException('Unclosed group', pattern, pattern.length);
  return { source: out, flags };
}

/** A compiled Java regular expression: Pattern.compile, Matcher.matches and Matcher.replaceFirst. */
export class JavaPattern {
  readonly pattern: string;
  private readonly whole: RegExp;
  private readonly first: RegExp;

  /** Throws PatternSyntaxException (an IllegalArgumentException), or one naming what Weir cannot do. */
  constructor(pattern: string) {
    this.pattern = pattern;
    const { source, flags } = translate(pattern);
    try {
      this.whole = new RegExp(`^(?:${source})$`, flags);
      this.first = new RegExp(source, flags);
    } catch (error) {
      throw new PatternSyntaxException((error as Error).message, pattern, -1);
    }
  }

  /** Matcher.matches(): the whole text matches. */
  matches(text: string): boolean {
    return this.whole.test(text);
  }

  /** Matcher.replaceFirst(replacement) with Java's replacement syntax. */
  replaceFirst(text: string, replacement: string): string {
    const match = this.first.exec(text);
    if (!match) return text;
    const expanded = expandReplacement(replacement, match);
    return text.slice(0, match.index) + expanded + text.slice(match.index + match[0].length);
  }

  toString(): string {
    return this.pattern;
  }
}

/** Matcher.appendExpandedReplacement: $n (the longest group number that exists), ${name}, \x. */
function expandReplacement(replacement: string, match: RegExpExecArray): string {
  const groupCount = match.length - 1;
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i] as string;
    if (c === '\\') {
      i++;
      if (i === replacement.length) throw new IllegalArgumentException('character to be escaped is missing');
      out += replacement[i];
      continue;
    }
    if (c !== '$') {
      out += c;
      continue;
    }
    i++;
    if (i === replacement.length) {
      throw new IllegalArgumentException('Illegal group reference: group index is missing');
    }
    let group: string | undefined;
    if (replacement[i] === '{') {
      const name = /^[a-zA-Z0-9]*/.exec(replacement.slice(i + 1))?.[0] ?? '';
      if (name === '') throw new IllegalArgumentException('named capturing group has 0 length name');
      if (replacement[i + 1 + name.length] !== '}') {
        throw new IllegalArgumentException("named capturing group is missing trailing '}'");
      }
      if (/^\d/.test(name)) {
        throw new IllegalArgumentException(`capturing group name {${name}} starts with digit character`);
      }
      if (!match.groups || !Object.hasOwn(match.groups, name)) {
        throw new IllegalArgumentException(`No group with name {${name}}`);
      }
      group = match.groups[name];
      i += name.length + 1;
    } else {
      let number = Number.parseInt(replacement[i] as string, 10);
      if (Number.isNaN(number)) throw new IllegalArgumentException('Illegal group reference');
      while (i + 1 < replacement.length && /\d/.test(replacement[i + 1] as string)) {
        const longer = number * 10 + Number(replacement[i + 1]);
        if (longer > groupCount) break;
        number = longer;
        i++;
      }
      if (number > groupCount) throw new IndexOutOfBoundsException(`No group ${number}`);
      group = match[number];
    }
    out += group ?? '';
  }
  return out;
}
