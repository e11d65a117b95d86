import type { Api, ApiError, TokenInspection } from '../../preload/contract';

/** How long typing pauses before the text is decoded; a paste decodes at once. */
const DEBOUNCE_MS = 150;
/** A decode that takes longer than this says so ("Decoding…"); a quicker one shows nothing, so nothing flickers. */
const SLOW_MS = 300;

/**
 * The "paste a token" state: the text, the latest inspection or error, and whether a call is running. It
 * decodes as the user types (debounced) or pastes (at once); the answer on screen stays until the next one
 * arrives, so the error box does not blink on every keystroke.
 */
export class InspectorState {
  #input = $state('');
  #inspection = $state<TokenInspection | null>(null);
  #error = $state<ApiError | null>(null);
  #busy = $state(false);
  #slow = $state(false);
  /** The text the answer on screen is for (the input may have moved on since). */
  #decoded = $state<string | null>(null);
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #api: Pick<Api, 'inspectToken'>;

  constructor(api: Pick<Api, 'inspectToken'>) {
    this.#api = api;
  }

  get input(): string {
    return this.#input;
  }
  set input(value: string) {
    this.#input = value;
  }
  get inspection(): TokenInspection | null {
    return this.#inspection;
  }
  get error(): ApiError | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** A decode has been running for a while: worth a "Decoding…" status. */
  get slow(): boolean {
    return this.#slow;
  }
  /** The pasted text the inspection or error on screen answers. */
  get decoded(): string | null {
    return this.#decoded;
  }

  /**
   * The user changed the text: decode it after a pause in typing, or at once (`now`, for a paste or a drop).
   * Emptying the field clears the answer.
   */
  edit(value: string, now = false): void {
    this.#input = value;
    this.#stopTimer();
    if (value.trim() === '') {
      this.#reset();
      return;
    }
    if (now) void this.inspect();
    else {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        void this.inspect();
      }, DEBOUNCE_MS);
    }
  }

  /** Inspects the current input. Only the latest call's answer is shown. */
  async inspect(): Promise<void> {
    this.#stopTimer();
    const token = this.#input;
    const seq = ++this.#seq;
    this.#busy = true;
    const slow = setTimeout(() => {
      if (seq === this.#seq) this.#slow = true;
    }, SLOW_MS);
    try {
      const result = await this.#api.inspectToken({ token });
      if (seq !== this.#seq) return;
      this.#inspection = result.ok ? result.value : null;
      this.#error = result.ok ? null : result.error;
      this.#decoded = token;
    } finally {
      clearTimeout(slow);
      if (seq === this.#seq) {
        this.#busy = false;
        this.#slow = false;
      }
    }
  }

  clear(): void {
    this.#stopTimer();
    this.#input = '';
    this.#reset();
  }

  #reset(): void {
    this.#seq++;
    this.#inspection = null;
    this.#error = null;
    this.#decoded = null;
    this.#busy = false;
    this.#slow = false;
  }

  #stopTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
