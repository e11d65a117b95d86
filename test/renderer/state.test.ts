/** The renderer's state classes, with a fake bridge: what the components show comes from here. */
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Api, ApiError, OrgSummary, Result, SignInStart } from '../../preload/contract';
import { InspectorState } from '../../renderer/state/inspector.svelte';
import { OrgsState } from '../../renderer/state/orgs.svelte';

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
  tokens: [],
  addedAt: 1,
  updatedAt: 1,
  ...extra,
});

function fakeApi(overrides: Partial<Api> = {}): Api {
  const start: SignInStart = {
    flowId: 'f1',
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
    expect(await state.signInWith('p', 'production')).toBe(true);
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
    const running = state.signInWith('p', 'production');
    await new Promise((r) => setTimeout(r, 0));
    expect(state.signIn.step).toBe('waiting');
    await state.cancelSignIn();
    expect(await running).toBe(false);
    expect(state.signIn).toEqual({ step: 'idle' });

    const failing = new OrgsState(
      fakeApi({ awaitSignIn: async () => fail('oauth/port_in_use', 'Port 1717 is in use by another program.') }),
    );
    expect(await failing.signInWith('p', 'production')).toBe(false);
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
