import type { SubjectTokenType } from '../../preload/contract';
import type { ErrorHint } from './http';
import type { ClientOptions } from './client';
import { requestTokens } from './token-request';
import type { TokenSet } from './token-set';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

const HINTS: ErrorHint[] = [
  {
    match: /unsupported_grant_type|not supported/i,
    code: 'oauth/unsupported_grant',
    message:
      'This app does not allow token exchange. Turn on "Enable Token Exchange Flow" in the app\'s OAuth settings and give it a token exchange handler (an Apex class that checks tokens from your identity provider).',
    elsewhere:
      'This server or client does not allow token exchange (RFC 8693). Allow the token exchange grant for the client at the server.',
  },
  {
    match: /subject_token_type/i,
    code: 'oauth/invalid_grant',
    message:
      "The app's token exchange handler does not take this kind of token. Choose the subject token type your handler accepts (often JWT or access token).",
    elsewhere:
      'The server does not take this kind of subject token. Choose the subject token type it accepts (often JWT or access token).',
  },
  {
    match: /no user|user not found/i,
    code: 'oauth/invalid_grant',
    message:
      'The token is valid, but no Salesforce user matches it. The handler maps the token to a user (often by email or federation ID): check that such a user exists and is active.',
    elsewhere: 'The server found no user for the subject token: check that such a user exists and is active.',
  },
  {
    match: /subject token|invalid_grant/i,
    code: 'oauth/invalid_grant',
    message:
      "Salesforce's token exchange handler did not accept the subject token: it expired, is for another audience, or comes from an identity provider the handler does not trust. Get a fresh token and try again.",
    elsewhere:
      'The server did not accept the subject token: it expired, is for another audience, or comes from an issuer the server does not trust. Get a fresh token and try again.',
  },
];

/**
 * The token exchange grant (RFC 8693 §2.1; Salesforce "OAuth 2.0 Token Exchange Flow"): a token from
 * another identity provider (`subject_token` with its `subject_token_type`) for a Salesforce access
 * token, validated by the app's token exchange handler. The client authenticates as for other grants.
 */
export function tokenExchangeGrant(
  options: ClientOptions & {
    subjectToken: string;
    subjectTokenType: SubjectTokenType;
    scopes: readonly string[];
  },
): Promise<TokenSet> {
  const { subjectToken, subjectTokenType, scopes, ...client } = options;
  return requestTokens({
    ...client,
    grantType: TOKEN_EXCHANGE_GRANT,
    parameters: {
      subject_token: subjectToken,
      subject_token_type: subjectTokenType,
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
    },
    action: 'exchanging the token',
    hints: HINTS,
    scopes,
  });
}
