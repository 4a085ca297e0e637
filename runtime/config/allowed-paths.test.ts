import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedPaths } from './allowed-paths.ts';

describe("allowed.paths (Kafka's AllowedPaths)", () => {
  const root = mkdtempSync(join(tmpdir(), 'allowed-'));
  const secrets = join(root, 'secrets');
  mkdirSync(join(secrets, 'db'), { recursive: true });
  mkdirSync(join(root, 'secrets-old'));
  mkdirSync(join(root, 'other'));
  writeFileSync(join(root, 'other', 'token'), 'x');
  const setting = 'config.providers.file.param.allowed.paths';

  it('allows every path when not set or empty', () => {
    expect(allowedPaths(undefined, setting).parseUntrustedPath('/proc/self/environ')).toBe(
      '/proc/self/environ',
    );
    expect(allowedPaths('', setting).paths).toBeNull();
  });

  it('allows the paths themselves and what lies beneath them, component by component', () => {
    const allowed = allowedPaths(`${secrets},${join(root, 'other', 'token')}`, setting);
    expect(allowed.parseUntrustedPath(secrets)).toBe(secrets);
    expect(allowed.parseUntrustedPath(join(secrets, 'db'))).toBe(join(secrets, 'db'));
    expect(allowed.parseUntrustedPath(`${secrets}/db/`)).toBe(join(secrets, 'db'));
    expect(allowed.parseUntrustedPath(join(root, 'other', 'token'))).toBe(join(root, 'other', 'token'));
    expect(allowed.parseUntrustedPath(join(root, 'secrets-old'))).toBeNull();
    expect(allowed.parseUntrustedPath(join(root, 'other'))).toBeNull();
    expect(allowed.parseUntrustedPath('/proc/self')).toBeNull();
  });

  it('normalizes `.` and `..` before it compares, so no path climbs out of an allowed one', () => {
    const allowed = allowedPaths(`${secrets}/./db/..`, setting);
    expect(allowed.paths).toEqual([secrets]);
    expect(allowed.parseUntrustedPath(`${secrets}/../other`)).toBeNull();
    expect(allowed.parseUntrustedPath(`${secrets}/db/../../secrets/./db`)).toBe(join(secrets, 'db'));
    expect(allowed.parseUntrustedPath(`${secrets}/../../../proc/self`)).toBeNull();
    expect(allowed.parseUntrustedPath('secrets/db')).toBeNull(); // relative: never allowed
  });

  it('compares paths as written, without following symlinks (as Kafka)', () => {
    symlinkSync(join(root, 'other'), join(secrets, 'link'));
    symlinkSync(secrets, join(root, 'to-secrets'));
    const allowed = allowedPaths(secrets, setting);
    // A symlink inside an allowed folder is read through (Kubernetes mounts Secret keys as symlinks).
    expect(allowed.parseUntrustedPath(join(secrets, 'link'))).toBe(join(secrets, 'link'));
    // A symlink outside to an allowed folder is not allowed: its own path is not under one.
    expect(allowed.parseUntrustedPath(join(root, 'to-secrets'))).toBeNull();
    // `..` after a symlink is taken out as written, not after the link.
    expect(allowed.parseUntrustedPath(join(secrets, 'link', '..', 'db'))).toBe(join(secrets, 'db'));
  });

  it("refuses a relative or missing path with Kafka's message", () => {
    expect(() => allowedPaths('relative/dir', setting)).toThrow(/Path relative\/dir is not absolute/);
    expect(() => allowedPaths(join(root, 'missing'), setting)).toThrow(
      new RegExp(
        `Invalid value .* for configuration ${setting.replace(/\./g, '\\.')}: Path .*missing does not exist`,
      ),
    );
  });
});
