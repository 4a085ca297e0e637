import { describe, expect, it } from 'vitest';
import { DataException } from '../../api/index.ts';
import { FORMAT_CASES, PARSE_CASES, PARSE_NOW } from './simple-date-format.java-cases.ts';
import { IllegalArgumentException } from './java-exceptions.ts';
import { SimpleDateFormat } from './simple-date-format.ts';

describe('SimpleDateFormat', () => {
  it.each(FORMAT_CASES)('formats with %j at %d as Java does', (pattern, millis, expected) => {
    expect(new SimpleDateFormat(pattern).format(millis)).toBe(expected);
  });

  it.each(PARSE_CASES)('parses with %j the text %j as Java does', (pattern, text, expected) => {
    expect(new SimpleDateFormat(pattern).parse(text, PARSE_NOW)).toBe(expected);
  });

  it('refuses the patterns Java refuses, with its messages', () => {
    expect(() => new SimpleDateFormat('yyyy-qq')).toThrow(
      new IllegalArgumentException("Illegal pattern character 'q'"),
    );
    expect(() => new SimpleDateFormat("yyyy 'at")).toThrow(
      new IllegalArgumentException('Unterminated quote'),
    );
    expect(() => new SimpleDateFormat('XXXX')).toThrow(
      new IllegalArgumentException('invalid ISO 8601 format: length=4'),
    );
    expect(new SimpleDateFormat("'q'yyyy").format(0)).toBe('q1970');
  });

  it('keeps its pattern (toPattern)', () => {
    expect(new SimpleDateFormat("yyyy-MM-dd'T'HH").toPattern()).toBe("yyyy-MM-dd'T'HH");
  });

  it('says so when asked to parse week fields, which Weir does not', () => {
    expect(() => new SimpleDateFormat("YYYY-'W'ww").parse('2024-W03')).toThrow(DataException);
  });
});
