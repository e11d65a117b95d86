/** What the revoke confirmation says: the token, its org and type, what stops and what still works. */
import { describe, expect, it } from 'vitest';
import type { TokenEvidence, TokenSummary } from '../../preload/contract';
import { NO_EVIDENCE } from '../../preload/token-status';
import { revokeConfirmation } from '../../renderer/lib/revoke-wording';
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

describe('revokeConfirmation', () => {
  const o = org('a', {
    label: 'Acme',
    orgType: 'sandbox',
    tokens: [token('access'), token('refresh'), token('id', { expiresAt: at(20, 44) })],
  });

  it('names the org, its type and the token, and says the cascade and what stays valid', () => {
    const refresh = revokeConfirmation(o, 'refresh', NOW);
    expect(refresh.title).toBe('Revoke the refresh token …refresh1 of Acme (Sandbox org)?');
    expect(refresh.message).toMatch(/every access token issued from it[\s\S]*Re-authenticate/);
    expect(refresh.points[0]).toBe('The ID token stays valid until 20:44: ID tokens cannot be revoked.');
    const access = revokeConfirmation(o, 'access', NOW);
    expect(access.title).toBe('Revoke the access token …access1 of Acme (Sandbox org)?');
    expect(access.message).toBe(
      'API calls with this access token stop working. The refresh token stays valid, so Refresh can get a new one.',
    );
    const alone = revokeConfirmation({ ...o, tokens: [token('access')] }, 'access', NOW);
    expect(revokeConfirmation({ ...o, orgType: 'unknown' }, 'access', NOW).title).toBe(
      'Revoke the access token …access1 of Acme (unknown org type)?',
    );
    expect(alone.message).toMatch(/Nothing can renew it, so you will need to sign in again\.$/);
  });
});
