/** The "paste a token" state, with a fake bridge. */
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Api, Result } from '../../preload/contract';
import { InspectorState } from '../../renderer/state/inspector.svelte';
import { deferred, fail } from './support';

describe('InspectorState', () => {
  it('shows only the answer to the latest inspection, and clears everything', async () => {
    const slow = deferred<Result<never>>();
    const answers = [
      slow.promise,
      Promise.resolve(fail('token/bad_json', 'The payload (part 2) decodes, but not to JSON text.')),
    ];
    const state = new InspectorState({ inspectToken: () => answers.shift()! } as Pick<Api, 'inspectToken'>);
    state.input = 'first';
    const first = state.inspect();
    state.input = 'second';
    await state.inspect();
    slow.resolve(fail('token/empty', 'late answer'));
    await first;
    flushSync();
    expect(state.error?.code).toBe('token/bad_json');
    expect(state.busy).toBe(false);
    state.clear();
    expect([state.input, state.error, state.inspection]).toEqual(['', null, null]);
  });
});

describe('InspectorState, live', () => {
  const jws = (label: string) => ({ ok: true, value: { kind: 'opaque', length: 30, label, findings: [] } }) as const;

  it('decodes after a pause in typing, a paste at once, and keeps the last answer until the next arrives', async () => {
    vi.useFakeTimers();
    try {
      const asked: string[] = [];
      const state = new InspectorState({
        inspectToken: ({ token }) => {
          asked.push(token);
          return Promise.resolve(token === 'bad' ? fail('token/unsupported', 'not a token') : jws(token));
        },
      } as Pick<Api, 'inspectToken'>);
      state.edit('b');
      state.edit('ba');
      state.edit('bad');
      expect(asked).toEqual([]);
      await vi.advanceTimersByTimeAsync(149);
      expect(asked).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(asked).toEqual(['bad']);
      expect(state.error?.code).toBe('token/unsupported');
      expect(state.decoded).toBe('bad');

      // Typing on: the error stays (no blinking) until the answer for the new text replaces it.
      state.edit('bad1');
      expect(state.error?.code).toBe('token/unsupported');
      expect(state.decoded).toBe('bad');
      await vi.advanceTimersByTimeAsync(150);
      expect(state.error).toBeNull();
      expect(state.inspection?.label).toBe('bad1');

      state.edit('pasted', true);
      await vi.advanceTimersByTimeAsync(0);
      expect(asked.at(-1)).toBe('pasted');
      expect(state.decoded).toBe('pasted');
      expect(state.slow).toBe(false);

      // A pending decode of typed text is dropped when the field is emptied.
      state.edit('typed');
      state.edit('  ');
      await vi.advanceTimersByTimeAsync(500);
      expect(asked.at(-1)).toBe('pasted');
      expect([state.inspection, state.error, state.decoded]).toEqual([null, null, null]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says it is decoding only when a decode takes a while', async () => {
    vi.useFakeTimers();
    try {
      const slow = deferred<Result<never>>();
      const state = new InspectorState({ inspectToken: () => slow.promise } as Pick<Api, 'inspectToken'>);
      state.edit('x', true);
      await vi.advanceTimersByTimeAsync(200);
      expect([state.busy, state.slow]).toEqual([true, false]);
      await vi.advanceTimersByTimeAsync(200);
      expect(state.slow).toBe(true);
      slow.resolve(fail('token/empty', 'x'));
      await vi.advanceTimersByTimeAsync(0);
      expect([state.busy, state.slow]).toEqual([false, false]);
    } finally {
      vi.useRealTimers();
    }
  });
});
