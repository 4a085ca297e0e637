import { describe, expect, it } from 'vitest';
import { parseProperties, withPrefix } from './properties.ts';

describe('properties files', () => {
  it('reads Java .properties semantics: separators, continuations, comments, escapes', () => {
    expect(parseProperties('# c\na=1\nb : two\\\n   lines\nc three\n! also\nd=\\u0041\n')).toEqual({
      a: '1',
      b: 'twolines',
      c: 'three',
      d: 'A',
    });
  });

  it('names the file and line of a malformed escape', () => {
    expect(() => parseProperties('a=1\nb=2\nbad=\\u12G4\n', 'worker.properties')).toThrow(
      /^worker\.properties:3: .*\\u12G4.*four hex digits/,
    );
  });

  it('selects settings by prefix', () => {
    expect(
      withPrefix({ 'value.converter.schemas.enable': 'false', 'value.converter': 'x' }, 'value.converter.'),
    ).toEqual({
      'schemas.enable': 'false',
    });
  });
});
