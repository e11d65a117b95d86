/** The selected org's page, with a fake bridge: busy labels, notices, and what each action shows. */
import { describe, expect, it } from 'vitest';
import type { TokenInspection } from '../../preload/contract';
import { appState, fail, fakeApi, ok, org } from './support';

describe('OrgDetailState', () => {
  it('turns a revoke into a notice and reloads, and shows errors with their code', async () => {
    let lists = 0;
    const { orgList, orgDetail, notices } = appState(fakeApi({ listOrgs: async () => (lists++, ok([org('a')])) }));
    await orgList.load();
    await orgDetail.revoke('a', 'refresh');
    expect(notices.current).toEqual({ kind: 'success', text: 'Revoked the refresh token of a.' });
    expect(lists).toBe(2);
    expect(orgDetail.busyFor('a')).toBeUndefined();

    const broken = appState(
      fakeApi({ revokeToken: async () => fail('oauth/network', 'Could not reach login.salesforce.com.') }),
    );
    await broken.orgDetail.revoke('a', 'access');
    expect(broken.notices.current).toEqual({
      kind: 'error',
      text: 'Could not reach login.salesforce.com.',
      code: 'oauth/network',
    });
  });

  it('forgets the decoded and revealed token when another org is opened', async () => {
    const inspection = { kind: 'opaque' } as unknown as TokenInspection;
    const { orgList, orgDetail } = appState(
      fakeApi({
        inspectOrgToken: async () => ok(inspection),
        revealToken: async () => ok({ token: '00Dx!secret' }),
      }),
    );
    orgDetail.open('a');
    await orgDetail.inspect('a', 'access');
    await orgDetail.reveal('a', 'access');
    expect(orgDetail.inspected).toEqual({ id: 'a', kind: 'access', inspection });
    expect(orgDetail.revealed).toEqual({ id: 'a', kind: 'access', token: '00Dx!secret' });
    orgDetail.open('b');
    expect(orgList.selectedId).toBe('b');
    expect([orgDetail.inspected, orgDetail.revealed, orgDetail.verification]).toEqual([null, null, null]);
  });

  it('unselects an org it signed out of, and shows it busy meanwhile', async () => {
    let busy: string | undefined;
    const state = appState(
      fakeApi({
        signOut: async () => {
          busy = state.orgDetail.busyFor('a');
          return ok({ revoked: 'refresh', summary: 'Signed out of a.' });
        },
        listOrgs: async () => ok([]),
      }),
    );
    state.orgDetail.open('a');
    await state.orgDetail.signOut('a');
    expect(busy).toBe('Signing out…');
    expect(state.orgList.selectedId).toBeNull();
    expect(state.notices.current).toEqual({ kind: 'success', text: 'Signed out of a.' });
  });

  it('does not show a sign-out that revoked nothing as a success', async () => {
    const summary = 'Removed a from this app. Its refresh token could not be revoked: … revoke it in Salesforce.';
    const state = appState(
      fakeApi({ signOut: async () => ok({ revoked: null, summary }), listOrgs: async () => ok([]) }),
    );
    await state.orgDetail.signOut('a');
    expect(state.notices.current).toEqual({ kind: 'error', text: summary });
  });
});
