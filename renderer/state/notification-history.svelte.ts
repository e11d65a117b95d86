import type { Api, NotificationEntry } from '../../preload/contract';
import type { Notices } from './notices.svelte';

type NotificationApi = Pick<Api, 'listNotifications' | 'clearNotifications'>;

/**
 * The desktop notifications main showed (main/orgs/notifications.ts), newest first, kept in the vault: what
 * was said, of which org, when. Shown with the window's own messages (components/NoticeBar.svelte).
 */
export class NotificationHistoryState {
  #entries = $state<NotificationEntry[]>([]);
  readonly #api: NotificationApi;
  readonly #notices: Notices;

  constructor(api: NotificationApi, notices: Notices) {
    this.#api = api;
    this.#notices = notices;
  }

  get entries(): readonly NotificationEntry[] {
    return this.#entries;
  }

  /** Asks main for the list again (main may have notified since, while the window was in the background). */
  async load(): Promise<void> {
    const r = await this.#api.listNotifications();
    if (r.ok) this.#entries = r.value;
    else this.#notices.fail(r.error);
  }

  async clear(): Promise<void> {
    const r = await this.#api.clearNotifications();
    if (r.ok) this.#entries = [];
    else this.#notices.fail(r.error);
  }
}
