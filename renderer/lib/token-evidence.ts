/**
 * What a token row says about its token: which evidence its status comes from, and when. The status itself
 * is `tokenStatusAt` (preload/token-status.ts), the same function main uses; this file only puts it in
 * words, so nothing on screen claims more than a server said (docs/SECURITY.md).
 */
import type { ExpirySource, TokenStatus, TokenSummary } from '../../preload/contract';
import { EXPIRING_SOON_MS, tokenStatusAt } from '../../preload/token-status';
import { formatDuration } from '../components/inspector/relative-time';

/** How a row colours its status: good, expiring soon, dead, or nothing known. */
export type Tone = 'ok' | 'soon' | 'bad' | 'muted';

export interface TokenLine {
  status: TokenStatus;
  /** One sentence: the evidence and its time, e.g. "Revoked 18:44 in this app · introspection confirms inactive 18:44:01". */
  text: string;
  tone: Tone;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** "18:44" (or "18:44:01" with seconds) in local time, with the day in front when it is not today. */
export function clockTime(ms: number, now: number, seconds = false): string {
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`;
  return d.toDateString() === new Date(now).toDateString() ? time : `${dayFormat.format(d)} ${time}`;
}

const SOURCE: Record<ExpirySource, string> = {
  expires_in: 'from the token response',
  jwt_exp: 'from JWT exp',
  introspection: 'from introspection',
};

type Sibling = Pick<TokenSummary, 'kind' | 'evidence'>;

/** The row's sentence for one token of an org, at `now`; `siblings` are the org's tokens (for the ID token). */
export function tokenLine(token: TokenSummary, siblings: readonly Sibling[], now: number): TokenLine {
  const status = tokenStatusAt(token, now);
  const e = token.evidence;
  const source = e.expirySource ? ` (${SOURCE[e.expirySource]})` : '';
  // Introspection after the event it follows: the server's own word on it.
  const since = (at: number): string | null => {
    if (!e.introspected || e.introspected.at < at) return null;
    const when = clockTime(e.introspected.at, now, true);
    return e.introspected.active
      ? `yet introspection ${when} still calls it active`
      : `introspection confirms inactive ${when}`;
  };
  const withProof = (text: string, at: number): string => [text, since(at)].filter(Boolean).join(' · ');

  if (e.revoked) {
    const how = e.revoked.by === 'self' ? 'in this app' : 'with its refresh token';
    return { status, tone: 'bad', text: withProof(`Revoked ${clockTime(e.revoked.at, now)} ${how}`, e.revoked.at) };
  }
  if (e.refused) {
    const by = e.refused.by === 'token_endpoint' ? 'the token endpoint' : 'the API';
    const detail = e.refused.code ?? (e.refused.httpStatus === null ? null : `HTTP ${e.refused.httpStatus}`);
    const text = `Refused by ${by}${detail ? ` (${detail})` : ''} ${clockTime(e.refused.at, now)}`;
    return { status, tone: 'bad', text: withProof(text, e.refused.at) };
  }
  if (e.introspected && !e.introspected.active) {
    const when = clockTime(e.introspected.at, now, true);
    return { status, tone: 'bad', text: `Inactive per introspection ${when}` };
  }

  const checked = e.introspected ? ` · introspection ${clockTime(e.introspected.at, now, true)} says active` : '';
  if (token.expiresAt !== null) {
    if (token.expiresAt <= now) {
      return { status, tone: 'bad', text: `Expired ${clockTime(token.expiresAt, now)}${source}` };
    }
    const refreshRevoked = siblings.some((s) => s.kind === 'refresh' && s.evidence.revoked);
    if (token.kind === 'id' && refreshRevoked) {
      return {
        status,
        tone: 'muted',
        text: `Valid until ${clockTime(token.expiresAt, now)}: ID tokens cannot be revoked`,
      };
    }
    const left = token.expiresAt - now;
    return {
      status,
      tone: left < EXPIRING_SOON_MS ? 'soon' : 'ok',
      text: `Active · expires in ${formatDuration(left)}${source}${checked}`,
    };
  }
  if (token.kind === 'refresh') {
    return e.introspected
      ? { status, tone: 'ok', text: `Active${checked} · no expiry: valid until revoked` }
      : { status, tone: 'muted', text: 'No expiry: valid until revoked · Introspect to check it' };
  }
  if (e.introspected) return { status, tone: 'ok', text: `Active${checked} · expiry unknown` };
  return {
    status,
    tone: 'muted',
    text:
      token.format === 'opaque'
        ? 'Expiry unknown (opaque token; Introspect to learn it)'
        : 'Expiry unknown (the token names none)',
  };
}
