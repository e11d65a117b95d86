import type { ClaimKey } from '../../lib/token-text';

/**
 * Which claim the user points at or focuses, shared by the claim rows and the coloured token so each lights
 * the other. Pointer and focus are kept apart: moving the mouse away does not drop the row that has focus.
 */
export class ClaimHighlight {
  #hover = $state<ClaimKey | null>(null);
  #focus = $state<ClaimKey | null>(null);

  /** The claim to light: the one under the pointer, else the focused one. */
  get active(): ClaimKey | null {
    return this.#hover ?? this.#focus;
  }

  hover(key: ClaimKey | null): void {
    this.#hover = key;
  }

  focus(key: ClaimKey | null): void {
    this.#focus = key;
  }

  /** Drops `key` if it is what the focus lit (focus left its row). */
  blur(key: ClaimKey): void {
    if (this.#focus === key) this.#focus = null;
  }
}
