/** The message of the last action, and the ones before it. */
import { describe, expect, it } from 'vitest';
import { Notices } from '../../renderer/state/notices.svelte';

describe('Notices', () => {
  it('shows the latest message, keeps an error code, and goes away when dismissed', () => {
    const notices = new Notices();
    expect(notices.current).toBeNull();
    notices.show('success', 'Copied the code.');
    expect(notices.current).toEqual({ kind: 'success', text: 'Copied the code.' });
    notices.fail({ code: 'oauth/network', message: 'Could not reach login.salesforce.com.' });
    expect(notices.current).toEqual({
      kind: 'error',
      text: 'Could not reach login.salesforce.com.',
      code: 'oauth/network',
    });
    notices.dismiss();
    expect(notices.current).toBeNull();
  });

  it('keeps the last 30 messages newest first, with when each was shown', () => {
    let now = 1000;
    const notices = new Notices(() => now);
    for (let i = 0; i < 35; i++) {
      now += 1000;
      notices.show('info', `message ${i}`);
    }
    expect(notices.history).toHaveLength(30);
    expect(notices.history[0]).toMatchObject({ text: 'message 34', at: 36_000 });
    notices.dismiss();
    expect(notices.history).toHaveLength(30);
  });

  it('lets a toast timer expire only the notice it was started for', () => {
    const notices = new Notices();
    notices.show('success', 'first');
    const first = notices.currentSeq!;
    notices.show('success', 'second');
    notices.expire(first);
    expect(notices.current?.text).toBe('second');
    notices.expire(notices.currentSeq!);
    expect(notices.current).toBeNull();
  });
});
