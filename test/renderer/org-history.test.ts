/** The org history state, with a fake bridge: loads per org, keeps another org's events out, reports exports. */
import { describe, expect, it } from 'vitest';
import type { Api, OrgEvent } from '../../preload/contract';
import { Notices } from '../../renderer/state/notices.svelte';
import { OrgHistoryState } from '../../renderer/state/org-history.svelte';
import { fail, ok } from './support';

const event = (at: number, kind: OrgEvent['kind']): OrgEvent => ({ at, kind, token: 'access', detail: 'd' });

function state(api: Partial<Pick<Api, 'getOrgHistory' | 'exportOrgHistory'>>) {
  const notices = new Notices();
  const full: Pick<Api, 'getOrgHistory' | 'exportOrgHistory'> = {
    getOrgHistory: async ({ id }) => ok(id === 'a' ? [event(2, 'revoked'), event(1, 'signed_in')] : []),
    exportOrgHistory: async () => ok({ path: '/tmp/a-history.csv', events: 2 }),
    ...api,
  };
  return { notices, history: new OrgHistoryState(full, notices) };
}

describe('OrgHistoryState', () => {
  it("shows the loaded org's events only", async () => {
    const { history } = state({});
    await history.load('a');
    expect(history.eventsFor('a').map((e) => e.kind)).toEqual(['revoked', 'signed_in']);
    expect(history.eventsFor('b')).toEqual([]);
    expect(history.loading).toBe(false);
  });

  it('reports a failed load and a written export', async () => {
    const broken = state({ getOrgHistory: async () => fail('org/not_found', 'This org is no longer in the app.') });
    await broken.history.load('a');
    expect(broken.notices.current).toMatchObject({ kind: 'error', code: 'org/not_found' });
    const { history, notices } = state({});
    await history.export('a', 'csv');
    expect(notices.current).toEqual({ kind: 'success', text: 'Wrote 2 events to /tmp/a-history.csv.' });
    const cancelled = state({ exportOrgHistory: async () => ok({ path: null, events: 2 }) });
    await cancelled.history.export('a', 'json');
    expect(cancelled.notices.current).toBeNull();
  });
});
