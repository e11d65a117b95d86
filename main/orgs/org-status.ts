import type { OrgStatus, TokenStatus, TokenSummary } from '../../preload/contract';

/** An access token is "expiring soon" this long before it expires. */
export const EXPIRING_SOON_MS = 10 * 60_000;

/** A token's status now: what the server last said (revoked), or what its expiry says. */
export function tokenStatusAt(token: Pick<TokenSummary, 'status' | 'expiresAt'>, now: number): TokenStatus {
  if (token.status === 'revoked') return 'revoked';
  if (token.expiresAt !== null && token.expiresAt <= now) return 'expired';
  if (token.status === 'expired') return 'expired';
  return token.expiresAt !== null ? 'active' : token.status;
}

/**
 * The org's status for the sidebar. A usable refresh token keeps an org "connected" even when its access
 * token has expired, because Refresh will get a new one; so does a `renewable` grant (client credentials,
 * JWT bearer), which gets new tokens without one.
 */
export function orgStatusAt(
  tokens: Pick<TokenSummary, 'kind' | 'status' | 'expiresAt'>[],
  needsSignIn: boolean,
  now: number,
  renewable = false,
): OrgStatus {
  if (needsSignIn) return 'needs-sign-in';
  const access = tokens.find((t) => t.kind === 'access');
  const refresh = tokens.find((t) => t.kind === 'refresh');
  const refreshUsable = renewable || (refresh !== undefined && tokenStatusAt(refresh, now) !== 'revoked');
  if (!access && !refresh) return 'needs-sign-in';
  const accessStatus = access ? tokenStatusAt(access, now) : 'revoked';
  if (accessStatus === 'revoked') return refreshUsable ? 'expired' : 'revoked';
  if (accessStatus === 'expired') return refreshUsable ? 'expired' : 'needs-sign-in';
  if (access && access.expiresAt !== null && access.expiresAt - now < EXPIRING_SOON_MS) return 'expiring';
  return 'connected';
}
