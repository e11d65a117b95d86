/**
 * An org as the screen shows it at a moment: its statuses recomputed on the renderer's clock (with the same
 * functions main uses, preload/token-status.ts), and which of its actions cannot work, with the reason in
 * words for the disabled button's description.
 */
import type { OrgListItem, OrgSummary, TokenBrief, TokenKind } from '../../preload/contract';
import { orgStatusAt, tokenStatusAt } from '../../preload/token-status';
import { clockTime } from './token-evidence';

/** The org with each token's status and its badge at `now`; the same object when nothing changed. */
export function orgAt<O extends OrgSummary | OrgListItem>(org: O, now: number): O {
  const tokens = org.tokens.map((t) => {
    const status = tokenStatusAt(t, now);
    return status === t.status ? t : { ...t, status };
  });
  // Main says "needs sign-in" from what it alone knows (a refused refresh, secrets it cannot read): it stays.
  const status = orgStatusAt(tokens, org.status === 'needs-sign-in', now, org.renewsByGrant);
  const same = status === org.status && tokens.every((t, i) => t === org.tokens[i]);
  return same ? org : { ...org, status, tokens };
}

const tokenOf = (org: OrgListItem, kind: TokenKind): TokenBrief | undefined => org.tokens.find((t) => t.kind === kind);

/** Why a token no longer works, from its evidence: "revoked 18:44 in this app", or null while it may. */
function deadBecause(t: TokenBrief | undefined, now: number): string | null {
  if (!t || tokenStatusAt(t, now) !== 'revoked') return null;
  const e = t.evidence;
  if (e.revoked)
    return `was revoked ${clockTime(e.revoked.at, now)} ${e.revoked.by === 'self' ? 'in this app' : 'with its refresh token'}`;
  if (e.refused)
    return `was refused by the ${e.refused.by === 'api' ? 'API' : 'token endpoint'} ${clockTime(e.refused.at, now)}`;
  if (e.introspected) return `is inactive (introspection ${clockTime(e.introspected.at, now, true)})`;
  return 'was revoked';
}

/** Why Refresh cannot get a new access token, or null when it can. */
function renewBlocked(org: OrgListItem, now: number): string | null {
  if (org.renewsByGrant) return null;
  const refresh = tokenOf(org, 'refresh');
  if (!refresh) return 'This org has no refresh token: Re-authenticate to get new tokens.';
  const dead = deadBecause(refresh, now);
  return dead ? `The refresh token ${dead}: Re-authenticate to get new tokens.` : null;
}

export interface OrgBlocks {
  /** Refresh cannot work. */
  renew: string | null;
  /** Test token and Open in browser cannot work: the access token is dead and nothing can renew it. */
  use: string | null;
  /** Per token: Copy, Reveal and Introspect cannot work (the token is revoked). */
  token: Partial<Record<TokenKind, string>>;
  /** The org needs the user to sign in again: what the banner says, or null. */
  signIn: string | null;
}

/** Which actions of an org cannot work at `now`, each with the reason to show on its disabled button. */
export function orgBlocks(org: OrgListItem, now: number): OrgBlocks {
  const shown = orgAt(org, now);
  const renew = renewBlocked(shown, now);
  const token: Partial<Record<TokenKind, string>> = {};
  for (const t of shown.tokens) {
    const dead = deadBecause(t, now);
    if (dead) token[t.kind] = `The ${t.kind === 'id' ? 'ID' : t.kind} token ${dead}: it no longer works.`;
  }
  const access = tokenOf(shown, 'access');
  const accessDead = access === undefined ? 'There is no access token' : deadBecause(access, now);
  let use: string | null = null;
  if (accessDead && renew !== null)
    use = `${access === undefined ? accessDead : `The access token ${accessDead}`}, and nothing can renew it: Re-authenticate.`;

  let signIn: string | null = null;
  if (shown.status === 'needs-sign-in' || shown.status === 'revoked') {
    signIn = renew ?? use ?? 'This org needs you to sign in again before its tokens can be used.';
    use ??= signIn;
  }
  return { renew: renew ?? (shown.status === 'needs-sign-in' ? signIn : null), use, token, signIn };
}
