import * as oauth from 'oauth4webapi';
import type { RevokeResult } from '../../preload/contract';
import { AppError } from '../errors';
import { clientOf } from './authorization-server';
import { oauthOptions, toOAuthError, type HttpOptions } from './http';

export interface RevokeOptions {
  as: oauth.AuthorizationServer;
  clientId: string;
  clientSecret?: string | null;
  token: string;
  hint: 'access_token' | 'refresh_token';
  http?: HttpOptions;
  signal?: AbortSignal;
}

/**
 * Token revocation (RFC 7009 §2.1; Salesforce "Revoke OAuth Tokens"): `POST` the token with its
 * `token_type_hint` to the revocation endpoint; HTTP 200 is success. At Salesforce, revoking a refresh
 * token also revokes every access token issued from it. Error bodies (`invalid_token`,
 * `unsupported_token_type`, ...) become typed errors; nothing about the token is put in a message.
 */
export async function revokeToken(options: RevokeOptions): Promise<RevokeResult> {
  if (!options.as.revocation_endpoint) {
    throw new AppError(
      'oauth/bad_response',
      'This server does not publish a revocation endpoint, so the token cannot be revoked from here.',
    );
  }
  const { client, auth } = clientOf(options.clientId, options.clientSecret);
  try {
    const response = await oauth.revocationRequest(options.as, client, auth, options.token, {
      ...oauthOptions(options.as.revocation_endpoint, options.http ?? {}, options.signal),
      additionalParameters: { token_type_hint: options.hint },
    });
    await oauth.processRevocationResponse(response);
  } catch (e) {
    throw toOAuthError(e, 'revoking the token');
  }
  return options.hint === 'refresh_token'
    ? {
        revoked: 'refresh',
        summary:
          'The refresh token was revoked. At Salesforce every access token issued from it stopped working too; sign in again to get new tokens.',
      }
    : {
        revoked: 'access',
        summary: 'The access token was revoked. A refresh token, if there is one, still works and can get a new one.',
      };
}
