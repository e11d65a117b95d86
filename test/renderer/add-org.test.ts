/** The add-org form's state: where to sign in, the app profile to use, and the method's own inputs. */
import { describe, expect, it } from 'vitest';
import type { AppProfile, AppProfileInput, RegistrationRequest } from '../../preload/contract';
import { HostChoice, MethodFields, PLATFORM_CLI, ProfileDraft } from '../../renderer/state/add-org.svelte';
import { appState, fail, fakeApi, ok } from './support';

const existing: AppProfile = {
  id: 'p1',
  name: 'Existing',
  kind: 'connected-app',
  consumerKey: 'key',
  hasSecret: true,
  hasPrivateKey: false,
  callbackUrl: 'http://localhost:8080/cb',
  scopes: ['api'],
  resource: null,
  audience: null,
};

function profilesWith(saved: AppProfileInput[], registered: RegistrationRequest[], failing = false) {
  const { profiles, notices } = appState(
    fakeApi({
      listAppProfiles: async () => ok([existing]),
      saveAppProfile: async (input) => {
        saved.push(input);
        return failing
          ? fail('key/invalid', 'Not a key.')
          : ok({
              ...existing,
              ...input,
              id: input.id ?? 'new-id',
              hasSecret: true,
              hasPrivateKey: true,
              resource: input.resource ?? null,
              audience: input.audience ?? null,
            });
      },
      registerAppProfile: async (input) => {
        registered.push(input);
        return failing ? fail('oauth/invalid_client', 'Refused.') : ok({ ...existing, id: 'reg-id', name: input.name });
      },
    }),
  );
  return { profiles, notices };
}

describe('HostChoice', () => {
  it('is production, sandbox or the My Domain as typed', () => {
    expect(new HostChoice().value).toBe('production');
    expect(new HostChoice('sandbox').value).toBe('sandbox');
    const mine = new HostChoice('acme.my.salesforce.com');
    expect(mine.environment).toBe('mydomain');
    expect(mine.value).toBe('acme.my.salesforce.com');
    mine.environment = 'production';
    expect(mine.value).toBe('production');
  });
});

