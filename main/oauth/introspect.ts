import * as oauth from 'oauth4webapi';
import type { IntrospectionView } from '../../preload/contract';
import { AppError } from '../errors';
import { clientAt } from './client-auth';
import type { TokenAbout } from './client';
import { oauthOptions, toOAuthError } from './http';

/**
 * Token introspection (RFC 7662 §2; Salesforce "Introspect OAuth Tokens"), parsed once into an
 * {@link IntrospectionView}. For Salesforce's opaque access tokens this is the only way to learn their
 * expiry (`exp`), since token responses carry no `expires_in`. An inactive token is `{ active: false }`
 * with every other field empty.
 */
export async function requestIntrospection(options: TokenAbout): Promise<IntrospectionView> {
  if (!options.as.introspection_endpoint) {
    throw new AppError(
      'oauth/bad_response',
      'This server does not publish an introspection endpoint, so the token cannot be checked from here.',
    );
  }
  const { client, auth, method } = clientAt(options.as, 'introspection', options.clientId, options.clientSecret);
  let r: oauth.IntrospectionResponse;
  try {
    const response = await oauth.introspectionRequest(options.as, client, auth, options.token, {
      ...oauthOptions(options.as.introspection_endpoint, options.http ?? {}, options.signal),
      additionalParameters: { token_type_hint: options.hint },
    });
    r = await oauth.processIntrospectionResponse(options.as, client, response);
  } catch (e) {
    throw toOAuthError(e, 'introspecting the token', [], { server: options.as, clientAuth: method });
  }
  return parseIntrospection(r, (options.now ?? Date.now)());
}

/** RFC 7662 §2.2 response members as the contract's view; times stay epoch seconds. */
export function parseIntrospection(r: oauth.IntrospectionResponse, checkedAt: number): IntrospectionView {
  const active = r.active === true;
  const num = (v: unknown): number | null => {
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    return active && typeof n === 'number' && Number.isFinite(n) ? n : null;
  };
  const str = (v: unknown): string | null => (active && typeof v === 'string' && v !== '' ? v : null);
  return {
    active,
    scope: (str(r.scope) ?? '').split(' ').filter(Boolean),
    clientId: str(r.client_id),
    username: str(r.username),
    sub: str(r.sub),
    tokenType: str(r.token_type),
    exp: num(r.exp),
    iat: num(r.iat),
    nbf: num(r.nbf),
    checkedAt,
  };
}
