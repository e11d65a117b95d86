import type { NotificationCause, NotificationEntry } from '../../preload/contract';
import { tokenStatusAt } from '../../preload/token-status';
import type { OrgRecord, TokenMeta } from '../vault/records';
import type { Vault } from '../vault/vault';
import { renewsWithoutRefreshToken } from './token-lifecycle';

/**
 * Shows a desktop notification. In the app, Electron's `Notification` (main/notifier-electron.ts); in the
 * tests, a fake that records what it was asked to show. Clicking one brings the window forward.
 */
export interface Notifier {
  show(note: { title: string; body: string; orgId: string }): void;
}

/** How long before a known expiry an access token that nothing can renew is announced. */
export const EXPIRY_WARNING_MS = 5 * 60_000;

/** One thing worth saying about an org: its cause, the token it is about (`key`), and the sentence. */
export interface DueNotice {
  cause: NotificationCause;
  /** Org, cause and token: a notice with a key already said is never said again. */
  key: string;
  orgId: string;
  label: string;
  /** What is said after the org's label. */
  body: string;
}

/** A time of day as the user's clock shows it, e.g. 10:42. */
const clockTime = (at: number): string => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** True when the org can get a new access token without the user: its grant runs again, or a live refresh token. */
export function canRenewFromEvidence(record: OrgRecord, tokens: readonly TokenMeta[], now: number): boolean {
  if (record.needsSignIn) return false;
  if (renewsWithoutRefreshToken(record)) return true;
  const refresh = tokens.find((t) => t.kind === 'refresh');
  return refresh !== undefined && tokenStatusAt(refresh, now) !== 'revoked';
}

/** What a server said against a token, in words, or null when no server said anything against it. */
function serverSaidDead(meta: TokenMeta): string | null {
  const e = meta.evidence;
  // A token this app revoked is dead because the user asked: nothing to tell them.
  if (e.revoked) return null;
  if (e.refused?.by === 'token_endpoint') {
    const said = [e.refused.code, e.refused.httpStatus === null ? null : `HTTP ${e.refused.httpStatus}`]
      .filter(Boolean)
      .join(', ');
    return `the token endpoint refused it at ${clockTime(e.refused.at)}${said ? `: ${said}` : ''}`;
  }
  if (e.introspected && !e.introspected.active) return `introspection said inactive at ${clockTime(e.introspected.at)}`;
  if (e.refused?.by === 'api')
    return `an API refused it at ${clockTime(e.refused.at)} with HTTP ${e.refused.httpStatus}`;
  return null;
}

const keyOf = (id: string, cause: NotificationCause, meta: TokenMeta) =>
  `${id}:${cause}:${meta.hint}:${meta.issuedAt ?? ''}`;

/**
 * What the evidence of one org says must be told now, from what servers said and known expiries only: a
 * refresh token a server called dead; an access token a server called dead, or that expires within
 * {@link EXPIRY_WARNING_MS}, when nothing can renew it. At most one notice per org.
 */
export function dueNotice(record: OrgRecord, tokens: readonly TokenMeta[], now: number): DueNotice | null {
  const { id, label } = record;
  const refresh = tokens.find((t) => t.kind === 'refresh');
  const access = tokens.find((t) => t.kind === 'access');
  const said = refresh && serverSaidDead(refresh);
  if (refresh && said) {
    const body =
      refresh.evidence.refused?.by === 'token_endpoint'
        ? `the refresh token no longer works (${said}): re-authenticate.`
        : `the refresh token was revoked (${said}): re-authenticate.`;
    return { cause: 'refresh-dead', key: keyOf(id, 'refresh-dead', refresh), orgId: id, label, body };
  }
  if (!access || canRenewFromEvidence(record, tokens, now)) return null;
  const accessSaid = serverSaidDead(access);
  if (accessSaid)
    return {
      cause: 'access-dead',
      key: keyOf(id, 'access-dead', access),
      orgId: id,
      label,
      body: `the access token no longer works (${accessSaid}) and nothing can renew it: re-authenticate.`,
    };
  const { expiresAt } = access;
  // Revoked here (or with its refresh token): the user knows; nothing is left to expire.
  if (access.evidence.revoked || access.evidence.expirySource === null || expiresAt === null) return null;
  if (expiresAt <= now || expiresAt - now > EXPIRY_WARNING_MS) return null;
  const minutes = Math.max(1, Math.round((expiresAt - now) / 60_000));
  return {
    cause: 'access-expiring',
    key: keyOf(id, 'access-expiring', access),
    orgId: id,
    label,
    body: `the access token expires in ${minutes} minute${minutes === 1 ? '' : 's'} (at ${clockTime(expiresAt)}) and nothing can renew it: re-authenticate to keep working.`,
  };
}

/**
 * Desktop notifications: each due notice is shown once (its key is remembered in the vault, so neither the
 * next period nor a restart repeats it) and kept in the history, when the user has them on.
 */
export function createNotifications(vault: Vault, notifier: Notifier | null, now: () => number) {
  /** Keys said in this session, so a notice is not repeated while the vault's write of it is still queued. */
  const saidNow = new Set<string>();

  async function tell(notice: DueNotice): Promise<void> {
    if (saidNow.has(notice.key) || vault.notifications.said.includes(notice.key)) return;
    saidNow.add(notice.key);
    notifier?.show({ title: notice.label, body: notice.body, orgId: notice.orgId });
    const text = `${notice.label}: ${notice.body}`;
    await vault.noteNotification(
      { at: now(), orgId: notice.orgId, orgLabel: notice.label, cause: notice.cause, text },
      notice.key,
    );
  }

  /** Tells what every org's evidence says must be told now (nothing when notifications are off). */
  async function tellDue(): Promise<void> {
    if (!notifier || !vault.settings.notifications) return;
    const t = now();
    for (const { record, tokens } of vault.listOrgs()) {
      const notice = dueNotice(record, tokens, t);
      if (notice) await tell(notice);
    }
  }

  return {
    tellDue,
    /** The notifications shown so far, newest first. */
    list: (): NotificationEntry[] => [...vault.notifications.entries].reverse(),
    clear: () => vault.clearNotifications(),
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
