/** Where the recent list is kept: the window's localStorage, or a stand-in. */
export type RecentStorage = Pick<Storage, 'getItem' | 'setItem'>;

const KEY = 'sfti.recentOrgs';
const MAX = 20;

/**
 * The orgs opened most recently, newest first, so the palette can list them first. Kept in the window's own
 * storage: ids only, nothing secret, and losing it loses only the order.
 */
export class RecentOrgs {
  #ids = $state<string[]>([]);
  readonly #storage: RecentStorage | null;

  constructor(storage: RecentStorage | null) {
    this.#storage = storage;
    try {
      const saved: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
      if (Array.isArray(saved)) this.#ids = saved.filter((v): v is string => typeof v === 'string').slice(0, MAX);
    } catch {
      // A damaged entry only loses the order.
    }
  }

  get ids(): readonly string[] {
    return this.#ids;
  }

  /** 0 for the most recent, null for an org not opened lately. */
  rank(id: string): number | null {
    const i = this.#ids.indexOf(id);
    return i === -1 ? null : i;
  }

  touch(id: string): void {
    this.#ids = [id, ...this.#ids.filter((x) => x !== id)].slice(0, MAX);
    try {
      this.#storage?.setItem(KEY, JSON.stringify(this.#ids));
    } catch {
      // Storage full or refused: the order lives for this session only.
    }
  }
}
