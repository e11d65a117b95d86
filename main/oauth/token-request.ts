import * as oauth from 'oauth4webapi';
import { issuerForTokenResponse } from './authorization-server';
import { clientAt } from './client-auth';
import type { ClientOptions } from './client';
import { oauthOptions, toOAuthError, type ErrorHint } from './http';
import { parseTokenResponse, type TokenSet } from './token-set';

export interface TokenRequest extends ClientOptions {
  /** `grant_type`: a registered one or an extension grant's URI (RFC 6749 §4.5). */
  grantType: string;
  /** The grant's own form parameters; they travel in the POST body, never in the URL. */
  parameters: Record<string, string>;
  /** What is being done, for error messages ("signing in with the JWT bearer flow"). */
  action: string;
  /** The flow's own readings of the server's error bodies. */
  hints?: readonly ErrorHint[];
  /** The scopes asked for, used when the response omits `scope`. */
  scopes?: readonly string[];
}

/**
 * One token request for any grant, through oauth4webapi's generic token endpoint request (RFC 6749 §3.2,
 * form-encoded POST, client authentication as for every other grant) and its response validation (an ID
 * token in it is checked as in OIDC Core §3.1.3.7, with Salesforce's issuer rule). Used by the JWT
 * bearer, username-password, token exchange and Salesforce device flows.
 */
export async function requestTokens(request: TokenRequest): Promise<TokenSet> {
  const { method } = clientAt(request.as, 'token', request.clientId, request.clientSecret);
  try {
    return await sendTokenRequest(request);
  } catch (e) {
    throw toOAuthError(e, request.action, request.hints, { server: request.as, clientAuth: method });
  }
}

/** {@link requestTokens} without the translation of errors: oauth4webapi's errors come through as they are. */
export async function sendTokenRequest(request: Omit<TokenRequest, 'action' | 'hints'>): Promise<TokenSet> {
  const { as } = request;
  const { client, auth } = clientAt(as, 'token', request.clientId, request.clientSecret);
  const response = await oauth.genericTokenEndpointRequest(
    as,
    client,
    auth,
    request.grantType,
    request.parameters,
    oauthOptions(as.token_endpoint, request.http ?? {}, request.signal),
  );
  const body = await oauth.processGenericTokenEndpointResponse(
    await issuerForTokenResponse(as, response),
    client,
    response,
  );
  return parseTokenResponse(body, (request.now ?? Date.now)(), request.scopes);
}
