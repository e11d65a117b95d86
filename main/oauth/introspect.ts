import * as oauth from 'oauth4webapi';
import type { IntrospectionView } from '../../preload/contract';
import { AppError } from '../errors';
import { clientOf } from './authorization-server';
import { oauthOptions, toOAuthError, type HttpOptions } from './http';

export interface IntrospectOptions {
  as: oauth.AuthorizationServer;
  clientId: string;
  clientSecret: string | null;
  token: string;
  hint: 'access_token' | 'refresh_token';
  http?: HttpOptions;
  now?: () => number;
}

/**
 * Token introspection (RFC 7662). For Salesforce's opaque access tokens this is the only way to learn
 * their expiry (`exp`), since token responses carry no `expires_in`.
 */
export async function introspectToken(options: IntrospectOptions): Promise<IntrospectionView> {
  if (!options.as.introspection_endpoint) {
    throw new AppError('oauth/bad_response', 'This server does not publish an introspection endpoint.');
  }
  const { client, auth } = clientOf(options.clientId, options.clientSecret);
  let r: oauth.IntrospectionResponse;
  try {
    const response = await oauth.introspectionRequest(options.as, client, auth, options.token, {
      ...oauthOptions(options.as.issuer, options.http ?? {}),
      additionalParameters: { token_type_hint: options.hint },
    });
    r = await oauth.processIntrospectionResponse(options.as, client, response);
  } catch (e) {
    throw toOAuthError(e, 'introspecting the token');
  }
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    active: r.active === true,
    scope: (str(r.scope) ?? '').split(' ').filter(Boolean),
    clientId: str(r.client_id),
    username: str(r.username),
    sub: str(r.sub),
    tokenType: str(r.token_type),
    exp: num(r.exp),
    iat: num(r.iat),
    nbf: num(r.nbf),
    checkedAt: (options.now ?? Date.now)(),
  };
}
