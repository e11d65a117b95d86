/** The selected org's page, with a fake bridge: busy labels, notices, and what each action shows. */
import { describe, expect, it } from 'vitest';
import type { Api, IntrospectionView, SettingsView, TokenInspection, TokenSummary } from '../../preload/contract';
import { NO_EVIDENCE } from '../../preload/token-status';
import { appState, fail, fakeApi, ok, org } from './support';

describe('OrgDetailState', () => {
  it('turns a revoke into a notice and reloads, and shows errors with their code', async () => {
    let lists = 0;
    const { orgList, orgDetail, notices } = appState(fakeApi({ listOrgs: async () => (lists++, ok([org('a')])) }));
    await orgList.load();
    await orgDetail.revoke('a', 'refresh');
    // Revoking the refresh token leaves signing in again as the next step: told, not shown in green.
    expect(notices.current).toEqual({ kind: 'info', text: 'Revoked the refresh token of a.' });
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
          return ok({ revoked: 'refresh', summary: 'Signed out of a.', confirmed: null });
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
      fakeApi({ signOut: async () => ok({ revoked: null, summary, confirmed: null }), listOrgs: async () => ok([]) }),
    );
    await state.orgDetail.signOut('a');
    expect(state.notices.current).toEqual({ kind: 'error', text: summary });
  });
});

const view = (active: boolean): IntrospectionView => ({
  active,
  scope: [],
  clientId: null,
  username: null,
  sub: null,
  tokenType: null,
  exp: null,
  iat: null,
  nbf: null,
  checkedAt: 1,
});
const stored = (kind: TokenSummary['kind']): TokenSummary => ({
  kind,
  format: 'opaque',
  scopes: [],
  issuedAt: null,
  expiresAt: null,
  status: 'unknown',
  lastCheckedAt: null,
  hint: kind,
  previousReplacedAt: null,
  evidence: NO_EVIDENCE,
});

describe('OrgDetailState after a revocation or a refusal', () => {
  it('shows revoking an access token that Refresh can replace as a success, one that nothing can as info', async () => {
    const summary = 'Revoked the access token …1234 of a. Refresh gets a new access token.';
    const renewable = appState(
      fakeApi({
        listOrgs: async () => ok([org('a', { tokens: [stored('access'), stored('refresh')] })]),
        revokeToken: async () => ok({ revoked: 'access', summary, confirmed: { active: false, at: 2 } }),
      }),
    );
    await renewable.orgDetail.revoke('a', 'access');
    expect(renewable.notices.current).toEqual({ kind: 'success', text: summary });

    const alone = appState(
      fakeApi({
        listOrgs: async () => ok([org('a', { tokens: [stored('access')] })]),
        revokeToken: async () => ok({ revoked: 'access', summary, confirmed: null }),
      }),
    );
    await alone.orgDetail.revoke('a', 'access');
    expect(alone.notices.current).toEqual({ kind: 'info', text: summary });

    const nothing = appState(
      fakeApi({ revokeToken: async () => ok({ revoked: null, summary: 'Not revoked.', confirmed: null }) }),
    );
    await nothing.orgDetail.revoke('a', 'access');
    expect(nothing.notices.current).toEqual({ kind: 'error', text: 'Not revoked.' });
  });

  it('forgets the introspection of a token once it is revoked or replaced', async () => {
    const { orgDetail } = appState(
      fakeApi({
        introspectToken: async () => ok(view(true)),
        testToken: async () =>
          ok({ ok: true, httpStatus: 200, apiVersions: [], limits: [], refreshed: false, message: 'Works.' }),
        refreshOrg: async () => ok(org('a')),
      }),
    );
    await orgDetail.introspect('a', 'access');
    await orgDetail.introspect('a', 'refresh');
    await orgDetail.test('a');
    await orgDetail.revoke('a', 'access');
    expect(orgDetail.introspectionFor('a', 'access')).toBeUndefined();
    expect(orgDetail.introspectionFor('a', 'refresh')).toEqual(view(true));
    expect(orgDetail.testFor('a')).toBeUndefined();

    await orgDetail.introspect('a', 'access');
    await orgDetail.refresh('a');
    expect([orgDetail.introspectionFor('a', 'access'), orgDetail.introspectionFor('a', 'refresh')]).toEqual([
      undefined,
      undefined,
    ]);

    // A revoked refresh token takes its access tokens along.
    await orgDetail.introspect('a', 'access');
    await orgDetail.revoke('a', 'refresh');
    expect(orgDetail.introspectionFor('a', 'access')).toBeUndefined();
  });

  it('loads the orgs again after a refused refresh or a revoked token, so badge and rows show it', async () => {
    for (const code of ['oauth/invalid_grant', 'token/revoked'] as const) {
      let lists = 0;
      const { orgDetail, notices } = appState(
        fakeApi({
          listOrgs: async () => (lists++, ok([org('a')])),
          testToken: async () => fail(code, 'The access token was revoked. Refresh gets a new one.'),
        }),
      );
      await orgDetail.test('a');
      expect(lists, code).toBe(1);
      expect(notices.current?.code).toBe(code);
    }
  });

  it('opens the org in the browser named or the one of the setting, and says which', async () => {
    const sent: Parameters<Api['openOrgInBrowser']>[0][] = [];
    let openOrgsIn: SettingsView['openOrgsIn'] = 'firefox';
    const { orgDetail, notices } = appState(
      fakeApi({
        listBrowsers: async () =>
          ok([
            { id: 'chrome', name: 'Google Chrome' },
            { id: 'firefox', name: 'Firefox' },
          ]),
        getSettings: async () => ok({ openOrgsIn } as SettingsView),
        openOrgInBrowser: async (input) => (sent.push(input), ok(null)),
      }),
    );
    // Before the list is loaded nothing is assumed: main opens it where the setting says.
    await orgDetail.openInBrowser('a');
    expect(notices.current).toEqual({ kind: 'success', text: 'Opened the org in your browser.' });
    await orgDetail.loadBrowsers();
    expect(orgDetail.browsers).toEqual({
      found: [
        { id: 'chrome', name: 'Google Chrome' },
        { id: 'firefox', name: 'Firefox' },
      ],
      openOrgsIn: 'firefox',
    });
    await orgDetail.openInBrowser('a', '/lightning/setup/SetupOneHome/home', 'Setup');
    expect(notices.current?.text).toBe('Opened Setup in Firefox.');
    await orgDetail.openInBrowser('a', undefined, 'the org', 'chrome');
    expect(notices.current?.text).toBe('Opened the org in Google Chrome.');
    await orgDetail.openInBrowser('a', undefined, 'the org', 'system');
    expect(notices.current?.text).toBe('Opened the org in your browser.');
    expect(sent).toEqual([
      { id: 'a' },
      { id: 'a', path: '/lightning/setup/SetupOneHome/home' },
      { id: 'a', browser: 'chrome' },
      { id: 'a', browser: 'system' },
    ]);
    openOrgsIn = 'system';
    await orgDetail.loadBrowsers();
    expect(orgDetail.browsers?.openOrgsIn).toBe('system');
  });

  it('shows why the browsers could not be listed', async () => {
    const { orgDetail, notices } = appState(
      fakeApi({
        listBrowsers: async () => fail('internal', 'Something went wrong inside the app.'),
        getSettings: async () => ok({ openOrgsIn: 'system' } as SettingsView),
      }),
    );
    await orgDetail.loadBrowsers();
    expect(orgDetail.browsers).toBeNull();
    expect(notices.current).toMatchObject({ kind: 'error', code: 'internal' });
  });
});
