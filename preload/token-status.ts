/**
 * A token's and an org's status, from evidence only (`TokenEvidence`): what a server last said and what this
 * app did, and the clock against a known expiry. Pure functions shared by main (the summaries it sends) and
 * the renderer (which recomputes them as the clock moves, so a token passing `exp` turns Expired on screen).
 * Imports nothing but the contract's types.
 */
import type { OrgListItem, OrgStatus, OrgSummary, TokenEvidence, TokenStatus, TokenSummary } from './contract';

/** An access token is "expiring soon" this long before it expires. */
export const EXPIRING_SOON_MS = 10 * 60_000;

/** No evidence yet: what a token response alone says. */
export const NO_EVIDENCE: TokenEvidence = { expirySource: null, introspected: null, revoked: null, refused: null };

type Judged = Pick<TokenSummary, 'status' | 'expiresAt'> & { evidence?: TokenEvidence | undefined };

/**
 * A token's status now. Revoked: this app revoked it, its refresh token's revocation took it, the token
 * endpoint refused it, or introspection called it inactive before its expiry. Expired: its expiry passed, an
 * API refused it (Salesforce answers 401 for an expired and a revoked session alike), or introspection called
 * it inactive after its expiry. Active: an expiry still ahead, or introspection said so. Otherwise the stored
 * status, which is `unknown` for a token nothing has described (an opaque refresh token).
 */
export function tokenStatusAt(token: Judged, now: number): TokenStatus {
  const e = token.evidence ?? NO_EVIDENCE;
  if (e.revoked || e.refused?.by === 'token_endpoint') return 'revoked';
  if (e.introspected && !e.introspected.active) {
    return token.expiresAt !== null && token.expiresAt <= e.introspected.at ? 'expired' : 'revoked';
  }
  if (token.status === 'revoked') return 'revoked';
  if (token.expiresAt !== null && token.expiresAt <= now) return 'expired';
  if (e.refused?.by === 'api' || token.status === 'expired') return 'expired';
  if (token.expiresAt !== null || e.introspected?.active) return 'active';
  return token.status;
}

/**
 * The org's badge, from its tokens' statuses only. An expired access token with a usable refresh token is
 * "expired" (Refresh gets a new one), a revoked one "access-revoked"; a `renewable` grant (client credentials,
 * JWT bearer) gets new tokens without a refresh token.
 */
export function orgStatusAt(
  tokens: readonly (Judged & Pick<TokenSummary, 'kind'>)[],
  needsSignIn: boolean,
  now: number,
  renewable = false,
): OrgStatus {
  if (needsSignIn) return 'needs-sign-in';
  const access = tokens.find((t) => t.kind === 'access');
  const refresh = tokens.find((t) => t.kind === 'refresh');
  const refreshUsable = renewable || (refresh !== undefined && tokenStatusAt(refresh, now) !== 'revoked');
  if (!access && !refresh) return 'needs-sign-in';
  // No access token at all (only a refresh token attached): the next Refresh gets one.
  if (!access) return refreshUsable ? 'expired' : 'revoked';
  const accessStatus = tokenStatusAt(access, now);
  if (accessStatus === 'revoked') return refreshUsable ? 'access-revoked' : 'revoked';
  if (accessStatus === 'expired') return refreshUsable ? 'expired' : 'needs-sign-in';
  if (access.expiresAt !== null && access.expiresAt - now < EXPIRING_SOON_MS) return 'expiring';
  return 'connected';
}

/**
 * The org's line in the list (`listOrgs`): its summary with, of its tokens, the first access, refresh and ID
 * token's status facts only (the badge comes from the first two; the ID token's presence offers Inspect).
 */
export function listItemOf(org: OrgSummary): OrgListItem {
  const tokens = (['access', 'refresh', 'id'] as const).flatMap((kind) => {
    const t = org.tokens.find((s) => s.kind === kind);
    return t
      ? [{ kind, status: t.status, expiresAt: t.expiresAt, lastCheckedAt: t.lastCheckedAt, evidence: t.evidence }]
      : [];
  });
  return { ...org, tokens };
}
