import { describe, expect, it } from 'vitest';
import { needsRotation, newSessionKey, sign, verify } from './session-keys.ts';

describe('session keys', () => {
  it('verifies a body signed with the same key and refuses others', () => {
    const key = newSessionKey(1000);
    const body = '[{"topic":"a"}]';
    expect(verify(body, sign(body, key), 'HmacSHA256', key)).toBeNull();
    expect(verify(`${body} `, sign(body, key), 'HmacSHA256', key)).toMatch(/invalid signature/);
    expect(verify(body, sign(body, newSessionKey()), 'HmacSHA256', key)).toMatch(/invalid signature/);
    expect(verify(body, undefined, undefined, key)).toMatch(/missing/);
    expect(verify(body, sign(body, key), 'HmacMD5', key)).toMatch(/not supported/);
    expect(verify(body, sign(body, key), 'HmacSHA256', null)).toMatch(/no session key/);
  });

  it('rotates when there is no key or it has expired', () => {
    expect(needsRotation(null, 1000, 5000)).toBe(true);
    expect(needsRotation(newSessionKey(4500), 1000, 5000)).toBe(false);
    expect(needsRotation(newSessionKey(4000), 1000, 5000)).toBe(true);
  });
});
