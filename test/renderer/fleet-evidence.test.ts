/** What a fleet row says of an org's status, access expiry and last check: only what a server said, with its time. */
import { describe, expect, it } from 'vitest';
import type { TokenEvidence, TokenSummary } from '../../preload/contract';
import { NO_EVIDENCE } from '../../preload/token-status';
import { expiryLine, lastCheckLine, statusEvidence } from '../../renderer/lib/fleet-evidence';
import { clockTime } from '../../renderer/lib/token-evidence';
import { org } from './support';

const NOW = new Date(2026, 11, 2, 9, 0, 0).getTime();
const MIN = 60_000;

const tok = (
  kind: TokenSummary['kind'],
  evidence: Partial<TokenEvidence> = {},
  extra: Partial<TokenSummary> = {},
): TokenSummary => ({
  kind,
  format: 'opaque',
  scopes: [],
  issuedAt: null,
  expiresAt: kind === 'access' ? NOW + 90 * MIN : null,
  status: 'active',
  lastCheckedAt: null,
  hint: '…abcd',
  evidence: { ...NO_EVIDENCE, ...evidence },
  previousReplacedAt: null,
  ...extra,
});

describe('fleet evidence', () => {
  it('names the latest answer behind a good badge, and the latest bad one behind a bad badge', () => {
    const active = { introspected: { at: NOW - 5 * MIN, active: true } };
    const good = org('a', { status: 'connected', tokens: [tok('access', active), tok('refresh')] });
    expect(statusEvidence(good, NOW)).toEqual({
      text: `Introspection ${clockTime(NOW - 5 * MIN, NOW, true)}: access token active`,
      tone: 'ok',
    });
    const refused = {
      refused: { at: NOW - 10 * MIN, by: 'token_endpoint' as const, code: 'invalid_grant', httpStatus: 400 },
    };
    const bad = org('b', {
      status: 'needs-sign-in',
      tokens: [tok('access', { introspected: { at: NOW - MIN, active: true } }), tok('refresh', refused)],
    });
    expect(statusEvidence(bad, NOW)).toEqual({
      text: `Token endpoint ${clockTime(NOW - 10 * MIN, NOW, true)}: refused the refresh token (invalid_grant)`,
      tone: 'bad',
    });
    const api = { refused: { at: NOW - MIN, by: 'api' as const, code: null, httpStatus: 401 } };
    expect(statusEvidence(org('c', { status: 'expired', tokens: [tok('access', api)] }), NOW).text).toMatch(
      /^API \d\d:\d\d:\d\d: refused the access token \(HTTP 401\)$/,
    );
    const revoked = { revoked: { at: NOW - MIN, by: 'refresh_token' as const } };
    expect(statusEvidence(org('d', { status: 'revoked', tokens: [tok('access', revoked)] }), NOW).text).toMatch(
      /^Revoked \d\d:\d\d:\d\d: access token with its refresh token$/,
    );
  });

  it('says when nothing has been asked, nothing is stored, or the expiry alone passed', () => {
    expect(statusEvidence(org('a', { status: 'expiring', tokens: [tok('access')] }), NOW)).toEqual({
      text: 'No server asked yet: Check asks',
      tone: 'muted',
    });
    expect(statusEvidence(org('b', { status: 'needs-sign-in', tokens: [] }), NOW)).toEqual({
      text: 'No token stored',
      tone: 'bad',
    });
    const past = org('c', { status: 'expired', tokens: [tok('access', {}, { expiresAt: NOW - 2 * MIN })] });
    expect(statusEvidence(past, NOW).text).toBe(`Access token expired ${clockTime(NOW - 2 * MIN, NOW)}`);
  });

  it('puts the access expiry on the clock, and says when the token died before it', () => {
    const line = (t: TokenSummary[]) => expiryLine(org('a', { tokens: t }), NOW);
    expect(line([tok('access')])).toEqual({ text: 'in 1 h 30 min', tone: 'ok' });
    expect(line([tok('access', {}, { expiresAt: NOW + 4 * MIN })])).toEqual({ text: 'in 4 min', tone: 'soon' });
    expect(line([tok('access', {}, { expiresAt: NOW - 3 * MIN })])).toEqual({ text: 'expired 3 min ago', tone: 'bad' });
    expect(line([tok('access', {}, { expiresAt: null })])).toEqual({ text: 'unknown', tone: 'muted' });
    expect(line([tok('access', {}, { status: 'revoked' })])).toEqual({ text: 'revoked', tone: 'bad' });
    expect(line([tok('access', {}, { status: 'expired' })])).toEqual({ text: 'refused', tone: 'bad' });
    expect(line([tok('refresh')])).toEqual({ text: 'no access token', tone: 'muted' });
  });

  it('says how long ago a server last answered', () => {
    const checked = org('a', { tokens: [tok('access', {}, { lastCheckedAt: NOW - 3 * MIN })] });
    expect(lastCheckLine(checked, NOW)).toEqual({ text: '3 min ago', tone: 'muted' });
    expect(lastCheckLine(org('b'), NOW)).toEqual({ text: 'never', tone: 'muted' });
  });
});
