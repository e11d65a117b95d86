/**
 * The web server flow with an any-port loopback callback (`http://127.0.0.1/callback`, RFC 8252 §7.3): what
 * the waiting screen offers when a server matches redirect URIs exactly, and the switch to a fixed port.
 */
import { describe, expect, it } from 'vitest';
import type { AppProfile, AppProfileInput, OrgSummary, Result, SignInStart } from '../../preload/contract';
import { appState, deferred, fail, fakeApi, ok } from './support';

const ANY_PORT: AppProfile = {
  id: 'p',
  name: 'Peer app',
  kind: 'oidc',
  consumerKey: 'peer-client',
  hasSecret: true,
  hasPrivateKey: false,
  callbackUrl: 'http://127.0.0.1/callback',
  resource: null,
  audience: null,
  scopes: ['openid', 'offline_access'],
};

const start = (redirectUri: string, method: 'authorization_code' | 'device' = 'authorization_code'): SignInStart =>
  method === 'device'
    ? {
        flowId: 'f1',
        method,
        userCode: 'BCDFGHJK',
        verificationUri: 'https://idp.example/device',
        verificationUriComplete: null,
        interval: 5,
        expiresAt: Date.now() + 600_000,
      }
    : {
        flowId: 'f1',
        method,
        authorizeUrl: 'https://idp.example/auth?x',
        redirectUri,
        expiresAt: Date.now() + 300_000,
      };

/** Signs in with `profile` and leaves the sign-in waiting for the browser. */
async function waitingWith(
  profile: AppProfile,
  redirectUri: string,
  options: { method?: 'authorization_code' | 'device'; save?: (input: AppProfileInput) => Result<AppProfile> } = {},
) {
  const saved: AppProfileInput[] = [];
  const waiting = deferred<Result<OrgSummary>>();
  const state = appState(
    fakeApi({
      listAppProfiles: async () => ok([profile]),
      beginSignIn: async () => ok(start(redirectUri, options.method)),
      awaitSignIn: () => waiting.promise,
      cancelSignIn: async () => (waiting.resolve(fail('oauth/cancelled', 'Cancelled.')), ok(null)),
      saveAppProfile: async (input) => {
        saved.push(input);
        return options.save ? options.save(input) : ok({ ...profile, callbackUrl: input.callbackUrl });
      },
    }),
  );
  await state.profiles.load();
  const before = Date.now();
  const running = state.signIn.signInWith({
    profileId: profile.id,
    loginHost: 'https://idp.example',
    method: 'authorization_code',
  });
  await new Promise((r) => setTimeout(r, 0));
  return { ...state, saved, before, running };
}

describe('SignInState with an any-port loopback redirect', () => {
  it('offers the redirect URI the listener got, from when the wait began', async () => {
    const { signIn, before } = await waitingWith(ANY_PORT, 'http://127.0.0.1:54321/callback');
    expect(signIn.phase.step).toBe('waiting');
    expect(signIn.anyPortRedirect).toEqual({
      redirectUri: 'http://127.0.0.1:54321/callback',
      since: expect.any(Number),
      fixed: false,
    });
    expect(signIn.anyPortRedirect!.since).toBeGreaterThanOrEqual(before);
    expect(signIn.anyPortRedirect!.since).toBeLessThanOrEqual(Date.now());
  });

  it('offers nothing for a fixed port, for the device flow, or once the wait is over', async () => {
    const fixed = await waitingWith(
      { ...ANY_PORT, callbackUrl: 'http://localhost:1717/OauthRedirect' },
      'http://localhost:1717/OauthRedirect',
    );
    expect(fixed.signIn.anyPortRedirect).toBeNull();

    const device = await waitingWith(ANY_PORT, '', { method: 'device' });
    expect(device.signIn.phase.step).toBe('waiting');
    expect(device.signIn.anyPortRedirect).toBeNull();

    const cancelled = await waitingWith(ANY_PORT, 'http://127.0.0.1:54321/callback');
    await cancelled.signIn.cancel();
    expect(await cancelled.running).toBe(false);
    expect(cancelled.signIn.anyPortRedirect).toBeNull();
  });

  it('switches the profile to the port just used, keeping its secret and everything else', async () => {
    const { signIn, profiles, saved } = await waitingWith(ANY_PORT, 'http://127.0.0.1:54321/callback');
    expect(await signIn.useFixedPort()).toBe(true);
    expect(saved).toEqual([
      {
        id: 'p',
        name: 'Peer app',
        kind: 'oidc',
        consumerKey: 'peer-client',
        scopes: ['openid', 'offline_access'],
        callbackUrl: 'http://127.0.0.1:54321/callback',
      },
    ]);
    // No consumerSecret or privateKeyPem key: undefined keeps what is stored.
    expect(Object.keys(saved[0]!)).not.toContain('consumerSecret');
    expect(profiles.find('p')?.callbackUrl).toBe('http://127.0.0.1:54321/callback');
    // The explanation stays, now saying what was saved; a second press saves nothing.
    expect(signIn.anyPortRedirect).toMatchObject({ redirectUri: 'http://127.0.0.1:54321/callback', fixed: true });
    expect(await signIn.useFixedPort()).toBe(false);
    expect(saved).toHaveLength(1);
  });

  it('keeps offering the switch when saving fails, and says why', async () => {
    const { signIn, notices, profiles } = await waitingWith(ANY_PORT, 'http://127.0.0.1:54321/callback', {
      save: () => fail('vault/io', 'Could not write the profile.'),
    });
    expect(await signIn.useFixedPort()).toBe(false);
    expect(notices.current).toMatchObject({ kind: 'error', text: 'Could not write the profile.' });
    expect(signIn.anyPortRedirect).toMatchObject({ fixed: false });
    expect(profiles.find('p')?.callbackUrl).toBe('http://127.0.0.1/callback');
  });
});
