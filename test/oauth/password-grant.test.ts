/**
 * The username-password grant called directly against the Salesforce double: the security token is appended
 * to the password in the POST body, and Salesforce's refusals get this flow's own explanations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { passwordGrant } from '../../main/oauth/password-grant';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_ORG_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { errorOf, errorText } from './support';

const SECRET = 'consumer-secret-for-tests-0123456789';
const SECURITY_TOKEN = 'Xy7SecurityToken';

let double: SalesforceDouble | null = null;
afterEach(async () => {
  await double?.close();
  double = null;
});

async function grant(passwordFlow: boolean, password: string, securityToken?: string) {
  double = await startSalesforceDouble({
    orgs: [
      {
        orgId: DEFAULT_ORG_ID,
        name: 'Acme',
        myDomain: 'acme',
        users: [{ ...DEFAULT_USER, securityToken: SECURITY_TOKEN }],
      },
    ],
    apps: [{ clientId: DEFAULT_CLIENT_ID, clientSecret: SECRET, callbackUrls: [], passwordFlow }],
  });
  const as = await discoverAuthorizationServer(double.loginUrl);
  return passwordGrant({
    as,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: SECRET,
    username: DEFAULT_USER.username,
    password,
    ...(securityToken !== undefined ? { securityToken } : {}),
  });
}

describe('passwordGrant', () => {
  it('sends the password with the security token appended, in the body, and gets no refresh token', async () => {
    const tokens = await grant(true, DEFAULT_USER.password, SECURITY_TOKEN);
    expect(tokens).toMatchObject({ refreshToken: null, tokenFormat: 'opaque' });
    expect(tokens.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(double!.isTokenActive(tokens.accessToken)).toBe(true);
    expect(double!.lastTokenRequest()).toMatchObject({ grantType: 'password', queryKeys: [] });
    // The token may also already be part of the password, as Salesforce's docs tell users to type it.
    await double!.close();
    expect((await grant(true, DEFAULT_USER.password + SECURITY_TOKEN)).accessToken).not.toBe('');
  });

  it('explains a wrong password or missing security token without repeating either', async () => {
    const error = await errorOf(grant(true, DEFAULT_USER.password));
    expect(error.code).toBe('oauth/invalid_grant');
    expect(error.message).toMatch(/security token must be added/);
    expect(error.message).toMatch(/authentication failure/);
    expect(errorText(error)).not.toContain(DEFAULT_USER.password);
  });

  it('explains an org that blocks the flow', async () => {
    const error = await errorOf(grant(false, DEFAULT_USER.password, SECURITY_TOKEN));
    expect(error.code).toBe('oauth/unsupported_grant');
    expect(error.message).toMatch(/does not allow the username-password flow/);
  });
});
