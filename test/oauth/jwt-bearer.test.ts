/**
 * The JWT bearer grant called directly against the Salesforce double: a signed assertion gets an access token
 * and no refresh token; an explicit audience is used as given; refusals get this flow's explanations.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { jwtBearerAudience, jwtBearerGrant } from '../../main/oauth/jwt-bearer';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { errorOf, errorText } from './support';

let double: SalesforceDouble | null = null;
afterEach(async () => {
  await double?.close();
  double = null;
});

const pem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

async function world(preAuthorized = true) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  double = await startSalesforceDouble({
    apps: [
      {
        clientId: DEFAULT_CLIENT_ID,
        callbackUrls: [],
        jwtPublicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        preAuthorizedUsers: preAuthorized ? [DEFAULT_USER.username] : [],
      },
    ],
  });
  const as = await discoverAuthorizationServer(double.loginUrl);
  const key = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const grant = (extra: { privateKeyPem?: string; audience?: string; username?: string } = {}) =>
    jwtBearerGrant({ as, clientId: DEFAULT_CLIENT_ID, username: DEFAULT_USER.username, privateKeyPem: key, ...extra });
  return { double, as, grant };
}

describe('jwtBearerGrant', () => {
  it('signs an assertion the server accepts, with the audience of the issuer, and gets no refresh token', async () => {
    const w = await world();
    const tokens = await w.grant();
    expect(tokens.refreshToken).toBeNull();
    expect(w.double.isTokenActive(tokens.accessToken)).toBe(true);
    expect(w.double.lastTokenRequest()).toMatchObject({
      grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      bodyKeys: expect.arrayContaining(['assertion']),
      queryKeys: [],
    });
    // The default audience is the issuer's: the same request with it given explicitly works too.
    expect((await w.grant({ audience: jwtBearerAudience(w.as.issuer) })).accessToken).not.toBe('');
  });

  it('explains a wrong audience, a key that is not the certificate’s, and a user who has not approved the app', async () => {
    const w = await world();
    const audience = await errorOf(w.grant({ audience: 'https://elsewhere.example' }));
    expect(audience).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringContaining('https://elsewhere.example'),
    });
    const otherKey = pem();
    const mismatch = await errorOf(w.grant({ privateKeyPem: otherKey }));
    expect(mismatch).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringMatching(/could not verify the assertion/),
    });
    expect(errorText(mismatch)).not.toContain(otherKey.split('\n')[1]);
    await double!.close();
    const unapproved = await world(false);
    const error = await errorOf(unapproved.grant());
    expect(error).toMatchObject({
      code: 'oauth/app_not_approved',
      message: expect.stringContaining(DEFAULT_USER.username),
    });
  });

  it('refuses a key that is not an RSA private key before sending anything', async () => {
    const w = await world();
    const before = w.double.requests.length;
    const error = await errorOf(w.grant({ privateKeyPem: 'not a key' }));
    expect(error.code).toBe('key/invalid');
    expect(w.double.requests.length).toBe(before);
  });
});
