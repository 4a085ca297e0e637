import { describe, expect, it } from 'vitest';
import { redactSecrets, rememberSecret } from './secrets.ts';

describe('resolved secrets', () => {
  it('are shown as the placeholder they came from, also JSON-escaped and line by line', () => {
    rememberSecret('${file:/s/db.properties:password}', 'pa"ss-word-1');
    rememberSecret('${directory:/proc/self:environ}', 'HOME=/home/u\0WEIR_REST_TOKEN=tok-42\0X=1');
    expect(redactSecrets('login failed for pa"ss-word-1')).toBe(
      'login failed for ${file:/s/db.properties:password}',
    );
    expect(redactSecrets(JSON.stringify({ msg: 'bad: pa"ss-word-1' }))).toBe(
      JSON.stringify({ msg: 'bad: ${file:/s/db.properties:password}' }),
    );
    expect(redactSecrets("ENOENT: open 'WEIR_REST_TOKEN=tok-42'")).toBe(
      "ENOENT: open '${directory:/proc/self:environ}'",
    );
    // Too short to hide without making text unreadable.
    expect(redactSecrets('X=1')).toBe('X=1');
  });
});
