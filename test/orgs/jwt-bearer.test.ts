/**
 * The JWT bearer flow end to end against the Salesforce double: the private key is stored encrypted with
 * the app profile, the app signs RS256 assertions with jose, and "refresh" signs a new one. Each way
 * Salesforce refuses an assertion gets its own message with the fix.
 */
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { jwtBearerAudience, normalizePrivateKeyPem } from '../../main/oauth/jwt-bearer';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type DoubleApp,
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

function rsaKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    spki: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

async function setup(app: Partial<DoubleApp> = {}, keyPem?: string) {
  const keys = rsaKeys();
  double = await startSalesforceDouble({
    apps: [
      {
        clientId: DEFAULT_CLIENT_ID,
        callbackUrls: [],
        jwtPublicKeyPem: keys.spki,
        preAuthorizedUsers: [DEFAULT_USER.username],
        ...app,
      },
    ],
  });
  services = await testHandlers();
  const profile = await services.handlers.saveAppProfile({
    name: 'Integration (JWT)',
    kind: 'connected-app',
    consumerKey: DEFAULT_CLIENT_ID,
    callbackUrl: 'http://localhost:1717/OauthRedirect',
    scopes: ['api'],
    privateKeyPem: keyPem ?? keys.pkcs1,
  });
  return { profile, keys };
}

const jwtSignIn = (profileId: string, extra: { audience?: string; username?: string } = {}) =>
  signInVia(services.handlers, {
    profileId,
    loginHost: double.loginUrl,
    method: 'jwt_bearer',
    username: extra.username ?? DEFAULT_USER.username,
    ...(extra.audience ? { audience: extra.audience } : {}),
  });

describe('JWT bearer flow', () => {
  it('signs in with a stored key, and refresh signs a new assertion instead of using a refresh token', async () => {
    const { profile, keys } = await setup();
    expect(profile).toMatchObject({ hasPrivateKey: true, hasSecret: false });
    const org = await jwtSignIn(profile.id);
    expect(org).toMatchObject({ username: DEFAULT_USER.username, grant: 'jwt_bearer', status: 'connected' });
    expect(org.tokens.map((t) => t.kind)).toEqual(['access']);
    const first = double.lastTokenRequest()!;
    expect(first).toMatchObject({ grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', queryKeys: [] });
    expect(first.bodyKeys).toContain('assertion');

    const refreshed = await services.handlers.refreshOrg({ id: org.id });
    expect(refreshed.tokens[0]!.hint).not.toBe(org.tokens[0]!.hint);
    expect(double.refreshGrants()).toBe(0);
    expect(double.lastTokenRequest()!.grantType).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');

    // The key is on disk only sealed: neither its PEM nor its base64 body appears in any file.
    await expectNoPlaintext(services.dataDir, [keys.pkcs8.split('\n')[1]!, 'PRIVATE KEY']);
  });

  it('explains a user who has not approved the app, a wrong audience and a key that does not match the certificate', async () => {
    const { profile } = await setup({ preAuthorizedUsers: [] });
    expect(await failureOf(jwtSignIn(profile.id))).toMatchObject({
      code: 'oauth/app_not_approved',
      message: expect.stringMatching(/has not approved this app.*Admin approved users are pre-authorized/),
    });
    expect(await failureOf(jwtSignIn(profile.id, { audience: 'https://test.salesforce.com' }))).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringMatching(/audience https:\/\/test\.salesforce\.com/),
    });
    await services.close();
    await double.close();

    const other = rsaKeys();
    const mismatched = await setup({}, other.pkcs8);
    expect(await failureOf(jwtSignIn(mismatched.profile.id))).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringMatching(/private key does not belong to the certificate/),
    });
    expect(await failureOf(jwtSignIn(mismatched.profile.id, { username: 'nobody@acme.example' }))).toMatchObject({
      code: 'oauth/invalid_grant',
    });
  });

  it('asks for the key when the profile has none, and keeps the one it has when the profile is saved again', async () => {
    const { profile } = await setup();
    const { hasSecret: _s, hasPrivateKey: _k, ...fields } = profile;
    const resaved = await services.handlers.saveAppProfile({ ...fields, name: 'Renamed' });
    expect(resaved).toMatchObject({ name: 'Renamed', hasPrivateKey: true });
    const removed = await services.handlers.saveAppProfile({ ...fields, privateKeyPem: '' });
    expect(removed.hasPrivateKey).toBe(false);
    expect(await failureOf(jwtSignIn(profile.id))).toMatchObject({
      code: 'key/invalid',
      message: expect.stringMatching(/has none\. Choose the key file whose certificate is uploaded/),
    });
  });
});

