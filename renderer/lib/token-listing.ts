/**
 * The org-wide token listing's text work (renderer/state/admin-tokens.svelte.ts): search, groups, sorting, the
 * usage per app, the confirmation of a revocation and the dates it shows.
 */
import type { OrgOauthToken } from '../../preload/contract-admin';

export const GROUPINGS = [
  { id: 'app', label: 'App' },
  { id: 'user', label: 'User' },
  { id: 'none', label: 'No grouping' },
] as const;
export type Grouping = (typeof GROUPINGS)[number]['id'];
export const SORT_KEYS = ['app', 'user', 'created', 'lastUsed', 'uses'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'ascending' | 'descending';

/** Rows a group shows before "Show all". */
export const GROUP_ROWS = 100;

/** The tokens of one app or one user, as a group of the listing shows them. */
export interface TokenGroup {
  key: string;
  label: string;
  /** The username under a user's name. */
  detail: string | null;
  tokens: OrgOauthToken[];
}

/** One app's line in the usage summary, as Setup's Connected Apps OAuth Usage shows it. */
export interface AppUsage {
  appName: string;
  users: number;
  tokens: number;
  useCount: number;
  lastUsedAt: number | null;
}

const userLabel = (t: OrgOauthToken): string => t.userName ?? t.username ?? t.userId ?? 'Unknown user';
const userKey = (t: OrgOauthToken): string => t.userId ?? t.username ?? '';

function compare(key: SortKey, a: OrgOauthToken, b: OrgOauthToken): number {
  const text = (x: string, y: string) => x.localeCompare(y, undefined, { sensitivity: 'base' });
  // Missing dates and counts sort as the smallest.
  const num = (x: number | null, y: number | null) => (x ?? -Infinity) - (y ?? -Infinity) || 0;
  switch (key) {
    case 'app':
      return text(a.appName, b.appName);
    case 'user':
      return text(userLabel(a), userLabel(b));
    case 'created':
      return num(a.createdAt, b.createdAt);
    case 'lastUsed':
      return num(a.lastUsedAt, b.lastUsedAt);
    case 'uses':
      return num(a.useCount, b.useCount);
  }
}

/** The tokens that match every word of `search` (app, user name, username, Ids), case-insensitively. */
export function matching(tokens: readonly OrgOauthToken[], search: string): OrgOauthToken[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...tokens];
  return tokens.filter((t) => {
    const hay = [t.appName, t.userName, t.username, t.userId, t.id].filter(Boolean).join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** Groups of sorted tokens: by app or user (groups by name), or one group of all. */
export function grouped(
  tokens: readonly OrgOauthToken[],
  by: Grouping,
  key: SortKey,
  direction: SortDirection,
): TokenGroup[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const sorted = [...tokens].sort((a, b) => sign * compare(key, a, b) || a.id.localeCompare(b.id));
  if (by === 'none') return sorted.length ? [{ key: 'all', label: 'All tokens', detail: null, tokens: sorted }] : [];
  const groups = new Map<string, TokenGroup>();
  for (const t of sorted) {
    const k = by === 'app' ? t.appName : userKey(t);
    let g = groups.get(k);
    if (!g) {
      g =
        by === 'app'
          ? { key: k, label: t.appName, detail: null, tokens: [] }
          : { key: k, label: userLabel(t), detail: t.username, tokens: [] };
      groups.set(k, g);
    }
    g.tokens.push(t);
  }
  return [...groups.values()].sort((a, b) => a.label.localeCompare(b.label, undefined, { sensitivity: 'base' }));
}

/** Per app: its users, tokens, uses and last use; the app with the most tokens first. */
export function usageByApp(tokens: readonly OrgOauthToken[]): AppUsage[] {
  const apps = new Map<string, { users: Set<string>; tokens: number; useCount: number; lastUsedAt: number | null }>();
  for (const t of tokens) {
    const a = apps.get(t.appName) ?? { users: new Set<string>(), tokens: 0, useCount: 0, lastUsedAt: null };
    a.users.add(userKey(t));
    a.tokens++;
    a.useCount += t.useCount ?? 0;
    if (t.lastUsedAt !== null && (a.lastUsedAt === null || t.lastUsedAt > a.lastUsedAt)) a.lastUsedAt = t.lastUsedAt;
    apps.set(t.appName, a);
  }
  return [...apps.entries()]
    .map(([appName, a]) => ({
      appName,
      users: a.users.size,
      tokens: a.tokens,
      useCount: a.useCount,
      lastUsedAt: a.lastUsedAt,
    }))
    .sort((x, y) => y.tokens - x.tokens || x.appName.localeCompare(y.appName));
}

/** What the confirmation of a revocation says: which apps and users, and what happens. */
export interface RevokeWording {
  title: string;
  message: string;
  points: string[];
  confirm: string;
}

/** A list of names, the first few, then "and N more". */
function names(list: readonly string[], max = 4): string {
  const shown = list.slice(0, max).join(', ');
  return list.length > max ? `${shown} and ${list.length - max} more` : shown;
}

/**
 * The confirmation of revoking `tokens`: one token names its app and user; many name their apps and users.
 * `scope` says what the user chose (a group of an app or a user, the selection); `notLoaded`: the org's tokens
 * not loaded yet, which a group's revocation leaves alone.
 */
export function revokeWording(
  tokens: readonly OrgOauthToken[],
  scope: { kind: 'token' | 'selection' } | { kind: 'app' | 'user'; label: string },
  own: (t: OrgOauthToken) => boolean,
  notLoaded: number,
): RevokeWording {
  const who = (t: OrgOauthToken) => (t.username ? `${userLabel(t)} (${t.username})` : userLabel(t));
  const apps = [...new Set(tokens.map((t) => t.appName))];
  const users = [...new Set(tokens.map(who))];
  const points: string[] = [];
  const mine = tokens.filter(own).length;
  if (mine > 0)
    points.push(
      `${mine === tokens.length ? (tokens.length === 1 ? 'It is' : 'They are') : `${mine} of them are`} your own: if one is the token this app uses for the org, the org stops working here too, and you re-authenticate it.`,
    );
  if ((scope.kind === 'app' || scope.kind === 'user') && notLoaded > 0)
    points.push(
      `Only the tokens loaded here: ${notLoaded} more of the org's tokens are not loaded yet. Load all first to include them.`,
    );
  points.push('Salesforce ends them at once; nothing here can bring them back.');
  if (tokens.length === 1) {
    const [t] = tokens as [OrgOauthToken];
    return {
      title: 'Revoke this OAuth token?',
      message: `Revoke ${t.appName}'s token for ${who(t)}? The app loses its access, and ${userLabel(t)} must authorize it again to use it.`,
      points,
      confirm: 'Revoke the token',
    };
  }
  const n = tokens.length;
  const message =
    scope.kind === 'app'
      ? `Revoke all ${n} tokens of ${scope.label}, for ${users.length === 1 ? '' : `${users.length} users: `}${names(users)}? Each must authorize the app again.`
      : scope.kind === 'user'
        ? `Revoke all ${n} tokens of ${scope.label}, for ${apps.length === 1 ? '' : `${apps.length} apps: `}${names(apps)}? The user must authorize each app again.`
        : `Revoke ${n} tokens of ${apps.length === 1 ? '' : `${apps.length} apps: `}${names(apps)}, for ${users.length === 1 ? '' : `${users.length} users: `}${names(users)}? Each user must authorize the apps again.`;
  return { title: `Revoke ${n} OAuth tokens?`, message, points, confirm: `Revoke ${n} tokens` };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A local date and time, short and the same width in every row ("2026-12-02 07:05"); "—" for none. */
export function shortDate(ms: number | null): string {
  const d = new Date(ms ?? NaN);
  if (ms === null || Number.isNaN(d.getTime())) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The tokens by Id. */
export function byId(tokens: readonly OrgOauthToken[]): ReadonlyMap<string, OrgOauthToken> {
  return new Map(tokens.map((t) => [t.id, t]));
}
