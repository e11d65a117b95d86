/** The app profiles, with a fake bridge. */
import { describe, expect, it } from 'vitest';
import type { AppProfile } from '../../preload/contract';
import { appState, fail, fakeApi, ok } from './support';

const profile = (id: string, extra: Partial<AppProfile> = {}): AppProfile => ({
  id,
  name: id,
  kind: 'external-client-app',
  consumerKey: `key-${id}`,
  hasSecret: false,
  hasPrivateKey: false,
  callbackUrl: 'http://localhost:1717/OauthRedirect',
  scopes: ['api'],
  resource: null,
  audience: null,
  ...extra,
});

describe('ProfilesState', () => {
  it('saves a profile in place of the old one, and says why when saving fails', async () => {
    const { profiles, notices } = appState(
      fakeApi({
        listAppProfiles: async () => ok([profile('p'), profile('q')]),
        saveAppProfile: async (input) => ok(profile(input.id ?? 'n', { name: input.name, hasSecret: true })),
      }),
    );
    await profiles.load();
    const saved = await profiles.save({ ...profile('p'), name: 'Renamed', consumerSecret: 's' });
    expect(saved?.name).toBe('Renamed');
    expect(profiles.profiles.map((p) => p.name)).toEqual(['q', 'Renamed']);
    expect(profiles.find('p')?.hasSecret).toBe(true);

    const broken = appState(
      fakeApi({ saveAppProfile: async () => fail('key/invalid', 'The private key is not a PEM key.') }),
    );
    expect(await broken.profiles.save(profile('x'))).toBeNull();
    expect(broken.notices.current).toEqual({
      kind: 'error',
      text: 'The private key is not a PEM key.',
      code: 'key/invalid',
    });
    expect(notices.current).toBeNull();
  });

  it('keeps a registered app and says its secret is stored', async () => {
    const { profiles, notices } = appState(
      fakeApi({ registerAppProfile: async () => ok(profile('r', { name: 'Reg' })) }),
    );
    const registered = await profiles.register({
      loginHost: 'production',
      initialAccessToken: 'iat',
      name: 'Reg',
      callbackUrl: 'http://localhost:1717/OauthRedirect',
      scopes: ['api'],
    });
    expect(registered?.id).toBe('r');
    expect(profiles.profiles.map((p) => p.id)).toEqual(['r']);
    expect(notices.current).toEqual({
      kind: 'success',
      text: 'Registered the app "Reg"; its secret is stored encrypted.',
    });
  });
});
