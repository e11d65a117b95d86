import { untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { Api, OrgListItem, OrgSummary } from '../../preload/contract';
import { sortOrgs, type FleetSort } from '../lib/fleet-columns';
import { selectMany, selectRange } from '../lib/fleet-selection';
import { matchOrg, type OrgMatch } from '../lib/org-match';
import type { Notices } from './notices.svelte';
import type { OrgListState } from './org-list.svelte';
import type { SignInState } from './sign-in.svelte';

/** What the fleet can do to many orgs at once. */
export type FleetAction = 'check' | 'refresh' | 'reauthenticate' | 'sign-out';

/** How many orgs are checked, refreshed or signed out at the same time. */
export const FLEET_CONCURRENCY = 4;

/**
 * How often a run's new summaries go into the org list. Each change of the list recomputes every org's status
 * and the sidebar: with 500 orgs answering four at a time, one change per answer kept the page busy.
 */
const UPSERT_EVERY_MS = 150;

/** A row's part in the last run: waiting its turn, running, or what came of it. */
export type RowResult =
  | { state: 'queued' | 'running' }
  | {
      state: 'done';
      tone: 'ok' | 'soon' | 'bad' | 'muted';
      text: string;
      failed: boolean;
      /** Cancelled while it ran, or skipped. */
      stopped?: true;
    };

export interface FleetRun {
  action: FleetAction;
  total: number;
  /** Finished, failed or not: the progress bar. */
  done: number;
  failed: number;
  /** Of those done, the ones cancelled while running or skipped. */
  stopped: number;
  /** Cancel was asked for: nothing new starts, what runs is cancelled. */
  cancelled: boolean;
  finished: boolean;
  /** Re-authenticate: the org whose sign-in waits in the browser now, and its place in the queue. */
  waiting: { id: string; label: string; index: number } | null;
}

type FleetApi = Pick<Api, 'checkOrg' | 'refreshOrg' | 'signOut' | 'cancelSignIn'>;

type Outcome = Extract<RowResult, { state: 'done' }>;

const GOOD_STATUS = new Set<OrgListItem['status']>(['connected', 'expiring']);
const NONE: ReadonlySet<string> = new Set();

/** The org needs its user to sign in again before its tokens work (what Re-authenticate is for). */
export function needsSignIn(org: Pick<OrgListItem, 'status'>): boolean {
  return org.status === 'needs-sign-in' || org.status === 'revoked';
}

const toneOf = (org: OrgListItem): Outcome['tone'] =>
  GOOD_STATUS.has(org.status) ? (org.status === 'expiring' ? 'soon' : 'ok') : 'bad';

/**
 * The fleet: every org in one table, filtered with the palette's rule and sorted by a column, a selection,
 * and bulk runs over it (check, refresh, re-authenticate, sign out) with progress, Cancel and a result per row.
 * A run goes on while the user is elsewhere in the app.
 */
export class FleetState {
  #query = $state('');
  #sort = $state<FleetSort>({ key: 'label', dir: 'asc' });
  #selected = $state.raw<ReadonlySet<string>>(NONE);
  /** Where a shift-click range starts: the org toggled last. */
  #anchor: string | null = null;
  readonly #results = new SvelteMap<string, RowResult>();
  #run = $state<FleetRun | null>(null);
  /** Checks in flight, by org: the flowId that cancels each. */
  readonly #inFlight: Record<string, string> = {};
  #skip = false;
  /** The last filter's query, over which list, and the orgs it matched (in the list's order). */
  #lastFilter: { query: string; orgs: OrgListItem[]; matched: OrgListItem[] } | null = null;
  /** Orgs a run brought back, put in the list together at most every {@link UPSERT_EVERY_MS}. */
  #pending: Record<string, OrgSummary> = {};
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #api: FleetApi;
  readonly #notices: Notices;
  readonly #list: OrgListState;
  readonly #signIn: SignInState;

  // The list's orgs are replaced, never changed in place (renderer/state/org-list.svelte.ts): depending on the
  // list is enough, and reading 500 orgs' fields untracked spares a dependency per field on every keystroke.
  /** How each org matched the filter; null without one. */
  readonly #matches = $derived.by(() => {
    const q = this.#query.trim();
    const orgs = this.#list.orgs;
    if (q === '') return null;
    return untrack(() => {
      // Typing on narrows: an org that did not match "acm" cannot match "acme", so only the last matches are
      // tried again (every character of a query must appear in order: renderer/lib/fuzzy.ts).
      const last = this.#lastFilter;
      const candidates = last && last.orgs === orgs && q.startsWith(last.query) ? last.matched : orgs;
      const out: Record<string, OrgMatch> = {};
      const matched: OrgListItem[] = [];
      for (const o of candidates) {
        const m = matchOrg(q, o);
        if (m) {
          out[o.id] = m;
          matched.push(o);
        }
      }
      this.#lastFilter = { query: q, orgs, matched };
      return out;
    });
  });
  /** The rows the table shows, in its order. */
  readonly #rows = $derived.by(() => {
    const matches = this.#matches;
    const orgs = this.#list.orgs;
    const sort = this.#sort;
    return untrack(() => sortOrgs(matches === null ? orgs : orgs.filter((o) => o.id in matches), sort));
  });
  readonly #selectedOrgs = $derived.by(() => {
    const selected = this.#selected;
    const orgs = this.#list.orgs;
    return untrack(() => orgs.filter((o) => selected.has(o.id)));
  });
  readonly #allShownSelected = $derived.by(() => {
    const rows = this.#rows;
    const selected = this.#selected;
    return untrack(() => rows.length > 0 && rows.every((o) => selected.has(o.id)));
  });

  constructor(api: FleetApi, notices: Notices, list: OrgListState, signIn: SignInState) {
    this.#api = api;
    this.#notices = notices;
    this.#list = list;
    this.#signIn = signIn;
  }

  get query(): string {
    return this.#query;
  }
  set query(q: string) {
    this.#query = q;
  }
  get sort(): FleetSort {
    return this.#sort;
  }
  /** The orgs the table shows: filtered, then sorted. */
  get rows(): OrgListItem[] {
    return this.#rows;
  }
  matchFor(id: string): OrgMatch | undefined {
    return this.#matches?.[id];
  }
  get selected(): ReadonlySet<string> {
    return this.#selected;
  }
  /** The selected orgs that still exist, in the list's order. */
  get selectedOrgs(): OrgListItem[] {
    return this.#selectedOrgs;
  }
  resultFor(id: string): RowResult | undefined {
    return this.#results.get(id);
  }
  get run(): FleetRun | null {
    return this.#run;
  }
  get running(): boolean {
    return this.#run !== null && !this.#run.finished;
  }

  /** Sorts by `key`; the same key again turns the order round. */
  sortBy(key: FleetSort['key']): void {
    const { key: now, dir } = this.#sort;
    this.#sort = { key, dir: now === key && dir === 'asc' ? 'desc' : 'asc' };
  }

  /** Selects or unselects one org; with `range`, every row from the last one toggled to it, the same way. */
  setSelected(id: string, on: boolean, range = false): void {
    this.#selected = selectRange(this.#selected, this.#rows, range ? this.#anchor : null, id, on);
    this.#anchor = id;
  }

  toggle(id: string, range = false): void {
    this.setSelected(id, !this.#selected.has(id), range);
  }

  /** True when every row shown is selected (and there is one). */
  get allShownSelected(): boolean {
    return this.#allShownSelected;
  }

  /** Selects every row shown, or unselects them when all are. */
  toggleAllShown(): void {
    this.#selected = selectMany(
      this.#selected,
      this.#rows.map((o) => o.id),
      !this.allShownSelected,
    );
  }

  clearSelection(): void {
    this.#selected = NONE;
    this.#anchor = null;
  }

  /** Puts a server's answer about every given org on record (all of them: "Check all"). */
  check(ids: readonly string[]): Promise<void> {
    return this.#start('check', ids, async (id) => {
      const flowId = crypto.randomUUID();
      this.#inFlight[id] = flowId;
      try {
        const r = await this.#api.checkOrg({ id, flowId });
        if (!r.ok) return this.#failure(r.error);
        this.#upsert(r.value.org);
        const { checks, summary, org } = r.value;
        const failed = checks.length > 0 && checks.every((c) => c.outcome === 'failed');
        return { state: 'done', tone: failed ? 'bad' : toneOf(org), text: summary, failed };
      } finally {
        delete this.#inFlight[id];
      }
    });
  }

  checkAll(): Promise<void> {
    return this.check(this.#list.orgs.map((o) => o.id));
  }

  /** Gets each org a new access token (its grant's way: the refresh token, or the grant again). */
  refresh(ids: readonly string[]): Promise<void> {
    return this.#start('refresh', ids, async (id) => {
      const r = await this.#api.refreshOrg({ id });
      if (!r.ok) return this.#failure(r.error);
      this.#upsert(r.value);
      return { state: 'done', tone: 'ok', text: 'Got a new access token.', failed: false };
    });
  }

  /** Revokes and forgets each org; the list loads again once all are done. */
  async signOut(ids: readonly string[]): Promise<void> {
    const labels: string[] = [];
    await this.#start('sign-out', ids, async (id) => {
      const label = this.#list.orgs.find((o) => o.id === id)?.label ?? id;
      const r = await this.#api.signOut({ id });
      if (!r.ok) return this.#failure(r.error);
      labels.push(label);
      // Forgotten without revoking: the summary says where to revoke, and must not read as a success.
      return { state: 'done', tone: r.value.revoked === null ? 'bad' : 'ok', text: r.value.summary, failed: false };
    });
    if (labels.length === 0) return;
    this.#selected = selectMany(this.#selected, ids, false);
    await this.#list.reload();
    this.#notices.show('success', `Signed out of ${labels.length === 1 ? labels[0] : `${labels.length} orgs`}.`);
  }

  /**
   * Signs in again, one org after another, each in the browser as the org view's Re-authenticate does (the
   * web server flow with the org's app profile and login host, in place). The orgs that do not need it are
   * left alone. While one waits, {@link skip} moves to the next and {@link cancel} stops.
   */
  reauthenticate(ids: readonly string[]): Promise<void> {
    const orgs = this.#list.orgs.filter((o) => ids.includes(o.id) && needsSignIn(o));
    let index = 0;
    return this.#start(
      'reauthenticate',
      orgs.map((o) => o.id),
      async (id) => {
        const org = this.#list.orgs.find((o) => o.id === id);
        index++;
        if (!org) return { state: 'done', tone: 'muted', text: 'This org is no longer in the app.', failed: false };
        if (!org.profileId)
          return {
            state: 'done',
            tone: 'bad',
            text: 'No app profile to sign in with: open the org and choose Re-authenticate there.',
            failed: true,
          };
        if (this.#run) this.#run.waiting = { id, label: org.label, index };
        this.#skip = false;
        const ok = await this.#signIn.signInWith({
          profileId: org.profileId,
          loginHost: org.loginHost,
          orgRef: id,
          method: 'authorization_code',
        });
        if (this.#run) this.#run.waiting = null;
        const phase = this.#signIn.phase;
        this.#signIn.reset();
        if (ok) return { state: 'done', tone: 'ok', text: 'Signed in again.', failed: false };
        if (phase.step === 'failed') return { state: 'done', tone: 'bad', text: phase.error.message, failed: true };
        const text = this.#skip ? 'Skipped.' : 'Cancelled.';
        return { state: 'done', tone: 'muted', text, failed: false, stopped: true };
      },
      1,
    );
  }

  /** Re-authenticate: gives up on the org waiting in the browser and goes on with the next. */
  async skip(): Promise<void> {
    if (!this.#run?.waiting) return;
    this.#skip = true;
    await this.#signIn.cancel();
  }

  /** Stops the run: nothing more starts, and what is in flight is cancelled. */
  async cancel(): Promise<void> {
    const run = this.#run;
    if (!run || run.finished) return;
    run.cancelled = true;
    const cancels = Object.values(this.#inFlight).map((flowId) => this.#api.cancelSignIn({ flowId }));
    if (run.waiting) cancels.push(this.#signIn.cancel().then(() => ({ ok: true, value: null }) as const));
    await Promise.all(cancels);
  }

  /** Forgets the last run's progress; its results stay on the rows until the next run starts. */
  dismissRun(): void {
    if (this.#run?.finished) this.#run = null;
  }

  /** Puts an org a run brought back in the list soon, with the others that came back meanwhile. */
  #upsert(org: OrgSummary): void {
    this.#pending[org.id] = org;
    this.#flushTimer ??= setTimeout(() => this.#flush(), UPSERT_EVERY_MS);
  }

  #flush(): void {
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    const pending = Object.values(this.#pending);
    this.#pending = {};
    for (const org of pending) this.#list.upsert(org);
  }

  #failure(error: { code: string; message: string }): Outcome {
    if (error.code === 'oauth/cancelled')
      return { state: 'done', tone: 'muted', text: 'Cancelled.', failed: false, stopped: true };
    return { state: 'done', tone: 'bad', text: error.message, failed: true };
  }

  /** Runs `work` for each org, `limit` at a time, while the run is not cancelled; one run at a time. */
  async #start(
    action: FleetAction,
    ids: readonly string[],
    work: (id: string) => Promise<Outcome>,
    limit = FLEET_CONCURRENCY,
  ): Promise<void> {
    if (this.running || ids.length === 0) return;
    const run: FleetRun = {
      action,
      total: ids.length,
      done: 0,
      failed: 0,
      stopped: 0,
      cancelled: false,
      finished: false,
      waiting: null,
    };
    this.#run = run;
    const live = this.#run;
    // The rows show this run's results only: an older one would read as news.
    this.#results.clear();
    for (const id of ids) this.#results.set(id, { state: 'queued' });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!live.cancelled && next < ids.length) {
        const id = ids[next++]!;
        this.#results.set(id, { state: 'running' });
        let outcome: Outcome;
        try {
          outcome = await work(id);
        } catch (e) {
          outcome = { state: 'done', tone: 'bad', text: e instanceof Error ? e.message : String(e), failed: true };
        }
        this.#results.set(id, outcome);
        live.done++;
        if (outcome.failed) live.failed++;
        if (outcome.stopped) live.stopped++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, ids.length) }, worker));
    this.#flush();
    for (const id of ids.slice(next)) {
      this.#results.set(id, { state: 'done', tone: 'muted', text: 'Not run: cancelled.', failed: false });
    }
    live.finished = true;
  }
}
