/** The one message above the content. */
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
});
