import type { OrgGrant, SignInMethodName, SignInRequest } from '../../../preload/contract';
import { authorizationCode } from './authorization-code';
import { clientCredentials } from './client-credentials';
import { device } from './device';
import { jwtBearer } from './jwt-bearer';
import { password } from './password';
import { pasted } from './pasted';
import type { GrantStrategy, SignIn } from './strategy';
import { tokenExchange } from './token-exchange';
import { userAgent } from './user-agent';

/** One strategy per grant: a grant without one does not compile. */
export const STRATEGIES = {
  authorization_code: authorizationCode,
  device,
  client_credentials: clientCredentials,
  jwt_bearer: jwtBearer,
  password,
  token_exchange: tokenExchange,
  pasted,
  user_agent: userAgent,
} as const satisfies Record<OrgGrant, GrantStrategy>;

/**
 * A sign-in method is named by its grant. The check fails to compile when a method's strategy has no
 * sign-in, or one for another method.
 */
type StartsItself = { [G in SignInMethodName]: (typeof STRATEGIES)[G]['signIn'] extends SignIn<G> ? G : never };
const EVERY_METHOD_STARTS_ITS_GRANT: StartsItself = {
  authorization_code: 'authorization_code',
  device: 'device',
  client_credentials: 'client_credentials',
  jwt_bearer: 'jwt_bearer',
  password: 'password',
  token_exchange: 'token_exchange',
  user_agent: 'user_agent',
};
void EVERY_METHOD_STARTS_ITS_GRANT;

/** How a sign-in with this method (its grant) begins. */
export function signInFor<M extends SignInMethodName>(request: SignInRequest & { method: M }): SignIn<M> {
  return STRATEGIES[request.method].signIn as SignIn<M>;
}
