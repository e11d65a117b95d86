import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { isJwt } from '../../main/tokens/token-format';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('isJwt', () => {
  it('recognises signed and unsecured JWTs by their JOSE header', async () => {
    const signed = await new SignJWT({ sub: 'u' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('k'.repeat(32)));
    expect(isJwt(signed)).toBe(true);
    expect(isJwt(new UnsecuredJWT({ sub: 'u' }).encode())).toBe(true);
  });

  it('is not fooled by dots: Salesforce opaque tokens and three-part strings without a JOSE header are not JWTs', () => {
    expect(isJwt('00D000000000062!AQ0123456789.abc.def')).toBe(false);
    expect(isJwt('a.b.c')).toBe(false);
    expect(isJwt(`${b64({ typ: 'JWT' })}.${b64({})}.`)).toBe(false);
    expect(isJwt(`${b64({ alg: 7 })}.${b64({})}.`)).toBe(false);
    expect(isJwt(`${b64({ alg: 'RS256' })}.${b64({})}`)).toBe(false);
    expect(isJwt(`${b64({ alg: 'RS256' })}.${b64({})}.sig.extra`)).toBe(false);
    expect(isJwt('')).toBe(false);
  });
});
