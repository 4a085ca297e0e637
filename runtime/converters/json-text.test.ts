import { describe, expect, it } from 'vitest';
import { JsonNumber, JsonObject, JsonSyntaxError, nodeType, parseJson, quoteJson } from './json-text.ts';

describe('parseJson', () => {
  it('keeps number text, key order and object spans', () => {
    const text = ' {"b":[1,-2.50e3,99999999999999999999],"a":{"x":null},"1":true} ';
    const node = parseJson(text) as JsonObject;
    expect([...node.fields.keys()]).toEqual(['b', 'a', '1']);
    expect(node.fields.get('b')).toEqual([
      new JsonNumber('1', true),
      new JsonNumber('-2.50e3', false),
      new JsonNumber('99999999999999999999', true),
    ]);
    const inner = node.fields.get('a') as JsonObject;
    expect(text.slice(inner.start, inner.end)).toBe('{"x":null}');
    expect(text.slice(node.start, node.end)).toBe(text.trim());
  });

  it('decodes string escapes', () => {
    expect(parseJson('"a\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00"')).toBe('a"b\\c/d\né😀');
  });

  it('reads the first value only, and nothing from blank text, as Jackson', () => {
    expect(parseJson('1 2')).toEqual(new JsonNumber('1', true));
    expect(parseJson('{} x')).toBeInstanceOf(JsonObject);
    expect(parseJson(' \n\t')).toBeUndefined();
  });

  it.each([
    [
      '{bad',
      "Unexpected character ('b' (code 98)): was expecting double-quote to start field name at line 1, column 2",
    ],
    ['[1,]', 'expected a valid value'],
    ['01', 'Leading zeroes not allowed'],
    ['1.', 'Decimal point not followed by a digit'],
    ['-', 'Unexpected end-of-input'],
    ['NaN', 'expected a valid value'],
    ['tru', "Unrecognized token 'tru'"],
    ['truex', "Unrecognized token 'truex'"],
    ['"a\u0001"', 'Illegal unquoted character'],
    ['"abc', 'was expecting closing quote'],
    ['"\\x"', "Unrecognized character escape 'x'"],
    ['{"a" 1}', 'was expecting a colon'],
    ['[1 2]', 'was expecting comma to separate Array entries'],
    ['\n\n  }', 'at line 3, column 3'],
    ['['.repeat(1002), 'nesting depth'],
  ])('refuses %s', (text, message) => {
    expect(() => parseJson(text)).toThrow(JsonSyntaxError);
    expect(() => parseJson(text)).toThrow(message);
  });

  it('names node types as Jackson does', () => {
    expect(
      [undefined, null, true, 's', new JsonNumber('1', true), [], new JsonObject()].map(nodeType),
    ).toEqual(['MISSING', 'NULL', 'BOOLEAN', 'STRING', 'NUMBER', 'ARRAY', 'OBJECT']);
  });
});

describe('quoteJson', () => {
  it('escapes as Jackson writes', () => {
    expect(quoteJson('plain é €')).toBe('"plain é €"');
    expect(quoteJson('"\\\b\f\n\r\t\u0001\u001f/')).toBe('"\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001F/"');
    expect(JSON.parse(quoteJson('x\u0000y'))).toBe('x\u0000y');
    expect(quoteJson('é😀')).toBe('"é\\uD83D\\uDE00"');
  });
});
