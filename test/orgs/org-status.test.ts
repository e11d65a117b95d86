import { describe, expect, it } from 'vitest';
import { EXPIRING_SOON_MS, orgStatusAt, tokenStatusAt } from '../../main/orgs/org-status';
import type { TokenStatus } from '../../preload/contract';

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

  it('a revoked access token is "revoked" unless something can renew it', () => {
    const revoked = access('revoked', NOW + HOUR);
    expect(orgStatusAt([revoked], false, NOW)).toBe('revoked');
    expect(orgStatusAt([revoked, refresh('revoked')], false, NOW)).toBe('revoked');
    expect(orgStatusAt([revoked, refresh('active')], false, NOW)).toBe('expired');
    expect(orgStatusAt([revoked], false, NOW, true)).toBe('expired');
    // Only a refresh token left: the next Refresh gets an access token.
    expect(orgStatusAt([refresh('unknown')], false, NOW)).toBe('expired');
    expect(orgStatusAt([refresh('revoked')], false, NOW)).toBe('revoked');
  });
});
