/**
 * The token exchange grant (RFC 8693) called directly against the Salesforce double, whose handler accepts
 * JWTs of one external identity provider: the request's parameters, and this flow's explanations of refusals.
 */
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { tokenExchangeGrant } from '../../main/oauth/token-exchange';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { errorOf, errorText } from './support';

const IDP = 'https://idp.example.com';
const AUDIENCE = 'salesforce-token-exchange';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

let double: SalesforceDouble | null = null;
afterEach(async () => {
  await double?.close();
  double = null;
});

async function world(tokenExchange = true) {
  const idp = await generateKeyPair('RS256');
  double = await startSalesforceDouble({
    apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [], tokenExchange }],
    externalIdp: { issuer: IDP, publicKey: idp.publicKey, audience: AUDIENCE },
  });
  const as = await discoverAuthorizationServer(double.loginUrl);
  const subject = (claims: Record<string, unknown>, key: CryptoKey = idp.privateKey) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(IDP)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(key);
  const exchange = async (subjectToken: string, scopes: string[] = ['api', 'refresh_token'], type = JWT_TYPE) =>
    tokenExchangeGrant({
      as,
      clientId: DEFAULT_CLIENT_ID,
      subjectToken,
      subjectTokenType: type as typeof JWT_TYPE,
      scopes,
    });
  return { double, subject, exchange, other: (await generateKeyPair('RS256')).privateKey };
}

describe('tokenExchangeGrant', () => {
  it('exchanges a trusted subject token for a Salesforce token, asking for an access token and the scopes', async () => {
    const w = await world();
    const tokens = await w.exchange(await w.subject({ email: DEFAULT_USER.email }));
    expect(w.double.isTokenActive(tokens.accessToken)).toBe(true);
    expect(tokens.refreshToken).not.toBeNull();
    expect(tokens.identityUrl).toContain(DEFAULT_USER.userId);
    const shape = w.double.lastTokenRequest()!;
    expect(shape).toMatchObject({ grantType: 'urn:ietf:params:oauth:grant-type:token-exchange', queryKeys: [] });
    expect(shape.bodyKeys).toEqual(
      expect.arrayContaining(['subject_token', 'subject_token_type', 'requested_token_type', 'scope']),
    );
    await w.exchange(await w.subject({ email: DEFAULT_USER.email }), []);
    expect(w.double.lastTokenRequest()!.bodyKeys).not.toContain('scope');
  });

  it('explains a token from an untrusted issuer, a token for nobody, and a type the handler does not take', async () => {
    const w = await world();
    const untrusted = await w.subject({ email: DEFAULT_USER.email }, w.other);
    const refused = await errorOf(w.exchange(untrusted));
    expect(refused).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringMatching(/did not accept the subject token/),
    });
    expect(errorText(refused)).not.toContain(untrusted);
    const nobody = await errorOf(w.exchange(await w.subject({ email: 'nobody@elsewhere.example' })));
    expect(nobody).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringMatching(/no Salesforce user matches/),
    });
    const type = await errorOf(w.exchange(await w.subject({ email: DEFAULT_USER.email }), ['api'], 'urn:example:saml'));
    expect(type).toMatchObject({
      code: 'oauth/invalid_grant',
      message: expect.stringMatching(/does not take this kind of token/),
    });
  });

  it('explains an app without token exchange turned on', async () => {
    const w = await world(false);
    const error = await errorOf(w.exchange(await w.subject({ email: DEFAULT_USER.email })));
    expect(error).toMatchObject({
      code: 'oauth/unsupported_grant',
      message: expect.stringMatching(/Enable Token Exchange Flow/),
    });
  });
});
