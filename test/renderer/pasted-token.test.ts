/** Acting on a pasted token (renderer/state/pasted-token.svelte.ts), with a fake bridge. */
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type {
  Api,
  IntrospectionView,
  PastedRevokeResult,
  Result,
  TokenInspection,
  TokenMatch,
} from '../../preload/contract';
import { PastedTokenState } from '../../renderer/state/pasted-token.svelte';
import { deferred, fail, ok } from './support';

type PastedApi = Pick<Api, 'matchPastedToken' | 'introspectPastedToken' | 'revokePastedToken' | 'cancelSignIn'>;

const noMatch: TokenMatch = { issuer: null, orgId: null, clientId: null, subject: null, orgs: [], profiles: [] };
const stored: TokenMatch = {
  ...noMatch,
  orgId: '00D5g000004XYZAEA4',
  orgs: [
    { id: 'o1', label: 'Acme', reason: 'its stored access token; same org ID', sameToken: 'access' },
    { id: 'o2', label: 'Acme (other user)', reason: 'same org ID, another user', sameToken: null },
  ],
};
const active: IntrospectionView = {
  active: true,
  scope: ['api'],
  clientId: '3MVG9',
  username: 'ada@acme.example',
  sub: null,
  tokenType: 'access_token',
  exp: 2,
  iat: 1,
  nbf: 1,
  checkedAt: 1,
};
const revoked: PastedRevokeResult = {
  revoked: true,
  confirmed: true,
  endpoint: 'https://x/revoke',
  message: 'Revoked.',
};

function fake(overrides: Partial<PastedApi> = {}) {
  const calls: { method: string; input: unknown }[] = [];
  const api: PastedApi = {
    matchPastedToken: async (input) => (calls.push({ method: 'match', input }), ok(stored)),
    introspectPastedToken: async (input) => (calls.push({ method: 'introspect', input }), ok(active)),
    revokePastedToken: async (input) => (calls.push({ method: 'revoke', input }), ok(revoked)),
    cancelSignIn: async (input) => (calls.push({ method: 'cancel', input }), ok(null)),
    ...overrides,
  };
  return { api, calls };
}

describe('PastedTokenState', () => {
  it('shows only the latest token’s match, and acts at its best org', async () => {
    const slow = deferred<Result<TokenMatch>>();
    const answers = [slow.promise, Promise.resolve(ok(stored))];
    const { api, calls } = fake({ matchPastedToken: () => answers.shift()! });
    let reloads = 0;
    const state = new PastedTokenState(api, () => void reloads++);
    const first = state.matchToken('first-token');
    await state.matchToken('Bearer "00D5g000004XYZA!ARabcd"');
    slow.resolve(ok(noMatch));
    await first;
    flushSync();
    expect(state.org?.id).toBe('o1');
    expect(state.target).toEqual({ org: 'o1' });
    expect(state.hint).toBe('abcd');
    expect(state.where).toBe('Acme');
    await state.revoke();
    expect(state.revocation).toEqual(revoked);
    expect(calls.at(-1)).toEqual({
      method: 'revoke',
      input: { token: 'Bearer "00D5g000004XYZA!ARabcd"', target: { org: 'o1' }, flowId: expect.any(String) },
    });
    // The org's own token changed status in main: the org list is loaded again.
    expect(reloads).toBe(1);
    state.orgId = 'o2';
    expect(state.target).toEqual({ org: 'o2' });
    // Or at a login host of the user's choice instead.
    state.orgId = '';
    expect(state.target).toEqual({ loginHost: 'login.salesforce.com', profileId: null });
    expect(state.where).toBe('login.salesforce.com');
  });

  it('for no stored org, offers the login host the issuer names and the profile of its client', async () => {
    const match: TokenMatch = {
      ...noMatch,
      issuer: 'https://acme.my.salesforce.com/',
      clientId: '3MVG9',
      profiles: [{ id: 'p1', name: 'Inspector' }],
    };
    const { api, calls } = fake({ matchPastedToken: async () => ok(match) });
    let reloads = 0;
    const state = new PastedTokenState(api, () => void reloads++);
    await state.matchToken('eyJ.a.b');
    expect(state.target).toEqual({ loginHost: 'https://acme.my.salesforce.com', profileId: 'p1' });
    state.loginHost = 'test.salesforce.com';
    state.profileId = null;
    await state.introspect();
    expect(calls.at(-1)).toEqual({
      method: 'introspect',
      input: {
        token: 'eyJ.a.b',
        target: { loginHost: 'test.salesforce.com', profileId: null },
        flowId: expect.any(String),
      },
    });
    expect(state.introspection).toEqual(active);
    expect(reloads).toBe(0);
    // A token that names no https issuer gets Salesforce production.
    const other = new PastedTokenState(
      fake({ matchPastedToken: async () => ok({ ...match, issuer: 'urn:x' }) }).api,
      () => {},
    );
    await other.matchToken('x');
    expect(other.loginHost).toBe('login.salesforce.com');
  });

  it('shows an error with what to do, and drops the answer of an action for an earlier token', async () => {
    const slow = deferred<Result<PastedRevokeResult>>();
    const { api } = fake({
      introspectPastedToken: async () => fail('oauth/invalid_client', 'Choose the app profile with that consumer key.'),
      revokePastedToken: () => slow.promise,
    });
    const state = new PastedTokenState(api, () => {});
    await state.matchToken('one');
    await state.introspect();
    expect(state.error?.message).toBe('Choose the app profile with that consumer key.');
    expect(state.busy).toBeNull();
    const revoking = state.revoke();
    expect(state.busy).toBe('revoke');
    expect(state.error).toBeNull();
    // While it runs, another click does nothing.
    await state.introspect();
    await state.matchToken('two');
    slow.resolve(ok(revoked));
    await revoking;
    expect([state.revocation, state.busy, state.error]).toEqual([null, null, null]);
  });

  it('names the kind of token: what the org stores it as, else its shape', async () => {
    const { api } = fake({ matchPastedToken: async () => ok(noMatch) });
    const state = new PastedTokenState(api, () => {});
    await state.matchToken('5Aep861abc');
    const refresh: TokenInspection = {
      kind: 'salesforce-refresh',
      length: 10,
      label: 'Salesforce refresh token',
      findings: [],
    };
    expect(state.kindName(refresh)).toBe('refresh token');
    expect(state.where).toBe('login.salesforce.com');
    const stateWithOrg = new PastedTokenState(fake().api, () => {});
    await stateWithOrg.matchToken('x');
    expect(stateWithOrg.kindName(refresh)).toBe('access token');
  });

  it('cancels the call under way in main, by its flow id', async () => {
    const answer = deferred<Result<IntrospectionView>>();
    const { api, calls } = fake({
      introspectPastedToken: (input) => (calls.push({ method: 'introspect', input }), answer.promise),
    });
    const state = new PastedTokenState(api, () => undefined);
    await state.matchToken('00D5g000004XYZA!ARabcd');
    const running = state.introspect();
    state.cancel();
    const sent = calls.find((c) => c.method === 'introspect')!.input as { flowId: string };
    expect(calls.at(-1)).toEqual({ method: 'cancel', input: { flowId: sent.flowId } });
    answer.resolve({ ok: false, error: { code: 'oauth/cancelled', message: 'Cancelled.' } });
    await running;
    expect(state.busy).toBeNull();
  });
});