describe('private keys', () => {
  it('takes PKCS#8 and PKCS#1 RSA keys and stores PKCS#8', () => {
    const keys = rsaKeys();
    expect(normalizePrivateKeyPem(keys.pkcs1)).toBe(keys.pkcs8);
    expect(normalizePrivateKeyPem(`\n  ${keys.pkcs8}  \n`)).toBe(keys.pkcs8);
  });

  it('says what is wrong with a certificate, a passphrase-protected key, an EC key and junk', () => {
    const keys = rsaKeys();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const encrypted = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const cases: [string, RegExp][] = [
      [keys.spki, /certificate or public key/],
      [encrypted, /protected by a passphrase/],
      [ec.toString(), /ec key.*RSA key/],
      ['not a key', /not a PEM private key/],
    ];
    for (const [input, message] of cases) {
      expect(() => normalizePrivateKeyPem(input)).toThrow(
        expect.objectContaining({ code: 'key/invalid', message: expect.stringMatching(message) }),
      );
    }
  });

  it('refuses a bad key when the profile is saved, before anything is stored', async () => {
    services = await testHandlers();
    const error = await Promise.resolve(
      services.handlers.saveAppProfile({
        name: 'Bad key',
        kind: 'connected-app',
        consumerKey: 'key',
        callbackUrl: 'http://localhost:1717/OauthRedirect',
        scopes: ['api'],
        privateKeyPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'key/invalid' });
    expect(services.vault.listProfiles()).toEqual([]);
  });
});

describe('the assertion', () => {
  it('is RS256 with iss = consumer key, sub = username, aud = the login host, exp under 3 minutes', async () => {
    const { jwtBearerGrant } = await import('../../main/oauth/jwt-bearer');
    const keys = rsaKeys();
    let assertion = '';
    const as = { issuer: 'http://127.0.0.1:9', token_endpoint: 'http://127.0.0.1:9/services/oauth2/token' };
    const fetchStub: typeof fetch = async (_url, init) => {
      assertion = new URLSearchParams(String(init?.body)).get('assertion') ?? '';
      return new Response(JSON.stringify({ error: 'invalid_grant', error_description: 'invalid assertion' }), {
        status: 400,
        headers: { 'content-type': 'application/json' },
      });
    };
    const now = 1_800_000_000_000;
    await jwtBearerGrant({
      as,
      clientId: '3MVG9key',
      username: 'admin@acme.example',
      privateKeyPem: keys.pkcs8,
      http: { fetch: fetchStub },
      now: () => now,
    }).catch(() => undefined);
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256' });
    expect(decodeJwt(assertion)).toEqual({
      iss: '3MVG9key',
      sub: 'admin@acme.example',
      aud: 'http://127.0.0.1:9',
      exp: now / 1000 + 150,
    });
  });

  it('uses login.salesforce.com for production and My Domains, test.salesforce.com for sandboxes', () => {
    expect(jwtBearerAudience('https://login.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtBearerAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtBearerAudience('https://test.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtBearerAudience('https://acme--uat.sandbox.my.salesforce.com')).toBe('https://test.salesforce.com');
  });
});
