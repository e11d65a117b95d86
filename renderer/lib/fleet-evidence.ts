/**
 * What a fleet row says of an org's status, access expiry and last check, in words, at `now`. The status
 * itself is the org list's (preload/token-status.ts on the clock); this file says which server answer it
 * comes from and when, so a row never claims more than a server said (docs/SECURITY.md).
 */
import type { TokenKind } from '../../preload/contract';
import { EXPIRING_SOON_MS } from '../../preload/token-status';
import { formatRelative } from '../components/inspector/relative-time';
import { accessExpiry, lastCheck, type FleetOrg, type FleetToken } from './fleet-columns';
import { clockTime, type Tone } from './token-evidence';

export interface FleetLine {
  text: string;
  tone: Tone;
}

const NAME: Record<TokenKind, string> = { access: 'access token', refresh: 'refresh token', id: 'ID token' };

/** One thing a server said (or this app did) about one token, with its time; `bad`: it stopped working. */
interface Said {
  at: number;
  /** The words around the time: "Introspection" + " 18:44:01: " + "access token active". */
  who: string;
  what: string;
  bad: boolean;
}

function saidOf(t: FleetToken): Said[] {
  const e = t.evidence;
  const name = NAME[t.kind];
  const out: Said[] = [];
  if (e.revoked) {
    const how = e.revoked.by === 'self' ? 'in this app' : 'with its refresh token';
    out.push({ at: e.revoked.at, who: 'Revoked', what: `${name} ${how}`, bad: true });
  }
  if (e.refused) {
    const who = e.refused.by === 'token_endpoint' ? 'Token endpoint' : 'API';
    const why = e.refused.code ?? (e.refused.httpStatus === null ? null : `HTTP ${e.refused.httpStatus}`);
    out.push({ at: e.refused.at, who, what: `refused the ${name}${why ? ` (${why})` : ''}`, bad: true });
  }
  if (e.introspected) {
    const { active, at } = e.introspected;
    out.push({ at, who: 'Introspection', what: `${name} ${active ? 'active' : 'inactive'}`, bad: !active });
  }
  return out;
}

const GOOD = new Set(['connected', 'expiring']);

/**
 * The evidence behind the org's badge: the latest server answer about its access or refresh token (for a
 * badge that says something stopped working, the latest answer that says so), with its time.
 */
export function statusEvidence(org: FleetOrg, now: number): FleetLine {
  const said = org.tokens.filter((t) => t.kind !== 'id').flatMap(saidOf);
  const good = GOOD.has(org.status);
  const pool = good ? said : said.filter((s) => s.bad);
  const latest = (pool.length ? pool : said).reduce<Said | null>((a, s) => (a === null || s.at > a.at ? s : a), null);
  const tone: FleetLine['tone'] = good ? (org.status === 'expiring' ? 'soon' : 'ok') : 'bad';
  if (latest) return { text: `${latest.who} ${clockTime(latest.at, now, true)}: ${latest.what}`, tone };
  const expiresAt = accessExpiry(org);
  if (expiresAt !== null && expiresAt <= now)
    return { text: `Access token expired ${clockTime(expiresAt, now)}`, tone };
  if (org.tokens.length === 0) return { text: 'No token stored', tone: 'bad' };
  return { text: 'No server asked yet: Check asks', tone: good ? 'muted' : tone };
}

/** "in 1 h 55 min", "expired 5 min ago", "unknown": the access token's expiry on the clock. */
export function expiryLine(org: FleetOrg, now: number): FleetLine {
  const access = org.tokens.find((t) => t.kind === 'access');
  if (!access) return { text: 'no access token', tone: 'muted' };
  // Dead before its time: the expiry no longer says anything (the status column says why).
  if (access.status === 'revoked') return { text: 'revoked', tone: 'bad' };
  const at = accessExpiry(org);
  if (at === null) return { text: access.status === 'expired' ? 'refused' : 'unknown', tone: 'muted' };
  if (at <= now) return { text: formatRelative(at, now), tone: 'bad' };
  if (access.status === 'expired') return { text: 'refused', tone: 'bad' };
  return { text: formatRelative(at, now, null), tone: at - now < EXPIRING_SOON_MS ? 'soon' : 'ok' };
}

/** "3 min ago" since a server was last asked about the org's tokens, or "never". */
export function lastCheckLine(org: FleetOrg, now: number): FleetLine {
  const at = lastCheck(org);
  return at === null ? { text: 'never', tone: 'muted' } : { text: formatRelative(at, now, null), tone: 'muted' };
}
