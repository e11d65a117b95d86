/** The renderer's state classes, with a fake bridge: what the components show comes from here. */
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Api, ApiError, OrgSummary, Result, SignInStart } from '../../preload/contract';
import { InspectorState } from '../../renderer/state/inspector.svelte';
import { OrgsState } from '../../renderer/state/orgs.svelte';

const WEB = { profileId: 'p', loginHost: 'production', method: 'web-server' } as const;
const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (code: ApiError['code'], message: string): Result<never> => ({ ok: false, error: { code, message } });

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

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

const org = (id: string, extra: Partial<OrgSummary> = {}): OrgSummary => ({
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
  profileId: 'p',
  grant: 'authorization_code',
  tokens: [],
  addedAt: 1,
  updatedAt: 1,
  ...extra,
});

function fakeApi(overrides: Partial<Api> = {}): Api {
  const start: SignInStart = {
    flowId: 'f1',
    method: 'web-server',
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
    revokeToken: async () => ok({ revoked: 'refresh', summary: 'Revoked the refresh token of a.' }),
  };
  return { ...base, ...overrides } as Api;
}

describe('OrgsState', () => {
  it('loads orgs, signs in, selects the new org and says so', async () => {
    const state = new OrgsState(fakeApi());
    await state.load();
    expect(state.orgs.map((o) => o.id)).toEqual(['a']);
    expect(await state.signInWith(WEB)).toBe(true);
    expect(state.orgs.map((o) => o.id)).toEqual(['a', 'b']);
    expect(state.selected?.id).toBe('b');
    expect(state.notice).toEqual({ kind: 'success', text: 'Signed in to Beta as beta@x.example.' });
    expect(state.signIn).toEqual({ step: 'idle' });
  });

  it('shows a waiting step with the authorize URL, goes back to idle on cancel, and keeps failures', async () => {
    const waiting = deferred<Result<OrgSummary>>();
    const state = new OrgsState(
      fakeApi({
        awaitSignIn: () => waiting.promise,
        cancelSignIn: async () => {
          waiting.resolve(fail('oauth/cancelled', 'Sign-in was cancelled.'));
          return ok(null);
        },
      }),
    );
    const running = state.signInWith(WEB);
    await new Promise((r) => setTimeout(r, 0));
    expect(state.signIn.step).toBe('waiting');
    await state.cancelSignIn();
    expect(await running).toBe(false);
    expect(state.signIn).toEqual({ step: 'idle' });

    const failing = new OrgsState(
      fakeApi({ awaitSignIn: async () => fail('oauth/port_in_use', 'Port 1717 is in use by another program.') }),
    );
    expect(await failing.signInWith(WEB)).toBe(false);
    expect(failing.signIn).toEqual({
      step: 'failed',
      error: { code: 'oauth/port_in_use', message: 'Port 1717 is in use by another program.' },
    });
  });

  it('turns a revoke into a notice and reloads, and shows errors with their code', async () => {
    let lists = 0;
    const state = new OrgsState(fakeApi({ listOrgs: async () => (lists++, ok([org('a')])) }));
    await state.load();
    await state.revoke('a', 'refresh');
    expect(state.notice).toEqual({ kind: 'success', text: 'Revoked the refresh token of a.' });
    expect(lists).toBe(2);
    expect(state.busyFor('a')).toBeUndefined();

    const broken = new OrgsState(
      fakeApi({ revokeToken: async () => fail('oauth/network', 'Could not reach login.salesforce.com.') }),
    );
    await broken.revoke('a', 'access');
    expect(broken.notice).toEqual({
      kind: 'error',
      text: 'Could not reach login.salesforce.com.',
      code: 'oauth/network',
    });
  });
});

describe('OrgsState, other ways in', () => {
  it('cancels a sign-in that is still starting as soon as it has an id', async () => {
    const begun = deferred<Result<SignInStart>>();
    const cancelled: string[] = [];
    const state = new OrgsState(
      fakeApi({
        beginSignIn: () => begun.promise,
        cancelSignIn: async ({ flowId }) => (cancelled.push(flowId), ok(null)),
        awaitSignIn: async () => fail('oauth/cancelled', 'Cancelled.'),
      }),
    );
    const running = state.signInWith({ ...WEB, method: 'device' });
    expect(state.signIn.step).toBe('starting');
    await state.cancelSignIn();
    begun.resolve(
      ok({
        flowId: 'dev1',
        method: 'device',
        userCode: 'BCDFGHJK',
        verificationUri: 'https://login.salesforce.com/setup/connect',
        verificationUriComplete: null,
        interval: 5,
        expiresAt: Date.now() + 600_000,
      }),
    );
    expect(await running).toBe(false);
    expect(cancelled).toEqual(['dev1']);
    expect(state.signIn).toEqual({ step: 'idle' });
  });

  it('imports the chosen CLI orgs, says which failed, and lists again', async () => {
    const list = {
      sfPath: '/usr/local/bin/sf',
      orgs: ['a@x.example', 'b@x.example'].map((username) => ({
        username,
        alias: username[0]!,
        orgId: null,
        instanceUrl: null,
        kind: 'production' as const,
        connectedStatus: null,
        isExpired: false,
        expirationDate: null,
        isDefault: false,
        knownAs: null,
      })),
    };
    const state = new OrgsState(
      fakeApi({
        listCliOrgs: async () => ok(list),
        importCliOrgs: async () =>
          ok({
            imported: [org('a')],
            failed: [{ username: 'b@x.example', message: 'No authorization information found.' }],
          }),
      }),
    );
    await state.loadCliOrgs();
    expect(state.cli).toEqual({ step: 'listed', list });
    expect(await state.importCliOrgs(['a@x.example', 'b@x.example'])).toBe(true);
    expect(state.selected?.id).toBe('a');
    expect(state.notice).toEqual({
      kind: 'info',
      text: 'Imported 1 of 2 orgs from the Salesforce CLI. Not imported: b@x.example: No authorization information found.',
    });
    expect(state.cli.step).toBe('listed');
  });

  it('shows a missing CLI as a failure the panel can explain', async () => {
    const state = new OrgsState(
      fakeApi({ listCliOrgs: async () => fail('cli/not_found', 'The Salesforce CLI (sf) was not found.') }),
    );
    await state.loadCliOrgs();
    expect(state.cli).toEqual({
      step: 'failed',
      error: { code: 'cli/not_found', message: 'The Salesforce CLI (sf) was not found.' },
    });
  });
});
