import type { Api, OrgEvent } from '../../preload/contract';
import type { Notices } from './notices.svelte';

type HistoryApi = Pick<Api, 'getOrgHistory' | 'exportOrgHistory'>;

/** The selected org's history: what happened to its tokens, newest first, and its export. */
export class OrgHistoryState {
  #forId = $state<string | null>(null);
  #events = $state<OrgEvent[]>([]);
  #loading = $state(false);
  readonly #api: HistoryApi;
  readonly #notices: Notices;

  constructor(api: HistoryApi, notices: Notices) {
    this.#api = api;
    this.#notices = notices;
  }

  /** The events of `id`, or none when another org's history is loaded. */
  eventsFor(id: string): OrgEvent[] {
    return this.#forId === id ? this.#events : [];
  }

  get loading(): boolean {
    return this.#loading;
  }

  async load(id: string): Promise<void> {
    this.#loading = true;
    try {
      const r = await this.#api.getOrgHistory({ id });
      if (r.ok) {
        this.#forId = id;
        this.#events = r.value;
      } else this.#notices.fail(r.error);
    } finally {
      this.#loading = false;
    }
  }

  async export(id: string, format: 'json' | 'csv'): Promise<void> {
    const r = await this.#api.exportOrgHistory({ id, format });
    if (!r.ok) this.#notices.fail(r.error);
    else if (r.value.path !== null) this.#notices.show('success', `Wrote ${r.value.events} events to ${r.value.path}.`);
  }
}
