/**
 * The one token request every extension grant uses, called directly against the Salesforce double (its
 * username-password grant as the example): parameters travel in the POST body, the answer is parsed, and
 * errors are translated with the caller's hints, or passed through untranslated by sendTokenRequest.
 */
import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { requestTokens, sendTokenRequest, type TokenRequest } from '../../main/oauth/token-request';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { errorOf, errorText } from './support';

const SECRET = 'consumer-secret-for-tests-0123456789';

let double: SalesforceDouble | null = null;
afterEach(async () => {
  await double?.close();
  double = null;
});

async function request(extra: Partial<TokenRequest> = {}): Promise<TokenRequest> {
  double = await startSalesforceDouble({
    apps: [{ clientId: DEFAULT_CLIENT_ID, clientSecret: SECRET, callbackUrls: [], passwordFlow: true }],
  });
  return {
    as: await discoverAuthorizationServer(double.loginUrl),
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: SECRET,
    grantType: 'password',
    parameters: { username: DEFAULT_USER.username, password: DEFAULT_USER.password },
    action: 'testing the token request',
    ...extra,
  };
}

describe('requestTokens', () => {
  it('posts the grant and its parameters in the body, never the URL, and parses the answer', async () => {
    const tokens = await requestTokens({ ...(await request()), now: () => 42 });
    expect(double!.isTokenActive(tokens.accessToken)).toBe(true);
    expect(tokens.scopes).toEqual(['api']);
    const shape = double!.lastTokenRequest()!;
    expect(shape).toMatchObject({ grantType: 'password', queryKeys: [] });
    expect(shape.bodyKeys).toEqual(
      expect.arrayContaining(['grant_type', 'username', 'password', 'client_id', 'client_secret']),
    );
  });

  it('reads a refusal with the first matching hint, else in general terms naming the action', async () => {
    const base = await request({ grantType: 'urn:example:unknown-grant' });
    const general = await errorOf(requestTokens(base));
    expect(general).toMatchObject({
      code: 'oauth/authorization_error',
      message: expect.stringMatching(/testing the token request/),
    });
    expect(general.message).toMatch(/unsupported_grant_type/);
    const hinted = await errorOf(
      requestTokens({
        ...base,
        hints: [
          { match: /no such thing/, code: 'oauth/invalid_grant', message: 'Not this one.' },
          { match: /unsupported_grant_type/, code: 'oauth/unsupported_grant', message: 'This grant is off.' },
        ],
      }),
    );
    expect(hinted.code).toBe('oauth/unsupported_grant');
    expect(hinted.message).toMatch(/^This grant is off\. \(unsupported_grant_type/);
  });

  it('an answer without an access token, or no answer in time, is a typed error without the secret', async () => {
    const base = await request();
    double!.setFault('token', 'no-access-token');
    const missing = await errorOf(requestTokens(base));
    expect(missing.code).toBe('oauth/bad_response');
    expect(missing.message).toMatch(/access_token/);
    double!.setFault('token', 'hang');
    const hang = await errorOf(requestTokens({ ...base, http: { timeoutMs: 200 } }));
    expect(hang.code).toBe('oauth/network');
    for (const e of [missing, hang]) expect(errorText(e)).not.toContain(SECRET);
  });
});

describe('sendTokenRequest', () => {
  it('passes oauth4webapi’s error through untranslated, for callers that read the error code themselves', async () => {
    const { action: _a, ...base } = await request({
      parameters: { username: DEFAULT_USER.username, password: 'wrong' },
    });
    const error = await sendTokenRequest(base).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect((error as oauth.ResponseBodyError).error).toBe('invalid_grant');
  });
});
