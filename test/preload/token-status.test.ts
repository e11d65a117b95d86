import { describe, expect, it } from 'vitest';
import { EXPIRING_SOON_MS, NO_EVIDENCE, listItemOf, orgStatusAt, tokenStatusAt } from '../../preload/token-status';
import type { OrgSummary, TokenEvidence, TokenStatus, TokenSummary } from '../../preload/contract';

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;
const access = (status: TokenStatus, expiresAt: number | null) => ({ kind: 'access' as const, status, expiresAt });
const refresh = (status: TokenStatus, expiresAt: number | null = null) => ({
  kind: 'refresh' as const,
  status,
  expiresAt,
});

describe('tokenStatusAt', () => {
  it('revoked stays revoked, a past expiry is expired, a known future expiry is active', () => {
    expect(tokenStatusAt({ status: 'revoked', expiresAt: NOW + HOUR }, NOW)).toBe('revoked');
    expect(tokenStatusAt({ status: 'active', expiresAt: NOW }, NOW)).toBe('expired');
    expect(tokenStatusAt({ status: 'unknown', expiresAt: NOW - 1 }, NOW)).toBe('expired');
    expect(tokenStatusAt({ status: 'unknown', expiresAt: NOW + 1 }, NOW)).toBe('active');
  });

  it('without an expiry, keeps what the server last said', () => {
    expect(tokenStatusAt({ status: 'unknown', expiresAt: null }, NOW)).toBe('unknown');
    expect(tokenStatusAt({ status: 'active', expiresAt: null }, NOW)).toBe('active');
    expect(tokenStatusAt({ status: 'expired', expiresAt: null }, NOW)).toBe('expired');
    expect(tokenStatusAt({ status: 'expired', expiresAt: NOW + HOUR }, NOW)).toBe('expired');
  });
});

describe('orgStatusAt', () => {
  it('an org marked for sign-in, or with no tokens, needs sign-in', () => {
    expect(orgStatusAt([access('active', NOW + HOUR)], true, NOW)).toBe('needs-sign-in');
    expect(orgStatusAt([], false, NOW)).toBe('needs-sign-in');
    expect(orgStatusAt([], false, NOW, true)).toBe('needs-sign-in');
  });

  it('is connected, then expiring in the last ten minutes of the access token', () => {
    expect(orgStatusAt([access('active', NOW + HOUR)], false, NOW)).toBe('connected');
    expect(orgStatusAt([access('active', NOW + EXPIRING_SOON_MS)], false, NOW)).toBe('connected');
    expect(orgStatusAt([access('active', NOW + EXPIRING_SOON_MS - 1)], false, NOW)).toBe('expiring');
    expect(orgStatusAt([access('unknown', null)], false, NOW)).toBe('connected');
  });

  it('an expired access token is "expired" while something can renew it, else needs sign-in', () => {
    const expired = access('active', NOW - 1);
    expect(orgStatusAt([expired], false, NOW)).toBe('needs-sign-in');
    expect(orgStatusAt([expired, refresh('unknown')], false, NOW)).toBe('expired');
    expect(orgStatusAt([expired, refresh('revoked')], false, NOW)).toBe('needs-sign-in');
    expect(orgStatusAt([expired], false, NOW, true)).toBe('expired');
  });

  it('a revoked access token is "revoked" unless something can renew it, then "access-revoked"', () => {
    const revoked = access('revoked', NOW + HOUR);
    expect(orgStatusAt([revoked], false, NOW)).toBe('revoked');
    expect(orgStatusAt([revoked, refresh('revoked')], false, NOW)).toBe('revoked');
    expect(orgStatusAt([revoked, refresh('active')], false, NOW)).toBe('access-revoked');
    expect(orgStatusAt([revoked], false, NOW, true)).toBe('access-revoked');
    // Only a refresh token left: the next Refresh gets an access token.
    expect(orgStatusAt([refresh('unknown')], false, NOW)).toBe('expired');
    expect(orgStatusAt([refresh('revoked')], false, NOW)).toBe('revoked');
  });
});

