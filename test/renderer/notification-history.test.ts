/** The desktop notifications main showed, as the window lists and clears them. */
import { describe, expect, it } from 'vitest';
import type { NotificationEntry } from '../../preload/contract';
import { Notices } from '../../renderer/state/notices.svelte';
import { NotificationHistoryState } from '../../renderer/state/notification-history.svelte';
import { fakeApi, ok } from './support';

const entry: NotificationEntry = {
  at: 1,
  orgId: 'a',
  orgLabel: 'Acme Prod',
  cause: 'refresh-dead',
  text: 'Acme Prod: the refresh token was revoked (introspection said inactive at 10:42): re-authenticate.',
};

describe('NotificationHistoryState', () => {
  it('loads what main showed and clears it', async () => {
    let stored = [entry];
    const api = fakeApi({
      listNotifications: async () => ok(stored),
      clearNotifications: async () => ((stored = []), ok(null)),
    });
    const history = new NotificationHistoryState(api, new Notices());
    expect(history.entries).toEqual([]);
    await history.load();
    expect(history.entries).toEqual([entry]);
    await history.clear();
    expect(history.entries).toEqual([]);
    await history.load();
    expect(history.entries).toEqual([]);
  });

  it('says why when main cannot answer, and keeps what it showed', async () => {
    const notices = new Notices();
    const failing = { ok: false as const, error: { code: 'vault/io' as const, message: 'Could not write the store.' } };
    const api = fakeApi({
      listNotifications: async () => ok([entry]),
      clearNotifications: async () => failing,
    });
    const history = new NotificationHistoryState(api, notices);
    await history.load();
    await history.clear();
    expect(history.entries).toEqual([entry]);
    expect(notices.current).toMatchObject({ kind: 'error', code: 'vault/io' });
  });
});