describe('ProfileDraft', () => {
  it('saves a new profile with its scopes as a list, then forgets the secret and key and selects it', async () => {
    const saved: AppProfileInput[] = [];
    const { profiles } = profilesWith(saved, []);
    const draft = new ProfileDraft({ scopes: ['api', 'refresh_token'] });
    Object.assign(draft, {
      consumerKey: 'ck',
      consumerSecret: 'cs',
      privateKeyPem: 'PEM',
      privateKeyFile: 'server.key',
    });
    draft.scopes = ' api   refresh_token ';
    expect(await draft.resolve(profiles, 'production')).toBe('new-id');
    expect(saved).toEqual([
      expect.objectContaining({
        consumerKey: 'ck',
        consumerSecret: 'cs',
        scopes: ['api', 'refresh_token'],
        privateKeyPem: 'PEM',
      }),
    ]);
    expect(draft).toMatchObject({ choice: 'new-id', consumerSecret: '', privateKeyPem: '', privateKeyFile: null });
    expect(saved[0]).not.toHaveProperty('resource');
    expect(saved[0]).not.toHaveProperty('audience');
  });

  it('sends a resource and an audience only when typed, trimmed', async () => {
    const saved: AppProfileInput[] = [];
    const { profiles } = profilesWith(saved, []);
    const draft = new ProfileDraft();
    Object.assign(draft, { consumerKey: 'ck', resource: ' https://api.example.com/ ', audience: ' ' });
    expect(await draft.resolve(profiles, 'production')).toBe('new-id');
    expect(saved[0]).toMatchObject({ resource: 'https://api.example.com/' });
    expect(saved[0]).not.toHaveProperty('audience');
  });

  it("makes one profile for the Salesforce CLI's app the first time it is chosen, and reuses it", async () => {
    const saved: AppProfileInput[] = [];
    const { profiles } = profilesWith(saved, []);
    await profiles.load();
    const draft = new ProfileDraft({ choice: 'platform-cli' });
    expect(draft.callbackFor(profiles)).toBe('http://localhost:1717/OauthRedirect');
    expect(await draft.resolve(profiles, 'production')).toBe('new-id');
    expect(saved).toEqual([
      {
        name: PLATFORM_CLI.name,
        kind: 'connected-app',
        consumerKey: 'PlatformCLI',
        callbackUrl: 'http://localhost:1717/OauthRedirect',
        scopes: ['refresh_token', 'api', 'web'],
      },
    ]);
    expect(saved[0]).not.toHaveProperty('consumerSecret');
    const again = new ProfileDraft({ choice: 'platform-cli' });
    expect(await again.resolve(profiles, 'production')).toBe('new-id');
    expect(saved).toHaveLength(1);
  });

  it('keeps what was typed when saving or registering fails', async () => {
    const { profiles, notices } = profilesWith([], [], true);
    const draft = new ProfileDraft();
    draft.consumerSecret = 'cs';
    expect(await draft.resolve(profiles, 'production')).toBeNull();
    expect(draft).toMatchObject({ choice: 'new', consumerSecret: 'cs' });
    expect(notices.current?.text).toBe('Not a key.');
    draft.choice = 'register';
    draft.initialAccessToken = 'iat';
    expect(await draft.resolve(profiles, 'sandbox')).toBeNull();
    expect(draft.initialAccessToken).toBe('iat');
  });

  it('registers with the chosen grants and forgets the initial access token', async () => {
    const registered: RegistrationRequest[] = [];
    const { profiles } = profilesWith([], registered);
    const draft = new ProfileDraft({ choice: 'register' });
    draft.initialAccessToken = 'iat';
    expect(await draft.resolve(profiles, 'acme.my.salesforce.com')).toBe('reg-id');
    expect(registered).toEqual([
      expect.objectContaining({
        loginHost: 'acme.my.salesforce.com',
        initialAccessToken: 'iat',
        grantTypes: ['authorization_code', 'refresh_token'],
      }),
    ]);
    expect(draft.initialAccessToken).toBe('');
  });

  it('adds a key to an existing profile by saving its fields, and uses it as is without one', async () => {
    const saved: AppProfileInput[] = [];
    const { profiles } = profilesWith(saved, []);
    await profiles.load();
    const draft = new ProfileDraft({ choice: 'p1' });
    expect(draft.callbackFor(profiles)).toBe('http://localhost:8080/cb');
    expect(await draft.resolve(profiles, 'production')).toBe('p1');
    expect(saved).toEqual([]);
    draft.privateKeyPem = 'PEM';
    expect(await draft.resolve(profiles, 'production')).toBe('p1');
    const { hasSecret: _s, hasPrivateKey: _k, ...fields } = existing;
    expect(saved).toEqual([{ ...fields, privateKeyPem: 'PEM' }]);
    const gone = new ProfileDraft({ choice: 'deleted' });
    gone.privateKeyPem = 'PEM';
    expect(await gone.resolve(profiles, 'production')).toBeNull();
    expect(gone.callbackFor(profiles)).toBe('');
  });
});

describe('MethodFields', () => {
  it('hands out the password once, with a trimmed security token only when there is one', () => {
    const fields = new MethodFields();
    fields.password = 'pw';
    fields.securityToken = '  tok ';
    expect(fields.takePassword()).toEqual({ password: 'pw', securityToken: 'tok' });
    expect(fields).toMatchObject({ password: '', securityToken: '' });
    fields.password = 'pw2';
    fields.securityToken = '   ';
    expect(fields.takePassword()).toEqual({ password: 'pw2' });
  });

  it('drops the tokens and the auth URL, and keeps the rest', () => {
    const fields = new MethodFields();
    Object.assign(fields, { subjectToken: 's', pastedToken: 'p', authUrl: 'force://x', username: 'u' });
    fields.clearTokens();
    expect(fields).toMatchObject({ subjectToken: '', pastedToken: '', authUrl: '', username: 'u' });
  });
});
