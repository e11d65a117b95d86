/** An org as the screen shows it at a moment, and which of its actions cannot work, with why. */
import { describe, expect, it } from 'vitest';
import type { TokenEvidence, TokenSummary } from '../../preload/contract';
import { NO_EVIDENCE } from '../../preload/token-status';
import { orgAt, orgBlocks } from '../../renderer/lib/org-actions';
import { org } from './support';

const at = (h: number, m: number): number => new Date(2026, 10, 24, h, m).getTime();
const NOW = at(18, 45);
const HOUR = 3_600_000;

const token = (kind: TokenSummary['kind'], extra: Partial<TokenSummary> = {}, evidence: Partial<TokenEvidence> = {}) =>
  ({
    kind,
    format: kind === 'refresh' ? 'opaque' : 'jwt',
    scopes: [],
    issuedAt: NOW - HOUR,
    expiresAt: kind === 'refresh' ? null : NOW + HOUR,
    status: kind === 'refresh' ? 'unknown' : 'active',
    lastCheckedAt: null,
    hint: `${kind}1`,
    previousReplacedAt: null,
    ...extra,
    evidence: { ...NO_EVIDENCE, ...evidence },
  }) satisfies TokenSummary;

const revokedAt = { revoked: { at: at(18, 44), by: 'self' as const } };

describe('orgAt', () => {
  it('recomputes token statuses and the badge on the clock, and keeps the object when nothing changed', () => {
    const healthy = org('a', { tokens: [token('access', { expiresAt: NOW + 30 * 60_000 }), token('refresh')] });
    expect(orgAt(healthy, NOW)).toBe(healthy);
    const later = orgAt(healthy, NOW + HOUR);
    expect(later.status).toBe('expired');
    expect(later.tokens.map((t) => t.status)).toEqual(['expired', 'unknown']);
    expect(orgAt(healthy, NOW + 25 * 60_000).status).toBe('expiring');
  });

  it('keeps "needs sign-in" from main, and a grant that renews itself keeps an expired org renewable', () => {
    const marked = org('a', { status: 'needs-sign-in', tokens: [token('access'), token('refresh')] });
    expect(orgAt(marked, NOW).status).toBe('needs-sign-in');
    const cc = org('c', {
      grant: 'client_credentials',
      renewsByGrant: true,
      tokens: [token('access', { expiresAt: NOW - 1 })],
    });
    expect(orgAt(cc, NOW).status).toBe('expired');
    expect(orgAt({ ...cc, grant: 'password', renewsByGrant: false }, NOW).status).toBe('needs-sign-in');
  });
});

describe('orgBlocks', () => {
  it('a healthy org blocks nothing', () => {
    const healthy = org('a', { tokens: [token('access'), token('refresh'), token('id')] });
    expect(orgBlocks(healthy, NOW)).toEqual({ renew: null, use: null, token: {}, signIn: null });
  });

  it('a revoked access token blocks its own Copy, Reveal and Introspect, but Refresh and Test still work', () => {
    const o = org('a', { tokens: [token('access', {}, revokedAt), token('refresh')] });
    const blocks = orgBlocks(o, NOW);
    expect(blocks.token).toEqual({ access: 'The access token was revoked 18:44 in this app: it no longer works.' });
    expect([blocks.renew, blocks.use, blocks.signIn]).toEqual([null, null, null]);
  });

  it('a revoked refresh token blocks Refresh, and with the access token gone, Test and Open, and asks to sign in', () => {
    const o = org('a', {
      tokens: [
        token('access', {}, { revoked: { at: at(18, 44), by: 'refresh_token' } }),
        token('refresh', {}, revokedAt),
        token('id'),
      ],
    });
    const blocks = orgBlocks(o, NOW);
    expect(blocks.renew).toBe('The refresh token was revoked 18:44 in this app: Re-authenticate to get new tokens.');
    expect(blocks.use).toBe(
      'The access token was revoked 18:44 with its refresh token, and nothing can renew it: Re-authenticate.',
    );
    expect(blocks.signIn).toBe(blocks.renew);
    expect(Object.keys(blocks.token).sort()).toEqual(['access', 'refresh']);
  });

  it('a refused refresh token and an org main marked for sign-in say so', () => {
    const refused = org('a', {
      status: 'needs-sign-in',
      tokens: [
        token('access'),
        token(
          'refresh',
          {},
          { refused: { at: at(18, 50), by: 'token_endpoint', code: 'invalid_grant', httpStatus: 400 } },
        ),
      ],
    });
    expect(orgBlocks(refused, NOW).signIn).toBe(
      'The refresh token was refused by the token endpoint 18:50: Re-authenticate to get new tokens.',
    );
    const marked = org('b', { status: 'needs-sign-in', tokens: [token('access'), token('refresh')] });
    const blocks = orgBlocks(marked, NOW);
    expect(blocks.signIn).toBe('This org needs you to sign in again before its tokens can be used.');
    expect([blocks.renew, blocks.use]).toEqual([blocks.signIn, blocks.signIn]);
    expect(orgBlocks(org('c', { tokens: [token('access')] }), NOW).renew).toBe(
      'This org has no refresh token: Re-authenticate to get new tokens.',
    );
  });
});
