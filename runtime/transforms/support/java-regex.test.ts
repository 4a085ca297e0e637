import { describe, expect, it } from 'vitest';
import { JavaPattern } from './java-regex.ts';

/** [pattern, topic, replacement, what Java 17 gives: '=' + replaceFirst after matches(), NOMATCH, or ERR class: message]. */
const JAVA_CASES: readonly [string, string, string, string][] = [
  ['(.*)-(.*)', 'foo-bar', '$2_$1', '=bar_foo'],
  ['a|ab', 'ab', 'X', '=Xb'],
  ['(a)', 'a', '$', 'ERR IllegalArgumentException: Illegal group reference: group index is missing'],
  ['(a)', 'a', '$x', 'ERR IllegalArgumentException: Illegal group reference'],
  ['(a)', 'a', '\\', 'ERR IllegalArgumentException: character to be escaped is missing'],
  ['(a)', 'a', '$2', 'ERR IndexOutOfBoundsException: No group 2'],
  ['(a)', 'a', '$10', '=a0'],
  ['(?<n>a)', 'a', '${n}${m}', 'ERR IllegalArgumentException: No group with name {m}'],
  ['(a', 'a', 'x', 'ERR PatternSyntaxException: Unclosed group near index 2\n(a'],
  ['*a', 'a', 'x', "ERR PatternSyntaxException: Dangling meta character '*' near index 0\n*a\n^"],
  ['[a', 'a', 'x', 'ERR PatternSyntaxException: Unclosed character class near index 1\n[a\n ^'],
  ['(?<n>a)', 'a', '${}', 'ERR IllegalArgumentException: named capturing group has 0 length name'],
  ['(?<n>a)', 'a', '${n', "ERR IllegalArgumentException: named capturing group is missing trailing '}'"],
  [
    '(?<n>a)',
    'a',
    '${1n}',
    'ERR IllegalArgumentException: capturing group name {1n} starts with digit character',
  ],
  ['(?<n>a)b', 'ab', '[${n}]', '=[a]'],
  ['(a)(b)?', 'a', '<$1|$2>', '=<a|>'],
  ['(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)', 'abcdefghij', '$10-$11', '=j-a1'],
  ['.*', 'topic', '\\$1\\\\x', '=$1\\x'],
  ['\\Qa.b\\E.*', 'a.bc', 'q', '=q'],
  ['\\Qa.b\\E.*', 'axbc', 'q', 'NOMATCH'],
  ['[a-c]+\\d{2,}', 'abc12', 'X$0X', '=Xabc12X'],
  ['(?i)TOPIC', 'topic', 'up', '=up'],
  ['\\Atopic\\z', 'topic', 'ok', '=ok'],
  ['\\p{Lower}+', 'abc', 'ok', '=ok'],
  ['\\p{Alpha}+', 'aBc', 'ok', '=ok'],
  ['[\\p{Digit}x]+', '1x2', 'ok', '=ok'],
  ['[]a]+', ']a', 'ok', '=ok'],
  ['[^]a]+', 'bc', 'ok', '=ok'],
  ['a{2}', 'aa', 'ok', '=ok'],
  ['a{,2}', 'aa', 'ok', 'ERR PatternSyntaxException: Illegal repetition near index 2\na{,2}\n  ^'],
  ['a{', 'a', 'x', 'ERR PatternSyntaxException: Illegal repetition near index 2\na{'],
  [')', 'a', 'x', "ERR PatternSyntaxException: Unmatched closing ')'\n)"],
  ['(?:a)+?b', 'aab', '$0', '=aab'],
  ['\\x{41}', 'A', 'ok', '=ok'],
  ['\\0101', 'A', 'ok', '=ok'],
  ['\\h', ' ', 'ok', '=ok'],
  ['a/b', 'a/b', 'ok', '=ok'],
  ['(?<year>\\d{4})-(?<m>\\d\\d)', '2024-05', '${m}/${year}', '=05/2024'],
  ['logs-.*', 'logs-2024', '$0-archived', '=logs-2024-archived'],
  ['prod\\.(.*)', 'prod.orders', '$1', '=orders'],
  ['[a-', 'a', 'x', 'ERR PatternSyntaxException: Illegal character range near index 3\n[a-'],
  ['[z-a]', 'a', 'x', 'ERR PatternSyntaxException: Illegal character range near index 3\n[z-a]\n   ^'],
  ['[a-\\]', 'a', 'x', 'ERR PatternSyntaxException: Illegal character range near index 4\n[a-\\]\n    ^'],
];

function weir(pattern: string, topic: string, replacement: string): string {
  try {
    const regex = new JavaPattern(pattern);
    return regex.matches(topic) ? `=${regex.replaceFirst(topic, replacement)}` : 'NOMATCH';
  } catch (error) {
    return `ERR ${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('JavaPattern', () => {
  it.each(JAVA_CASES)('%j on %j with %j as Java', (pattern, topic, replacement, java) => {
    expect(weir(pattern, topic, replacement)).toBe(java);
  });

  it.each(['a*+', '(?>a)', '[a-z&&[^b]]+', '[[a]b]', '\\p{L}+', 'a(?i)b'])(
    'refuses %j, which JavaScript cannot do, saying what to change',
    (pattern) => {
      expect(() => new JavaPattern(pattern)).toThrow(
        /^Weir cannot use the Java regular expression .*; write it without$/,
      );
    },
  );
});
