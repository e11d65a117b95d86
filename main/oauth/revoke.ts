import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { clientAt } from './client-auth';
import type { TokenAbout } from './client';
import { oauthOptions, toOAuthError } from './http';

/** A revocation where no client is known, for a server that asks for none (Salesforce's). */
export type RevocationWithoutClient = Omit<TokenAbout, 'clientId' | 'clientSecret'> & { clientId: null };

/**
 * Token revocation (RFC 7009 §2.1; Salesforce "Revoke OAuth Tokens"): `POST` the token with its
 * `token_type_hint` to the revocation endpoint; HTTP 200 is success. At Salesforce, revoking a refresh
 * token also revokes every access token issued from it. Error bodies (`invalid_token`,
 * `unsupported_token_type`, ...) become typed errors; nothing about the token is put in a message.
 */
export async function requestRevocation(options: TokenAbout | RevocationWithoutClient): Promise<void> {
  if (!options.as.revocation_endpoint) {
    throw new AppError(
      'oauth/bad_response',
      'This server does not publish a revocation endpoint, so the token cannot be revoked from here.',
    );
  }
  // Salesforce's revoke endpoint authenticates no client: then the request carries the token and its hint only.
  const { client, auth, method } =
    options.clientId === null
      ? { client: { client_id: 'none' }, auth: () => {}, method: 'none' as const }
      : clientAt(options.as, 'revocation', options.clientId, options.clientSecret);
  try {
    const response = await oauth.revocationRequest(options.as, client, auth, options.token, {
      ...oauthOptions(options.as.revocation_endpoint, options.http ?? {}, options.signal),
      additionalParameters: { token_type_hint: options.hint },
    });
    await oauth.processRevocationResponse(response);
  } catch (e) {
    throw toOAuthError(e, 'revoking the token', [], { server: options.as, clientAuth: method });
  }
}
