import type { Api, OrgSummary, OrgUpdate } from '../../preload/contract';
import { orgAt } from '../lib/org-actions';
import type { Notices } from './notices.svelte';
import type { ProfilesState } from './profiles.svelte';

/** The orgs in the sidebar, which one is selected, and the export and import of them all. */
export class OrgListState {
  // Orgs are replaced whole (load, reload, upsert), never changed in place: a raw array keeps every field of
  // 500 orgs from becoming a signal that each status recompute on the clock would read and track.
  #orgs = $state.raw<OrgSummary[]>([]);
  #selectedId = $state<string | null>(null);
  #loaded = $state(false);
  readonly #api: Pick<Api, 'listOrgs' | 'updateOrg' | 'exportOrgs' | 'importOrgs'>;
  readonly #notices: Notices;
  readonly #profiles: ProfilesState;
  readonly #clock: { readonly now: number };
  /** The orgs with their statuses at the clock's time, so a badge turns Expired without a click. */
  readonly #shown = $derived.by(() => {
    const now = this.#clock.now;
    return this.#orgs.map((o) => orgAt(o, now));
  });

  constructor(
    api: Pick<Api, 'listOrgs' | 'updateOrg' | 'exportOrgs' | 'importOrgs'>,
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
  get orgs(): OrgSummary[] {
    return this.#shown;
  }
  /** True once the first load answered, so an empty list means there are no orgs. */
  get loaded(): boolean {
    return this.#loaded;
  }
  get selectedId(): string | null {
    return this.#selectedId;
  }
  get selected(): OrgSummary | null {
    return this.#shown.find((o) => o.id === this.#selectedId) ?? null;
  }

  select(id: string | null): void {
    this.#selectedId = id;
  }

  /** Loads the orgs; a failure becomes the notice. */
  async load(): Promise<void> {
    const r = await this.#api.listOrgs();
    if (r.ok) this.#orgs = r.value;
    else this.#notices.fail(r.error);
    this.#loaded = true;
  }

  /** Loads them again after a call changed them; a failure keeps the list as it was. */
  async reload(): Promise<void> {
    const r = await this.#api.listOrgs();
    if (r.ok) this.#orgs = r.value;
  }

  /** Puts an org the main process returned in the list, in place of the old one if it was there. */
  upsert(org: OrgSummary): void {
    const i = this.#orgs.findIndex((o) => o.id === org.id);
    this.#orgs = i === -1 ? [...this.#orgs, org] : this.#orgs.map((o) => (o.id === org.id ? org : o));
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
