import type { ErrorHint } from './http';
import type { ClientOptions } from './client';
import { requestTokens } from './token-request';
import type { TokenSet } from './token-set';

const HINTS: ErrorHint[] = [
  {
    match: /unsupported_grant_type|not supported|blocked/i,
    code: 'oauth/unsupported_grant',
    message:
      'This org or app does not allow the username-password flow (Salesforce blocks it in new orgs; an admin can allow it in OAuth and OpenID Connect Settings). Use the browser, device or JWT bearer flow instead.',
    elsewhere:
      'This server or client does not allow the username-password grant (many servers turn it off). Use the browser or device flow instead.',
  },
  {
    match: /authentication failure|invalid_grant/i,
    code: 'oauth/invalid_grant',
    message:
      "Salesforce did not accept the username and password. Check both; outside the org's trusted IP ranges the security token must be added too (Settings → Reset My Security Token emails it).",
    elsewhere: 'The server did not accept the username and password. Check both.',
  },
];

/**
 * The resource owner password credentials grant (RFC 6749 §4.3; Salesforce "OAuth 2.0 Username-Password
 * Flow for Special Scenarios"), a legacy flow: the password, with the security token appended, goes to
 * the token endpoint in the POST body together with the consumer key and secret. It issues no refresh
 * token, and the app never stores the password.
 */
export function passwordGrant(
  options: ClientOptions & { clientSecret: string | null; username: string; password: string; securityToken?: string },
): Promise<TokenSet> {
  const { username, password, securityToken, ...client } = options;
  return requestTokens({
    ...client,
    grantType: 'password',
    parameters: { username, password: `${password}${securityToken ?? ''}` },
    action: 'signing in with the username and password',
    hints: HINTS,
  });
}
