import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { Api, ApiError } from '../../preload/contract';
import type {
  OrgOauthToken,
  OrgTokenOutcome,
  OrgTokenRevocation,
  OrgTokenVisibility,
} from '../../preload/contract-admin';
import {
  byId,
  grouped,
  matching,
  usageByApp,
  type AppUsage,
  type Grouping,
  type SortDirection,
  type SortKey,
  type TokenGroup,
} from '../lib/token-listing';
import type { Notices } from './notices.svelte';

type AdminTokensApi = Pick<Api, 'listOrgTokens' | 'revokeOrgTokens' | 'exportOrgTokens' | 'cancelSignIn'>;

/** Tokens revoked in one call: few enough that Cancel stops soon and the progress moves. */
const REVOKE_BATCH = 5;

/** What one run of revocations did, with every token's result. */
export interface RevocationRun {
  results: (OrgTokenRevocation & { token: OrgOauthToken | null })[];
  counts: Record<OrgTokenOutcome, number>;
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
    const tokenOf = byId(this.#tokens);
    const results: RevocationRun['results'] = [];
    try {
      for (let i = 0; i < ids.length; i += REVOKE_BATCH) {
        const batch = ids.slice(i, i + REVOKE_BATCH);
        if (this.#revoking.cancelled) {
          for (const id of batch)
            results.push({ id, outcome: 'cancelled', message: 'Not sent: cancelled.', token: tokenOf.get(id) ?? null });
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
        for (const a of answers) results.push({ ...a, token: tokenOf.get(a.id) ?? null });
        this.#revoking.done += batch.length;
      }
    } finally {
      this.#revoking = null;
    }
    const ended = (x: { outcome: OrgTokenOutcome }) => x.outcome === 'revoked' || x.outcome === 'gone';
    const gone = results.filter(ended).map((x) => x.id);
    this.#tokens = this.#tokens.filter((t) => !gone.includes(t.id));
    this.#totalSize = Math.max(0, this.#totalSize - gone.length);
    for (const x of results) {
      this.selected.delete(x.id);
      if (ended(x)) this.results.delete(x.id);
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
