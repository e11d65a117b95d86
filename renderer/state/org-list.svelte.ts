import type { Api, OrgListItem, OrgSummary, OrgUpdate } from '../../preload/contract';
import { listItemOf } from '../../preload/token-status';
import { orgAt } from '../lib/org-actions';
import type { Notices } from './notices.svelte';
import type { ProfilesState } from './profiles.svelte';

type ListApi = Pick<Api, 'listOrgs' | 'getOrg' | 'updateOrg' | 'exportOrgs' | 'importOrgs'>;

/**
 * The orgs in the sidebar (summaries only: {@link OrgListItem}), which one is selected with its whole summary
 * (asked for with `getOrg` when it is selected), and the export and import of them all.
 */
export class OrgListState {
  // Orgs are replaced whole (load, reload, upsert), never changed in place: a raw array keeps every field of
  // 500 orgs from becoming a signal that each status recompute on the clock would read and track.
  #orgs = $state.raw<OrgListItem[]>([]);
  #selectedId = $state<string | null>(null);
  /** The selected org's whole summary, once `getOrg` answered for it. */
  #detail = $state<OrgSummary | null>(null);
  /** Counts the asks for and arrivals of a summary, so that a slower, older answer never replaces a newer one. */
  #detailAsks = 0;
  #loaded = $state(false);
  readonly #api: ListApi;
  readonly #notices: Notices;
  readonly #profiles: ProfilesState;
  readonly #clock: { readonly now: number };
  /** The orgs with their statuses at the clock's time, so a badge turns Expired without a click. */
  readonly #shown = $derived.by(() => {
    const now = this.#clock.now;
    return this.#orgs.map((o) => orgAt(o, now));
  });
  readonly #selected = $derived.by(() => {
    const d = this.#detail;
    return d !== null && d.id === this.#selectedId ? orgAt(d, this.#clock.now) : null;
  });

  constructor(
    api: ListApi,
    notices: Notices,
    profiles: ProfilesState,
    /** The app's one clock (renderer/state/clock.svelte.ts): statuses recompute as it ticks. */
    clock: { readonly now: number },
  ) {
    this.#api = api;
    this.#notices = notices;
    this.#profiles = profiles;
    this.#clock = clock;
  }

  /** The orgs, each token's status and each badge recomputed on the clock (preload/token-status.ts). */
  get orgs(): OrgListItem[] {
    return this.#shown;
  }
  /** True once the first load answered, so an empty list means there are no orgs. */
  get loaded(): boolean {
    return this.#loaded;
  }
  get selectedId(): string | null {
    return this.#selectedId;
  }
  /** The selected org's whole summary, its statuses on the clock; null until `getOrg` answered for it. */
  get selected(): OrgSummary | null {
    return this.#selected;
  }

  /** Selects an org and asks main for its whole summary; resolves once {@link selected} is it (or the ask failed). */
  select(id: string | null): Promise<void> {
    this.#selectedId = id;
    return id !== null && this.#detail?.id !== id ? this.#loadDetail(id) : Promise.resolve();
  }

  async #loadDetail(id: string): Promise<void> {
    const asked = ++this.#detailAsks;
    const r = await this.#api.getOrg({ id });
    // Another org may have been selected meanwhile, or a newer summary arrived: only the newest is kept.
    if (this.#selectedId !== id || asked !== this.#detailAsks) return;
    if (r.ok) this.#detail = r.value;
    else if (r.error.code === 'org/not_found') this.#forget(id);
    else this.#notices.fail(r.error);
  }

  #forget(id: string): void {
    this.#orgs = this.#orgs.filter((o) => o.id !== id);
    if (this.#selectedId === id) this.#selectedId = null;
  }

  /** Loads the orgs; a failure becomes the notice. */
  async load(): Promise<void> {
    const r = await this.#api.listOrgs();
    if (r.ok) this.#orgs = r.value;
    else this.#notices.fail(r.error);
    this.#loaded = true;
  }

  /** Loads them again after a call changed them, and the selected org's summary; a failure keeps them as they were. */
  async reload(): Promise<void> {
    const r = await this.#api.listOrgs();
    if (r.ok) this.#orgs = r.value;
    const id = this.#selectedId;
    if (id !== null) await this.#loadDetail(id);
  }

  /** Puts an org the main process returned in the list, in place of the old one if it was there. */
  upsert(org: OrgSummary): void {
    const item = listItemOf(org);
    const i = this.#orgs.findIndex((o) => o.id === org.id);
    this.#orgs = i === -1 ? [...this.#orgs, item] : this.#orgs.map((o) => (o.id === org.id ? item : o));
    // The selected org's summary is replaced only by its own; otherwise this may be the org about to be selected.
    const d = this.#detail;
    if (d === null || d.id === org.id || d.id !== this.#selectedId) {
      this.#detail = org;
      this.#detailAsks++;
    }
  }

  async update(input: OrgUpdate): Promise<void> {
    const r = await this.#api.updateOrg(input);
    if (r.ok) this.upsert(r.value);
    else this.#notices.fail(r.error);
  }

  async exportAll(): Promise<void> {
    const r = await this.#api.exportOrgs();
    if (!r.ok) return this.#notices.fail(r.error);
    if (r.value.path !== null) {
      this.#notices.show(
        'success',
        `Exported ${r.value.orgs} orgs and ${r.value.profiles} app profiles to ${r.value.path}. No token or secret is in the file.`,
      );
    }
  }

  async importAll(): Promise<void> {
    const r = await this.#api.importOrgs();
    if (!r.ok) return this.#notices.fail(r.error);
    if (r.value === null) return;
    const skipped = r.value.skipped.map((s) => s.reason).join(' ');
    this.#notices.show(
      r.value.skipped.length > 0 ? 'info' : 'success',
      `Imported ${r.value.imported} entries; sign in to each imported org to get tokens.${skipped ? ` Skipped: ${skipped}` : ''}`,
    );
    await Promise.all([this.load(), this.#profiles.load()]);
  }
}
