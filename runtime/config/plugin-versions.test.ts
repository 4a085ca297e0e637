import { describe, expect, it } from 'vitest';
import { compareVersions, parseVersionRequirement, satisfies, versionMismatch } from './plugin-versions.ts';

describe('plugin version requirements', () => {
  it('reads a bare version as a hard requirement, as Java encloses it in brackets', () => {
    expect(parseVersionRequirement('4.3.1')?.text).toBe('[4.3.1,4.3.1]');
    expect(satisfies('4.3.1', parseVersionRequirement('4.3.1'))).toBe(true);
    expect(satisfies('4.3.1', parseVersionRequirement('4.3'))).toBe(false);
    expect(parseVersionRequirement('latest')).toBeNull();
    expect(parseVersionRequirement(undefined)).toBeNull();
  });

  it('reads Maven ranges, open and closed, and lists of them', () => {
    const cases: [string, boolean][] = [
      ['[4.0,5.0)', true],
      ['[4.3.1]', true],
      ['(4.3.1,5)', false],
      ['[5.0,)', false],
      ['(,4.3.1]', true],
      ['(,4.3.1)', false],
      ['[1,2),[4,5)', true],
      ['[4.3,4.4)', true],
    ];
    for (const [spec, ok] of cases)
      expect([spec, satisfies('4.3.1', parseVersionRequirement(spec))]).toEqual([spec, ok]);
  });

  it("refuses what is not a version or range with Maven's message", () => {
    expect(() => parseVersionRequirement('[1,')).toThrow('Unbounded range: [1,');
    expect(() => parseVersionRequirement('[2,1]')).toThrow('Range defies version ordering');
  });

  it('orders versions by their numbers', () => {
    expect(compareVersions('4.10', '4.9')).toBeGreaterThan(0);
    expect(compareVersions('4.3', '4.3.0')).toBe(0);
    expect(compareVersions('4.3.1-rc1', '4.3.1')).toBeLessThan(0);
  });

  it('says what Java says when the one version does not match, and what to do', () => {
    expect(versionMismatch('org.example.C', '4.3.1', '[4.0,5.0)')).toBeUndefined();
    expect(versionMismatch('org.example.C', '4.3.1', '5.0')).toMatch(
      /^Plugin org.example.C not found that matches the version range \[5.0,5.0\], available versions: \[4.3.1\]\. .*set 4.3.1/,
    );
  });
});
