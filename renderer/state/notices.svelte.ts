import type { ApiError } from '../../preload/contract';

type Notice = { kind: 'success' | 'error' | 'info'; text: string; code?: string };
/** A notice as the history keeps it: when it was shown, and a number that tells repeats apart. */
export type PastNotice = Notice & { at: number; seq: number };

const HISTORY = 30;

/**
 * The message of the last action: what it did, or why it did not. It shows as a toast that success and
 * information let go of after a while (errors stay until dismissed), and the last {@link HISTORY} are kept
 * so that a message that faded can be read again.
 */
export class Notices {
  #current = $state<PastNotice | null>(null);
  #history = $state<PastNotice[]>([]);
  #seq = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get current(): Notice | null {
    if (this.#current === null) return null;
    const { kind, text, code } = this.#current;
    return code === undefined ? { kind, text } : { kind, text, code };
  }
  /** Identifies the current notice, so a toast's timer knows whether it is still the same one. */
  get currentSeq(): number | null {
    return this.#current?.seq ?? null;
  }
  /** The notices shown so far, newest first. */
  get history(): readonly PastNotice[] {
    return this.#history;
  }

  show(kind: Notice['kind'], text: string): void {
    this.#push({ kind, text });
  }

  /** Shows an error with its code, which the page keeps in `data-code`. */
  fail(error: ApiError): void {
    this.#push({ kind: 'error', text: error.message, code: error.code });
  }

  dismiss(): void {
    this.#current = null;
  }

  /** Dismisses the notice `seq` if it is still the one shown (a toast's timer ran out). */
  expire(seq: number): void {
    if (this.#current?.seq === seq) this.#current = null;
  }

  #push(notice: Notice): void {
    const past: PastNotice = { ...notice, at: this.#now(), seq: ++this.#seq };
    this.#current = past;
    this.#history = [past, ...this.#history].slice(0, HISTORY);
  }
}
