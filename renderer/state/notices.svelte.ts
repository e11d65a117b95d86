import type { ApiError } from '../../preload/contract';

type Notice = { kind: 'success' | 'error' | 'info'; text: string; code?: string };

/** The one message above the content: what the last action did, or why it did not. */
export class Notices {
  #current = $state<Notice | null>(null);

  get current(): Notice | null {
    return this.#current;
  }

  show(kind: Notice['kind'], text: string): void {
    this.#current = { kind, text };
  }

  /** Shows an error with its code, which the page keeps in `data-code`. */
  fail(error: ApiError): void {
    this.#current = { kind: 'error', text: error.message, code: error.code };
  }

  dismiss(): void {
    this.#current = null;
  }
}
