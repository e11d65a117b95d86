import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { Api, ApiError } from '../../preload/contract';
import type {
  OrgOauthToken,
  OrgTokenOutcome,
  OrgTokenRevocation,
  OrgTokenVisibility,
} from '../../preload/contract-admin';
import type { Notices } from './notices.svelte';

type AdminTokensApi = Pick<Api, 'listOrgTokens' | 'revokeOrgTokens' | 'exportOrgTokens' | 'cancelSignIn'>;

export const GROUPINGS = [
  { id: 'app', label: 'App' },
  { id: 'user', label: 'User' },
  { id: 'none', label: 'No grouping' },
] as const;
export type Grouping = (typeof GROUPINGS)[number]['id'];
export const SORT_KEYS = ['app', 'user', 'created', 'lastUsed', 'uses'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'ascending' | 'descending';

/** Tokens revoked in one call: few enough that Cancel stops soon and the progress moves. */
const REVOKE_BATCH = 5;
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

/** What one run of revocations did, with every token's result. */
export interface RevocationRun {
  results: (OrgTokenRevocation & { token: OrgOauthToken | null })[];
  counts: Record<OrgTokenOutcome, number>;
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

/**
 * One org's OAuth tokens as an admin sees them: loaded page by page (Load more, Load all with progress and
 * Cancel), searched, grouped and sorted here, revoked in small batches with progress and Cancel, exported as CSV.
 */
export class AdminTokensState {
  search = $state('');
  grouping = $state<Grouping>('app');
  sortKey = $state<SortKey>('lastUsed');
  sortDirection = $state<SortDirection>('descending');
  readonly selected = new SvelteSet<string>();
  /** The last result of each token revoked but still listed (failed, cancelled). */
  readonly results = new SvelteMap<string, OrgTokenRevocation>();

  #tokens = $state<OrgOauthToken[]>([]);
  #listed = $state(false);
  #totalSize = $state(0);
  #more = $state(false);
  #visibility = $state<OrgTokenVisibility | null>(null);
  #userId = $state<string | null>(null);
  #loading = $state<{ flowId: string; all: boolean; cancelled: boolean } | null>(null);
  #revoking = $state<{ flowId: string; done: number; total: number; cancelled: boolean } | null>(null);
  #run = $state<RevocationRun | null>(null);
  #error = $state<ApiError | null>(null);
  #note = $state<string | null>(null);
  readonly #api: AdminTokensApi;
  readonly #notices: Notices;
  readonly #orgId: string;
  readonly #onTokensChanged: () => Promise<void>;

  constructor(api: AdminTokensApi, notices: Notices, orgId: string, onTokensChanged: () => Promise<void>) {
    this.#api = api;
    this.#notices = notices;
    this.#orgId = orgId;
    this.#onTokensChanged = onTokensChanged;
  }

  get tokens(): OrgOauthToken[] {
    return this.#tokens;
  }
  /** A listing came back at least once. */
  get listed(): boolean {
    return this.#listed;
  }
  get totalSize(): number {
    return this.#totalSize;
  }
  get more(): boolean {
    return this.#more;
  }
  get visibility(): OrgTokenVisibility | null {
    return this.#visibility;
  }
  /** The signed-in user, whose own tokens are marked. */
  get userId(): string | null {
    return this.#userId;
  }
  get loading(): { all: boolean } | null {
    return this.#loading && { all: this.#loading.all };
  }
  get revoking(): { done: number; total: number } | null {
    return this.#revoking && { done: this.#revoking.done, total: this.#revoking.total };
  }
  get run(): RevocationRun | null {
    return this.#run;
  }
  /** Why the last listing got no answer. */
  get error(): ApiError | null {
    return this.#error;
  }
  /** What the last load said beyond its rows (renewed token, cancelled). */
  get note(): string | null {
    return this.#note;
  }
  get shown(): OrgOauthToken[] {
    return matching(this.#tokens, this.search);
  }
  get groups(): TokenGroup[] {
    return grouped(this.shown, this.grouping, this.sortKey, this.sortDirection);
  }
  get usage(): AppUsage[] {
    return usageByApp(this.#tokens);
  }
  get busy(): boolean {
    return this.#loading !== null || this.#revoking !== null;
  }

  /** Sorts by `key`: the same key again turns the direction round. */
  sortBy(key: SortKey): void {
    if (this.sortKey === key) this.sortDirection = this.sortDirection === 'ascending' ? 'descending' : 'ascending';
    else {
      this.sortKey = key;
      this.sortDirection = key === 'app' || key === 'user' ? 'ascending' : 'descending';
    }
  }

  isOwn(t: OrgOauthToken): boolean {
    return t.userId !== null && this.#userId !== null && t.userId.slice(0, 15) === this.#userId.slice(0, 15);
  }

  /** One page: the first (the listing starts again) or the next. False when it got none. */
  async #page(more: boolean, flowId: string): Promise<boolean> {
    const r = await this.#api.listOrgTokens({ id: this.#orgId, more, flowId });
    if (!r.ok) {
      if (r.error.code === 'oauth/cancelled')
        this.#note = `Stopped loading: ${this.#tokens.length} of ${this.#totalSize} tokens are listed.`;
      else this.#error = r.error;
      if (r.error.code === 'sf/session_expired' || r.error.code === 'token/revoked') await this.#onTokensChanged();
      return false;
    }
    const v = r.value;
    this.#tokens = more ? [...this.#tokens, ...v.tokens] : v.tokens;
    if (!more) {
      this.selected.clear();
      this.results.clear();
      this.#run = null;
    }
    this.#listed = true;
    this.#totalSize = v.totalSize;
    this.#more = v.more;
    this.#visibility = v.visibility;
    this.#userId = v.userId;
    if (v.refreshed) {
      this.#note = 'The API refused the stored access token (HTTP 401), so the app renewed it and listed again.';
      await this.#onTokensChanged();
    }
    return true;
  }

  async #loadWith(all: boolean, first: boolean): Promise<void> {
    if (this.busy) return;
    const flowId = crypto.randomUUID();
    this.#loading = { flowId, all, cancelled: false };
    this.#error = null;
    this.#note = null;
    try {
      let ok = await this.#page(!first, flowId);
      while (ok && all && this.#more && !this.#loading.cancelled) ok = await this.#page(true, flowId);
    } finally {
      this.#loading = null;
    }
  }

  /** Lists the org's tokens from the start. */
  load(): Promise<void> {
    return this.#loadWith(false, true);
  }
  loadMore(): Promise<void> {
    return this.#more ? this.#loadWith(false, false) : Promise.resolve();
  }
  /** Loads every page left (from the start when nothing is listed yet), until done or cancelled. */
  loadAll(): Promise<void> {
    return this.#loadWith(true, !this.#listed);
  }

  async cancel(): Promise<void> {
    const running = this.#loading ?? this.#revoking;
    if (!running) return;
    running.cancelled = true;
    await this.#api.cancelSignIn({ flowId: running.flowId });
  }

  /** Revokes `ids` a few at a time; Cancel stops after the batch in flight (whose result says what happened). */
  async revoke(ids: readonly string[]): Promise<void> {
    if (this.busy || ids.length === 0) return;
    const flowId = crypto.randomUUID();
    this.#revoking = { flowId, done: 0, total: ids.length, cancelled: false };
    const byId = new Map(this.#tokens.map((t) => [t.id, t]));
    const results: RevocationRun['results'] = [];
    try {
      for (let i = 0; i < ids.length; i += REVOKE_BATCH) {
        const batch = ids.slice(i, i + REVOKE_BATCH);
        if (this.#revoking.cancelled) {
          for (const id of batch)
            results.push({ id, outcome: 'cancelled', message: 'Not sent: cancelled.', token: byId.get(id) ?? null });
          continue;
        }
        const r = await this.#api.revokeOrgTokens({ id: this.#orgId, tokenIds: batch, flowId });
        const answers: OrgTokenRevocation[] = r.ok
          ? r.value
          : batch.map((id) => ({
              id,
              outcome: r.error.code === 'oauth/cancelled' ? 'cancelled' : 'failed',
              message: r.error.code === 'oauth/cancelled' ? 'Not sent: cancelled.' : `Not revoked: ${r.error.message}`,
            }));
        for (const a of answers) results.push({ ...a, token: byId.get(a.id) ?? null });
        this.#revoking.done += batch.length;
      }
    } finally {
      this.#revoking = null;
    }
    const gone = new Set(results.filter((x) => x.outcome === 'revoked' || x.outcome === 'gone').map((x) => x.id));
    this.#tokens = this.#tokens.filter((t) => !gone.has(t.id));
    this.#totalSize = Math.max(0, this.#totalSize - gone.size);
    for (const x of results) {
      this.selected.delete(x.id);
      if (gone.has(x.id)) this.results.delete(x.id);
      else this.results.set(x.id, x);
    }
    const counts: RevocationRun['counts'] = { revoked: 0, gone: 0, failed: 0, cancelled: 0 };
    for (const x of results) counts[x.outcome]++;
    this.#run = { results, counts };
    await this.#onTokensChanged();
  }

  /** Writes the tokens shown (searched, in the order shown) to a CSV file the user picks. */
  async exportCsv(): Promise<void> {
    const ids = this.groups.flatMap((g) => g.tokens.map((t) => t.id));
    if (ids.length === 0) return;
    const r = await this.#api.exportOrgTokens({ id: this.#orgId, tokenIds: ids });
    if (!r.ok) this.#notices.fail(r.error);
    else if (r.value.path !== null)
      this.#notices.show(
        'success',
        `Wrote ${r.value.tokens} ${r.value.tokens === 1 ? 'token' : 'tokens'} to ${r.value.path}.`,
      );
  }
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
