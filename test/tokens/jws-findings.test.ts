/**
 * What a JWS says about its own safety: alg none, shared-secret and unusual algorithms, keys the header
 * names itself, an empty signature, and times against the clock.
 */
import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { inspectToken } from '../../main/tokens/inspect-token';
import { jwsFindings, type JwsFacts } from '../../main/tokens/jws-findings';
import type { JwsInspection } from '../../preload/contract';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const NOW_S = NOW / 1000;

function jws(raw: string): JwsInspection {
  const r = inspectToken(raw, NOW);
  if (r.kind !== 'jws') throw new Error(`expected a JWS, got ${r.kind}`);
  return r;
}

describe('jwsFindings', () => {
  it('flags alg none as dangerous and labels it unsigned', () => {
    const token = new UnsecuredJWT({ sub: 'x' }).setExpirationTime(NOW_S + 60).encode();
    const r = jws(token);
    expect(r.alg).toBe('none');
    expect(r.findings).toContainEqual(
      expect.objectContaining({ severity: 'danger', message: expect.stringMatching(/unsigned/) }),
    );
  });

  it('warns about HS256, unusual algorithms, header-supplied keys and an empty signature', () => {
    const hs = jws(`${b64({ alg: 'HS256' })}.${b64({ sub: 'a', exp: NOW_S + 10 })}.${b64('sig')}`);
    expect(hs.findings.some((f) => f.severity === 'warning' && /shared-secret/.test(f.message))).toBe(true);
    const odd = jws(
      `${b64({ alg: 'RS1', jku: 'https://evil.example/jwks' })}.${b64({ exp: NOW_S + 10 })}.${b64('sig')}`,
    );
    expect(odd.findings.map((f) => f.message).join(' ')).toMatch(/Unusual algorithm "RS1".*names its own key/);
    const empty = jws(`${b64({ alg: 'RS256' })}.${b64({ exp: NOW_S + 10 })}.`);
    expect(empty.findings).toContainEqual(
      expect.objectContaining({ severity: 'danger', message: expect.stringMatching(/signature part is empty/) }),
    );
  });

  it('says when a token expired, is not valid yet, or never expires', () => {
    expect(
      jws(`${b64({ alg: 'RS256' })}.${b64({ exp: NOW_S - 7200 })}.${b64('s')}`).findings.map((f) => f.message),
    ).toContain('This token has expired.');
    expect(
      jws(`${b64({ alg: 'RS256' })}.${b64({ nbf: NOW_S + 600, exp: NOW_S + 900 })}.${b64('s')}`)
        .findings.map((f) => f.message)
        .join(),
    ).toMatch(/not valid yet/);
    expect(
      jws(`${b64({ alg: 'RS256' })}.${b64({ sub: 'x' })}.${b64('s')}`)
        .findings.map((f) => f.message)
        .join(),
    ).toMatch(/does not expire/);
  });

  it('finds nothing to say about a current RS256 token, and flags an "iat" more than 5 minutes ahead', () => {
    const facts: JwsFacts = {
      header: { alg: 'RS256', kid: '1' },
      alg: 'RS256',
      signatureBytes: 256,
      expiresAt: NOW_S + 600,
      issuedAt: NOW_S + 300,
      notBefore: NOW_S,
    };
    expect(jwsFindings(facts, NOW_S)).toEqual([]);
    expect(jwsFindings({ ...facts, issuedAt: NOW_S + 301 }, NOW_S)).toEqual([
      { severity: 'warning', message: '"iat" is in the future: the issuer’s clock or the token is wrong.' },
    ]);
  });

  it('says a token without "alg" cannot be checked', () => {
    const findings = jwsFindings(
      { header: {}, alg: null, signatureBytes: 0, expiresAt: NOW_S + 60, issuedAt: null, notBefore: null },
      NOW_S,
    );
    expect(findings).toEqual([
      { severity: 'danger', message: 'The header has no "alg": no verifier can check this token.' },
    ]);
  });
});
