/**
 * The username-password flow (legacy) and token exchange (RFC 8693) end to end against the Salesforce
 * double: the password travels once in a POST body and is never stored; a token from another identity
 * provider is exchanged for a Salesforce token that every operation then works with.
 */
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_ORG_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type DoubleApp,
  type DoubleConfig,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { expectNoPlaintext } from '../support/files';
import { signInVia } from '../support/sign-in';
import { failureOf } from '../support/failure';
import { testHandlers, type TestServices } from '../support/test-services';

let double: SalesforceDouble;
let services: TestServices;
afterEach(async () => {
  await services?.close();
  await double?.close();
});

const SECRET = 'consumer-secret-for-tests-0123456789';
const SECURITY_TOKEN = 'Xy7SecurityToken';

async function setup(app: Partial<DoubleApp>, config: DoubleConfig = {}, scopes = ['api']) {
  double = await startSalesforceDouble({
    orgs: [
      {
        orgId: DEFAULT_ORG_ID,
        name: 'Acme',
        myDomain: 'acme',
        users: [{ ...DEFAULT_USER, securityToken: SECURITY_TOKEN }],
      },
    ],
    apps: [{ clientId: DEFAULT_CLIENT_ID, clientSecret: SECRET, callbackUrls: [], ...app }],
    ...config,
  });
  services = await testHandlers();
  return services.handlers.saveAppProfile({
    name: 'Legacy app',
    kind: 'connected-app',
    consumerKey: DEFAULT_CLIENT_ID,
    consumerSecret: SECRET,
    callbackUrl: 'http://localhost:1717/OauthRedirect',
    scopes,
  });
}

describe('username-password flow', () => {
  const password = (profileId: string, extra: { password?: string; securityToken?: string } = {}) =>
    signInVia(services.handlers, {
      profileId,
      loginHost: double.loginUrl,
      method: 'password',
      username: DEFAULT_USER.username,
      password: extra.password ?? DEFAULT_USER.password,
      ...('securityToken' in extra
        ? extra.securityToken
          ? { securityToken: extra.securityToken }
          : {}
        : { securityToken: SECURITY_TOKEN }),
    });

  it('signs in with password + security token in the POST body, and stores neither', async () => {
    const profile = await setup({ passwordFlow: true });
    const org = await password(profile.id);
    expect(org).toMatchObject({ username: DEFAULT_USER.username, grant: 'password', status: 'connected' });
    expect(double.lastTokenRequest()).toMatchObject({ grantType: 'password', queryKeys: [] });
    expect(double.lastTokenRequest()!.bodyKeys).toEqual(expect.arrayContaining(['username', 'password']));
    await expectNoPlaintext(services.dataDir, [DEFAULT_USER.password, SECURITY_TOKEN]);
    // No refresh token and no stored password: Refresh says to sign in again.
    expect(await failureOf(services.handlers.refreshOrg({ id: org.id }))).toMatchObject({
      code: 'oauth/no_refresh_token',
      message: expect.stringMatching(/never stores your password/),
    });
    // Every other operation works with the token.
    expect(await services.handlers.introspectToken({ id: org.id, kind: 'access' })).toMatchObject({ active: true });
    expect(await services.handlers.testToken({ id: org.id })).toMatchObject({ ok: true });
  });

  it('explains a blocked flow, a missing security token and a profile without a secret', async () => {
    const blocked = await setup({ passwordFlow: false });
    expect(await failureOf(password(blocked.id))).toMatchObject({
      code: 'oauth/unsupported_grant',
      message: expect.stringMatching(/does not allow the username-password flow/),
    });
    await services.close();
    await double.close();

    const profile = await setup({ passwordFlow: true });
    expect(await failureOf(password(profile.id, { securityToken: '' }))).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringMatching(/security token must be added/),
    });
    const { hasSecret: _s, hasPrivateKey: _k, ...fields } = profile;
    await services.handlers.saveAppProfile({ ...fields, consumerSecret: '' });
    expect(await failureOf(password(profile.id))).toMatchObject({
      code: 'oauth/invalid_client',
      message: expect.stringMatching(/needs the consumer secret/),
    });
  });
});

describe('token exchange', () => {
  const IDP = 'https://idp.example.com';
  const AUDIENCE = 'salesforce-token-exchange';

  async function world(scopes = ['api', 'refresh_token']) {
    const idp = await generateKeyPair('RS256');
    const profile = await setup(
      { tokenExchange: true },
      { externalIdp: { issuer: IDP, publicKey: idp.publicKey, audience: AUDIENCE } },
      scopes,
    );
    const subjectToken = (claims: Record<string, unknown> = {}, key: CryptoKey = idp.privateKey) =>
      new SignJWT({ email: DEFAULT_USER.email, ...claims })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(IDP)
        .setAudience(AUDIENCE)
        .setSubject('idp-user-1')
        .setExpirationTime('5m')
        .sign(key);
    return { profile, subjectToken };
  }

  const exchange = (profileId: string, subjectToken: string, type = 'urn:ietf:params:oauth:token-type:jwt' as const) =>
    signInVia(services.handlers, {
      profileId,
      loginHost: double.loginUrl,
      method: 'token_exchange',
      subjectToken,
      subjectTokenType: type,
    });

  it("exchanges the identity provider's JWT for a Salesforce token, with a refresh token that works", async () => {
    const { profile, subjectToken } = await world();
    const org = await exchange(profile.id, await subjectToken());
    expect(org).toMatchObject({ username: DEFAULT_USER.username, grant: 'token_exchange' });
    expect(org.tokens.map((t) => t.kind).sort()).toEqual(['access', 'refresh']);
    expect(double.lastTokenRequest()).toMatchObject({
      grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
      queryKeys: [],
    });
    expect(double.lastTokenRequest()!.bodyKeys).toEqual(
      expect.arrayContaining(['subject_token', 'subject_token_type', 'client_secret']),
    );
    await services.handlers.refreshOrg({ id: org.id });
    expect(double.refreshGrants()).toBe(1);
    expect(await services.handlers.revokeToken({ id: org.id, kind: 'refresh' })).toMatchObject({ revoked: 'refresh' });
  });

  it('explains a token the handler rejects, an unknown user and an unsupported token type', async () => {
    const { profile, subjectToken } = await world(['api']);
    const stranger = await generateKeyPair('RS256');
    expect(await failureOf(exchange(profile.id, await subjectToken({}, stranger.privateKey)))).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringMatching(/did not accept the subject token/),
    });
    expect(
      await failureOf(exchange(profile.id, await subjectToken({ email: 'nobody@elsewhere.example' }))),
    ).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringMatching(/no Salesforce user matches it/),
    });
    expect(
      await failureOf(
        exchange(
          profile.id,
          await subjectToken(),
          'urn:ietf:params:oauth:token-type:saml2' as 'urn:ietf:params:oauth:token-type:jwt',
        ),
      ),
    ).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringMatching(/does not take this kind of token/),
    });
    // Without the refresh_token scope there is nothing to refresh with, and the message says what to do.
    const org = await exchange(profile.id, await subjectToken());
    expect(await failureOf(services.handlers.refreshOrg({ id: org.id }))).toMatchObject({
      code: 'oauth/no_refresh_token',
      message: expect.stringMatching(/fresh token from your identity provider/),
    });
  });
});
