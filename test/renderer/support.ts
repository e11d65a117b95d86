/** What the renderer state tests share: results, a fake bridge, an org, and the state wired as App.svelte wires it. */
import type { Api, ApiError, OrgSummary, Result, SignInStart } from '../../preload/contract';
import { CliImportState } from '../../renderer/state/cli-import.svelte';
import { Notices } from '../../renderer/state/notices.svelte';
import { OrgDetailState } from '../../renderer/state/org-detail.svelte';
import { OrgListState } from '../../renderer/state/org-list.svelte';
import { ProfilesState } from '../../renderer/state/profiles.svelte';
import { SignInState } from '../../renderer/state/sign-in.svelte';

export const WEB = { profileId: 'p', loginHost: 'production', method: 'authorization_code' } as const;
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ApiError['code'], message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});

export function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const org = (id: string, extra: Partial<OrgSummary> = {}): OrgSummary => ({
  id,
  label: id,
  orgId: null,
  orgId18: null,
  userId: null,
  username: `${id}@x.example`,
  displayName: null,
  instanceUrl: null,
  myDomain: null,
  loginHost: 'https://login.salesforce.com',
  orgType: 'production',
  status: 'connected',
  color: null,
  group: null,
  pinned: false,
  refreshAhead: false,
  profileId: 'p',
  grant: 'authorization_code',
  renewsByGrant: false,
  tokens: [],
  addedAt: 1,
  updatedAt: 1,
  ...extra,
});

/** A bridge with one org, no profiles, and a web server sign-in that brings org "b" (Beta). */
export function fakeApi(overrides: Partial<Api> = {}): Api {
  const start: SignInStart = {
    flowId: 'f1',
    method: 'authorization_code',
    authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize?x',
    redirectUri: 'http://localhost:1717/OauthRedirect',
    expiresAt: Date.now() + 300_000,
  };
  const base: Partial<Api> = {
    listOrgs: async () => ok([org('a')]),
    listAppProfiles: async () => ok([]),
    beginSignIn: async () => ok(start),
    awaitSignIn: async () => ok(org('b', { label: 'Beta', username: 'beta@x.example' })),
    cancelSignIn: async () => ok(null),
    revokeToken: async () => ok({ revoked: 'refresh', summary: 'Revoked the refresh token of a.', confirmed: null }),
  };
  const api = { ...base, ...overrides } as Api;
  // One org's whole summary: the one the (possibly overridden) list has.
  api.getOrg ??= async ({ id }) => {
    const r = await api.listOrgs();
    if (!r.ok) return r;
    const found = r.value.find((o) => o.id === id);
    return found ? ok(found as OrgSummary) : fail('org/not_found', 'This org is no longer in the app.');
  };
  return api;
}

/** Every state class on one bridge, wired as `renderer/state/context.ts` wires them for the app. */
export function appState(api: Api) {
  const notices = new Notices();
  const profiles = new ProfilesState(api, notices);
  const orgList = new OrgListState(api, notices, profiles, {
    get now() {
      return Date.now();
    },
  });
  return {
    notices,
    profiles,
    orgList,
    orgDetail: new OrgDetailState(api, notices, orgList),
    signIn: new SignInState(api, notices, orgList, profiles),
    cliImport: new CliImportState(api, notices, orgList, profiles),
  };
}
