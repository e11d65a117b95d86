/** The "paste a token" state, with a fake bridge. */
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
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
