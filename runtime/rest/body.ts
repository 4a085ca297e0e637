// Request bodies: JSON only. A malformed body is a 400 that says where parsing failed (line, column and
// position), which JSON.parse alone does not always tell.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { badRequest } from '../errors.ts';
import { unsupportedMediaType } from './errors.ts';

const BODY_LIMIT = '16mb';

function isJsonType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Reads every request body as text into `req.body`. A body with a Content-Type other than JSON is
 * refused with 415, as Apache Kafka Connect does (on every route); a body without one is read as JSON.
 * Routes that take a body parse it with parseBody; the others drop it unread (ignoreBody), as Jersey
 * never reads the entity of a resource method without an entity parameter.
 */
export function jsonBody(): RequestHandler[] {
  const checkType = (req: Request, _res: Response, next: NextFunction): void => {
    const contentType = req.headers['content-type'];
    if (contentType !== undefined && hasBody(req) && !isJsonType(contentType)) {
      next(unsupportedMediaType(contentType));
      return;
    }
    next();
  };
  return [checkType, express.text({ type: () => true, limit: BODY_LIMIT, defaultCharset: 'utf-8' })];
}

/** Parses the body text as JSON into `req.body` (undefined when empty). */
export function parseBody(req: Request, _res: Response, next: NextFunction): void {
  const text: unknown = req.body;
  if (typeof text !== 'string' || text.trim() === '') {
    req.body = undefined;
    next();
    return;
  }
  try {
    req.body = parseJson(text);
    next();
  } catch (error) {
    next(error);
  }
}

/** For routes without a body: whatever was sent is neither parsed nor forwarded. */
export function ignoreBody(req: Request, _res: Response, next: NextFunction): void {
  req.body = undefined;
  next();
}

/** As Jackson's StreamReadConstraints in Java: deeper documents are refused before they are read. */
export const MAX_NESTING_DEPTH = 1000;

/** Where `text` opens its (MAX_NESTING_DEPTH + 1)th nested array or object, or -1; strings are skipped. */
export function tooDeepAt(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      if (++depth > MAX_NESTING_DEPTH) return i;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return -1;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column} (position ${position})`;
}

/**
 * JSON.parse, with a WEIR_BAD_REQUEST naming line, column and position on failure. A document nested
 * deeper than Java accepts is refused first: the error-position scan below recurses per level.
 */
export function parseJson(text: string): unknown {
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    throw badRequest(
      `Malformed JSON request body: nesting depth exceeds the maximum allowed (${MAX_NESTING_DEPTH}) at ${lineAndColumn(text, deep)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = jsonErrorPosition(text);
    const reason = (error instanceof Error ? error.message : String(error))
      // V8 quotes the whole input ("…" is not valid JSON) or appends the position; we say it once.
      .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '')
      .replace(/ (?:in JSON )?at position \d+.*$/s, '')
      .replace(/ of JSON input$/, ' of input');
    throw badRequest(`Malformed JSON request body: ${reason} at ${lineAndColumn(text, position)}`);
  }
}

class JsonSyntaxError extends Error {
  readonly position: number;
  constructor(position: number) {
    super('JSON syntax error');
    this.position = position;
  }
}

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** The offset of the first character at which `text` stops being valid JSON (text.length at a premature end). */
export function jsonErrorPosition(text: string): number {
  let i = 0;
  const fail = (at = i): never => {
    throw new JsonSyntaxError(at);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const expect = (char: string): void => {
    skipSpace();
    if (text[i] !== char) fail();
    i++;
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const char = text[i] as string;
      if (char === '"') break;
      if (char < ' ') fail();
      if (char === '\\') {
        const escaped = text[i + 1];
        if (escaped === 'u') {
          for (let k = 2; k < 6; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) fail(i + k);
          i += 4;
        } else if (escaped === undefined || !ESCAPES.has(escaped)) fail(i + 1);
        i++;
      }
      i++;
    }
    i++;
  };
  const value = (): void => {
    skipSpace();
    const char = text[i];
    if (char === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') return void i++;
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail();
        string();
        expect(':');
        value();
        skipSpace();
        if (text[i] === '}') return void i++;
        if (text[i] !== ',') fail();
        i++;
      }
    }
    if (char === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        skipSpace();
        if (text[i] === ']') return void i++;
        if (text[i] !== ',') fail();
        i++;
      }
    }
    if (char === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (char === literal[0]) {
        for (let k = 0; k < literal.length; k++) if (text[i + k] !== literal[k]) fail(i + k);
        i += literal.length;
        return;
      }
    }
    number();
  };
  const digits = (): void => {
    if (!isDigit(text[i])) fail();
    while (isDigit(text[i])) i++;
  };
  const number = (): void => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  try {
    value();
    skipSpace();
    return i < text.length ? i : text.length;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return Math.min(error.position, text.length);
    throw error;
  }
}
