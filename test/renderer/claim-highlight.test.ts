import { describe, expect, it } from 'vitest';
import { ClaimHighlight } from '../../renderer/components/inspector/claim-highlight.svelte';

describe('the claim the user points at or focuses', () => {
  it('lights the hovered claim first, and keeps the focused one when the pointer leaves', () => {
    const h = new ClaimHighlight();
    expect(h.active).toBeNull();
    h.focus('payload:exp');
    h.hover('header:alg');
    expect(h.active).toBe('header:alg');
    h.hover(null);
    expect(h.active).toBe('payload:exp');
  });

  it('drops the focus only for the claim that lost it', () => {
    const h = new ClaimHighlight();
    h.focus('payload:exp');
    h.blur('payload:iat');
    expect(h.active).toBe('payload:exp');
    h.blur('payload:exp');
    expect(h.active).toBeNull();
  });
});
