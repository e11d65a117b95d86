import type { Api, ApiError, TokenInspection } from '../../preload/contract';

/** The "paste a token" state: the text, the latest inspection or error, and whether a call is running. */
export class InspectorState {
  #input = $state('');
  #inspection = $state<TokenInspection | null>(null);
  #error = $state<ApiError | null>(null);
  #busy = $state(false);
  #seq = 0;
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

  /** Inspects the current input. Only the latest call's answer is shown. */
  async inspect(): Promise<void> {
    const token = this.#input;
    const seq = ++this.#seq;
    this.#busy = true;
    try {
      const result = await this.#api.inspectToken({ token });
      if (seq !== this.#seq) return;
      this.#inspection = result.ok ? result.value : null;
      this.#error = result.ok ? null : result.error;
    } finally {
      if (seq === this.#seq) this.#busy = false;
    }
  }

  clear(): void {
    this.#seq++;
    this.#input = '';
    this.#inspection = null;
    this.#error = null;
    this.#busy = false;
  }
}
