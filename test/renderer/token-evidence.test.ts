/** The token row's sentence: which evidence its status comes from, and when. */
import { describe, expect, it } from 'vitest';
import type { TokenEvidence, TokenSummary } from '../../preload/contract';
import { NO_EVIDENCE } from '../../preload/token-status';
import { clockTime, tokenLine } from '../../renderer/lib/token-evidence';

// Local times, so the wording reads the same in every time zone.
const at = (h: number, m: number, s = 0): number => new Date(2026, 10, 24, h, m, s).getTime();
const NOW = at(18, 45);
const MIN = 60_000;

const token = (
  extra: Omit<Partial<TokenSummary>, 'evidence'> & { evidence?: Partial<TokenEvidence> } = {},
): TokenSummary => ({
  kind: 'access',
  format: 'jwt',
  scopes: ['api'],
  issuedAt: at(18, 0),
  expiresAt: NOW + 119 * MIN,
  status: 'active',
  lastCheckedAt: null,
  hint: 'abcd',
  previousReplacedAt: null,
  ...extra,
  evidence: { ...NO_EVIDENCE, expirySource: 'jwt_exp', ...extra.evidence },
});

describe('clockTime', () => {
  it('is the time of day, with seconds when asked and the day when it is not today', () => {
    expect(clockTime(at(18, 44, 1), NOW)).toBe('18:44');
    expect(clockTime(at(8, 4, 1), NOW, true)).toBe('08:04:01');
    expect(clockTime(new Date(2026, 10, 23, 9, 30).getTime(), NOW)).toMatch(/^(23 Nov|Nov 23) 09:30$/);
  });
});

describe('tokenLine', () => {
  it('an active token says when it expires and where the expiry comes from', () => {
    expect(tokenLine(token(), [], NOW)).toEqual({
      status: 'active',
      tone: 'ok',
      text: 'Active · expires in 1 h 59 min (from JWT exp)',
    });
    expect(tokenLine(token({ expiresAt: NOW + 5 * MIN, evidence: { expirySource: 'expires_in' } }), [], NOW)).toEqual({
      status: 'active',
      tone: 'soon',
      text: 'Active · expires in 5 min (from the token response)',
    });
    const checked = token({
      evidence: { expirySource: 'introspection', introspected: { at: at(18, 40, 5), active: true } },
    });
    expect(tokenLine(checked, [], NOW).text).toBe(
      'Active · expires in 1 h 59 min (from introspection) · introspection 18:40:05 says active',
    );
  });

  it('a token past its expiry is Expired on the clock, with no countdown', () => {
    const t = token({ expiresAt: at(18, 44) });
    expect(tokenLine(t, [], NOW)).toEqual({ status: 'expired', tone: 'bad', text: 'Expired 18:44 (from JWT exp)' });
    // The same token a minute earlier was active: the line follows the clock, not the stored status.
    expect(tokenLine(t, [], at(18, 43)).status).toBe('active');
  });

  it('a revoked token says who revoked it and when, and what introspection said after, with no countdown', () => {
    const revoked = token({
      evidence: { revoked: { at: at(18, 44), by: 'self' }, introspected: { at: at(18, 44, 1), active: false } },
    });
    expect(tokenLine(revoked, [], NOW)).toEqual({
      status: 'revoked',
      tone: 'bad',
      text: 'Revoked 18:44 in this app · introspection confirms inactive 18:44:01',
    });
    const cascade = token({ evidence: { revoked: { at: at(18, 44), by: 'refresh_token' } } });
    expect(tokenLine(cascade, [], NOW).text).toBe('Revoked 18:44 with its refresh token');
    // An introspection from before the revocation proves nothing about it.
    const older = token({
      evidence: { revoked: { at: at(18, 44), by: 'self' }, introspected: { at: at(18, 30), active: true } },
    });
    expect(tokenLine(older, [], NOW).text).toBe('Revoked 18:44 in this app');
    const still = token({
      evidence: { revoked: { at: at(18, 44), by: 'self' }, introspected: { at: at(18, 44, 2), active: true } },
    });
    expect(tokenLine(still, [], NOW).text).toBe(
      'Revoked 18:44 in this app · yet introspection 18:44:02 still calls it active',
    );
  });

  it('a refused token names who refused it, with the code or HTTP status it answered', () => {
    const refresh = token({
      kind: 'refresh',
      format: 'opaque',
      expiresAt: null,
      status: 'unknown',
      evidence: { expirySource: null, refused: { at: at(18, 50), by: 'token_endpoint', code: null, httpStatus: null } },
    });
    expect(tokenLine(refresh, [], NOW)).toEqual({
      status: 'revoked',
      tone: 'bad',
      text: 'Refused by the token endpoint 18:50',
    });
    const coded = token({
      ...refresh,
      evidence: { refused: { at: at(18, 50), by: 'token_endpoint', code: 'invalid_grant', httpStatus: 400 } },
    });
    expect(tokenLine(coded, [], NOW).text).toBe('Refused by the token endpoint (invalid_grant) 18:50');
    const api = token({ evidence: { refused: { at: at(18, 51), by: 'api', code: null, httpStatus: 401 } } });
    expect(tokenLine(api, [], NOW)).toEqual({
      status: 'expired',
      tone: 'bad',
      text: 'Refused by the API (HTTP 401) 18:51',
    });
  });

  it('introspection calling a token inactive is said as such', () => {
    const t = token({ evidence: { introspected: { at: at(18, 44, 1), active: false } } });
    expect(tokenLine(t, [], NOW)).toEqual({
      status: 'revoked',
      tone: 'bad',
      text: 'Inactive per introspection 18:44:01',
    });
  });

  it('an opaque token without an expiry says it is unknown and how to learn it', () => {
    const opaque = token({ format: 'opaque', expiresAt: null, status: 'unknown', evidence: { expirySource: null } });
    expect(tokenLine(opaque, [], NOW)).toEqual({
      status: 'unknown',
      tone: 'muted',
      text: 'Expiry unknown (opaque token; Introspect to learn it)',
    });
    const checked = { ...opaque, evidence: { ...opaque.evidence, introspected: { at: at(18, 40), active: true } } };
    expect(tokenLine(checked, [], NOW).text).toBe('Active · introspection 18:40:00 says active · expiry unknown');
  });

  it('a refresh token lasts until revoked, and once revoked says so instead', () => {
    const refresh = token({
      kind: 'refresh',
      format: 'opaque',
      expiresAt: null,
      status: 'unknown',
      evidence: { expirySource: null },
    });
    expect(tokenLine(refresh, [], NOW).text).toBe('No expiry: valid until revoked · Introspect to check it');
    const revoked = { ...refresh, evidence: { ...refresh.evidence, revoked: { at: at(18, 44), by: 'self' as const } } };
    const line = tokenLine(revoked, [], NOW);
    expect(line.text).toBe('Revoked 18:44 in this app');
    expect(line.text).not.toMatch(/until revoked/i);
  });

  it('an ID token after its refresh token was revoked says it stays valid until its expiry', () => {
    const id = token({ kind: 'id', expiresAt: at(20, 44) });
    const refresh = {
      kind: 'refresh' as const,
      evidence: { ...NO_EVIDENCE, revoked: { at: at(18, 44), by: 'self' as const } },
    };
    expect(tokenLine(id, [refresh], NOW)).toEqual({
      status: 'active',
      tone: 'muted',
      text: 'Valid until 20:44: ID tokens cannot be revoked',
    });
    expect(tokenLine(id, [{ ...refresh, evidence: NO_EVIDENCE }], NOW).text).toMatch(/^Active · expires in/);
  });
});
