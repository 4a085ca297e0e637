// A JSON reader that keeps what JSON.parse loses and JsonConverter needs: each number's source text
// (int64 beyond 2^53, integral vs fractional, decimal scale), object key order, and each object's
// source span (the schema cache key). Like Jackson's readTree it reads the first value of the
// input and ignores anything after it; empty input reads as nothing (Jackson's missing node).

/** A JSON number as written: `integral` when it has neither fraction nor exponent. */
export class JsonNumber {
  readonly text: string;
  readonly integral: boolean;
  constructor(text: string, integral: boolean) {
    this.text = text;
    this.integral = integral;
  }
}

export class JsonObject {
  readonly fields = new Map<string, JsonNode>();
  /** Where the object starts and ends in the parsed text. */
  start = 0;
  end = 0;
}

export type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | JsonObject;

/** Jackson's node type names, used in Java's error messages. */
export function nodeType(node: JsonNode | undefined): string {
  if (node === undefined) return 'MISSING';
  if (node === null) return 'NULL';
  if (typeof node === 'boolean') return 'BOOLEAN';
  if (typeof node === 'string') return 'STRING';
  if (node instanceof JsonNumber) return 'NUMBER';
  return Array.isArray(node) ? 'ARRAY' : 'OBJECT';
}

export class JsonSyntaxError extends Error {}

const MAX_DEPTH = 1000;
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
/** Letters, digits and '_': what Jackson reads as part of an unquoted token. */
const isWordChar = (code: number) =>
  isDigit(code) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Parses the first JSON value in `text`; undefined when the text holds only whitespace. */
export function parseJson(text: string): JsonNode | undefined {
  const reader = new Reader(text);
  reader.skipWhitespace();
  if (reader.atEnd()) return undefined;
  return reader.value(0);
}

class Reader {
  private readonly text: string;
  private pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipWhitespace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  private fail(what: string, at = this.pos): never {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new JsonSyntaxError(`${what} at line ${line}, column ${column}`);
  }

  private unexpected(expecting: string): never {
    if (this.atEnd()) this.fail(`Unexpected end-of-input: ${expecting}`);
    const c = this.text[this.pos] as string;
    return this.fail(`Unexpected character ('${c}' (code ${c.charCodeAt(0)})): ${expecting}`);
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`Document nesting depth exceeds the maximum allowed (${MAX_DEPTH})`);
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.unexpected('expected a valid value (JSON String, Number, Array, Object or token)');
    }
  }

  private literal<T extends JsonNode>(word: string, value: T): T {
    const end = this.pos + word.length;
    if (!this.text.startsWith(word, this.pos) || isWordChar(this.text.charCodeAt(end))) {
      let tokenEnd = this.pos;
      while (isWordChar(this.text.charCodeAt(tokenEnd))) tokenEnd++;
      const token = this.text.slice(this.pos, tokenEnd);
      this.fail(`Unrecognized token '${token}': was expecting (JSON String, Number, Array, Object or token)`);
    }
    this.pos = end;
    return value;
  }

  private object(depth: number): JsonObject {
    const object = new JsonObject();
    object.start = this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      object.end = ++this.pos;
      return object;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.unexpected('was expecting double-quote to start field name');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':')
        this.unexpected('was expecting a colon to separate field name and value');
      this.pos++;
      this.skipWhitespace();
      object.fields.set(key, this.value(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === '}') {
        object.end = ++this.pos;
        return object;
      }
      if (next !== ',') this.unexpected('was expecting comma to separate Object entries');
      this.pos++;
      this.skipWhitespace();
    }
  }

  private array(depth: number): JsonNode[] {
    const items: JsonNode[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === ']') {
        this.pos++;
        return items;
      }
      if (next !== ',') this.unexpected('was expecting comma to separate Array entries');
      this.pos++;
      this.skipWhitespace();
    }
  }

  private string(): string {
    const start = ++this.pos;
    let out = '';
    let chunk = start;
    for (;;) {
      const code = this.text.charCodeAt(this.pos);
      if (Number.isNaN(code))
        this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
      if (code === 0x22) {
        out += this.text.slice(chunk, this.pos++);
        return out;
      }
      if (code < 0x20) {
        this.fail(
          `Illegal unquoted character ((CTRL-CHAR, code ${code})): has to be escaped using backslash`,
        );
      }
      if (code === 0x5c) {
        out += this.text.slice(chunk, this.pos);
        const e = this.text[this.pos + 1] ?? '';
        if (e === 'u') {
          const hex = this.text.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Unexpected character in unicode escape sequence');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 6;
        } else {
          const decoded = ESCAPES[e];
          if (decoded === undefined) this.fail(`Unrecognized character escape '${e}'`);
          out += decoded;
          this.pos += 2;
        }
        chunk = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private number(): JsonNumber {
    const start = this.pos;
    const digits = () => {
      const from = this.pos;
      while (isDigit(this.text.charCodeAt(this.pos))) this.pos++;
      return this.pos - from;
    };
    if (this.text[this.pos] === '-') this.pos++;
    const leadingZero = this.text[this.pos] === '0';
    const whole = digits();
    if (whole === 0) this.unexpected('expected digit (0-9) to follow minus sign, for valid numeric value');
    if (leadingZero && whole > 1) this.fail('Invalid numeric value: Leading zeroes not allowed', start);
    let integral = true;
    if (this.text[this.pos] === '.') {
      integral = false;
      this.pos++;
      if (digits() === 0) this.unexpected('Decimal point not followed by a digit');
    }
    if (this.text[this.pos] === 'e' || this.text[this.pos] === 'E') {
      integral = false;
      this.pos++;
      if (this.text[this.pos] === '+' || this.text[this.pos] === '-') this.pos++;
      if (digits() === 0) this.unexpected('Exponent indicator not followed by a digit');
    }
    return new JsonNumber(this.text.slice(start, this.pos), integral);
  }
}

const SHORT_ESCAPES: Record<number, string> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
};

/**
 * A JSON string literal as Jackson writes it: short escapes, other control characters as \u00XX, and
 * characters beyond the BMP as escaped surrogate pairs (\uD83D\uDE00), Jackson's default.
 */
export function quoteJson(text: string): string {
  let out = '"';
  let chunk = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code !== 0x22 && code !== 0x5c && (code < 0xd800 || code > 0xdfff)) continue;
    out +=
      text.slice(chunk, i) +
      (SHORT_ESCAPES[code] ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`);
    chunk = i + 1;
  }
  return `${out}${text.slice(chunk)}"`;
}