describe('status from evidence', () => {
  const withEvidence = (evidence: Partial<TokenEvidence>, expiresAt: number | null = NOW + HOUR) => ({
    kind: 'access' as const,
    status: 'active' as const,
    expiresAt,
    evidence: { ...NO_EVIDENCE, ...evidence },
  });

  it('is revoked when this app revoked it, its refresh token took it along, or the token endpoint refused it', () => {
    expect(tokenStatusAt(withEvidence({ revoked: { at: NOW, by: 'self' } }), NOW)).toBe('revoked');
    expect(tokenStatusAt(withEvidence({ revoked: { at: NOW, by: 'refresh_token' } }), NOW)).toBe('revoked');
    const refused = { at: NOW, by: 'token_endpoint' as const, code: null, httpStatus: 400 };
    expect(tokenStatusAt(withEvidence({ refused }, null), NOW)).toBe('revoked');
  });

  it('follows introspection: inactive before its expiry is revoked, after it expired; active without an expiry', () => {
    expect(tokenStatusAt(withEvidence({ introspected: { at: NOW, active: false } }), NOW)).toBe('revoked');
    expect(tokenStatusAt(withEvidence({ introspected: { at: NOW, active: false } }, NOW - 1), NOW)).toBe('expired');
    expect(
      tokenStatusAt({ ...withEvidence({ introspected: { at: NOW, active: true } }, null), status: 'unknown' }, NOW),
    ).toBe('active');
  });

  it('turns expired on the clock, and when an API refused it', () => {
    const token = withEvidence({ expirySource: 'jwt_exp' });
    expect(tokenStatusAt(token, NOW)).toBe('active');
    expect(tokenStatusAt(token, NOW + HOUR)).toBe('expired');
    const refused = { at: NOW, by: 'api' as const, code: null, httpStatus: 401 };
    expect(tokenStatusAt(withEvidence({ refused }), NOW)).toBe('expired');
  });

  it('makes the org badge a function of the tokens: a revoked access token with a live refresh token is access-revoked', () => {
    const revoked = withEvidence({ revoked: { at: NOW, by: 'self' } });
    expect(orgStatusAt([revoked, refresh('active')], false, NOW)).toBe('access-revoked');
    const refusedRefresh = {
      ...refresh('active'),
      evidence: { ...NO_EVIDENCE, refused: { at: NOW, by: 'token_endpoint' as const, code: null, httpStatus: null } },
    };
    expect(orgStatusAt([revoked, refusedRefresh], false, NOW)).toBe('revoked');
  });
});

describe('listItemOf', () => {
  const token = (kind: TokenSummary['kind'], hint: string): TokenSummary => ({
    kind,
    format: 'opaque',
    scopes: ['api', 'refresh_token'],
    issuedAt: 1,
    expiresAt: kind === 'access' ? 5 : null,
    status: 'active',
    lastCheckedAt: 3,
    hint,
    evidence: NO_EVIDENCE,
    previousReplacedAt: null,
  });
  it("keeps the first access, refresh and ID token's status facts, and nothing else of them", () => {
    const org = {
      id: 'o',
      status: 'connected',
      tokens: [token('id', 'i'), token('access', 'a1'), token('access', 'a2'), token('refresh', 'r')],
    } as unknown as OrgSummary;
    const item = listItemOf(org);
    expect(item.tokens).toEqual([
      { kind: 'access', status: 'active', expiresAt: 5, lastCheckedAt: 3, evidence: NO_EVIDENCE },
      { kind: 'refresh', status: 'active', expiresAt: null, lastCheckedAt: 3, evidence: NO_EVIDENCE },
      { kind: 'id', status: 'active', expiresAt: null, lastCheckedAt: 3, evidence: NO_EVIDENCE },
    ]);
    expect(item).toMatchObject({ id: 'o', status: 'connected' });
  });
});
