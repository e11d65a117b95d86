import { UnsecuredJWT } from 'jose';
import type * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { parseTokenResponse } from '../../main/oauth/token-set';

const RECEIVED = 1_700_000_000_000;
const response = (fields: Record<string, unknown>) =>
  ({ token_type: 'bearer', ...fields }) as unknown as oauth.TokenEndpointResponse;

describe('parseTokenResponse', () => {
  it('reads a Salesforce web-server response: issued_at in ms as a string, no expires_in', () => {
    const set = parseTokenResponse(
      response({
        access_token: '00D000000000062!AQ0123456789',
        refresh_token: '5Aep861refresh',
        instance_url: 'https://acme.my.salesforce.com',
        id: 'https://login.salesforce.com/id/00D000000000062EAA/005000000000001AAA',
        issued_at: '1699999990000',
        scope: 'api refresh_token  web',
        signature: 'ignored',
      }),
      RECEIVED,
    );
    expect(set).toEqual({
      accessToken: '00D000000000062!AQ0123456789',
      refreshToken: '5Aep861refresh',
      idToken: null,
      instanceUrl: 'https://acme.my.salesforce.com',
      apiInstanceUrl: null,
      identityUrl: 'https://login.salesforce.com/id/00D000000000062EAA/005000000000001AAA',
      issuedAt: 1_699_999_990_000,
      scopes: ['api', 'refresh_token', 'web'],
      tokenFormat: 'opaque',
      expiresAt: null,
      expirySource: null,
    });
  });

  it('takes expiry from expires_in when sent, else from exp of a JWT access token', () => {
    expect(parseTokenResponse(response({ access_token: 'opaque', expires_in: 300 }), RECEIVED)).toMatchObject({
      expiresAt: RECEIVED + 300_000,
      expirySource: 'expires_in',
    });
    const jwt = new UnsecuredJWT({ sub: 'u' }).setExpirationTime(1_700_000_900).encode();
    const set = parseTokenResponse(response({ access_token: jwt }), RECEIVED);
    expect(set).toMatchObject({ tokenFormat: 'jwt', expiresAt: 1_700_000_900_000, expirySource: 'jwt_exp' });
    // token_format says jwt but the token does not decode: the expiry stays unknown.
    expect(parseTokenResponse(response({ access_token: 'x.y.z', token_format: 'jwt' }), RECEIVED)).toMatchObject({
      tokenFormat: 'jwt',
      expiresAt: null,
    });
  });

  it('falls back to when it arrived and to the requested scopes, and ignores empty or odd fields', () => {
    for (const issued_at of [undefined, '', 'soon', '0', '-5']) {
      expect(parseTokenResponse(response({ access_token: 'a', issued_at }), RECEIVED).issuedAt, String(issued_at)).toBe(
        RECEIVED,
      );
    }
    const set = parseTokenResponse(response({ access_token: 'a', refresh_token: '', id_token: 42 }), RECEIVED, [
      'api',
      'openid',
    ]);
    expect(set).toMatchObject({ refreshToken: null, idToken: null, scopes: ['api', 'openid'] });
  });

  it('never keeps a URL the access token would be sent to over plain http or another scheme', () => {
    const set = parseTokenResponse(
      response({
        access_token: 'a',
        instance_url: 'http://acme.my.salesforce.com',
        api_instance_url: 'javascript:alert(1)',
        id: 'not a url',
      }),
      RECEIVED,
    );
    expect(set).toMatchObject({ instanceUrl: null, apiInstanceUrl: null, identityUrl: null });
    expect(
      parseTokenResponse(response({ access_token: 'a', instance_url: 'http://127.0.0.1:8443' }), RECEIVED).instanceUrl,
    ).toBe('http://127.0.0.1:8443');
  });

  it('refuses a response without an access token', () => {
    for (const access_token of [undefined, '', 42]) {
      expect(() => parseTokenResponse(response({ access_token }), RECEIVED)).toThrow(
        expect.objectContaining({ code: 'oauth/bad_response' }),
      );
    }
  });
});
