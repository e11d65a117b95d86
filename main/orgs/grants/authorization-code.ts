import { acceptCallbackUrl } from '../../oauth/callback-url';
import { beginManualCodeFlow } from '../../oauth/manual-code-flow';
import { beginWebServerFlow } from '../../oauth/web-server-flow';
import { browserFlowBegun, type Begun, type GrantStrategy, type SignInEnv } from './strategy';

/**
 * The web server flow with PKCE through the system browser: its callback comes to the loopback listener, or,
 * when the profile's callback URL is a page elsewhere, the user pastes the address the browser lands on.
 */
export const authorizationCode = {
  signIn: {
    method: 'authorization_code',
    async begin(env) {
      const { profile } = env;
      if (acceptCallbackUrl(profile.callbackUrl).receiver === 'paste') return byHand(env);
      const flow = await beginWebServerFlow({
        as: env.as,
        clientId: profile.consumerKey,
        clientSecret: env.secret,
        redirectUri: profile.callbackUrl,
        scopes: profile.scopes,
        // OIDC Core §11: a server only issues offline_access refresh tokens after prompt=consent.
        prompt: profile.kind === 'oidc' && profile.scopes.includes('offline_access') ? 'login consent' : 'login',
        openExternal: env.openExternal,
        http: env.http,
        now: env.now,
        signal: env.signal,
        ...(env.listenerTimeoutMs ? { timeoutMs: env.listenerTimeoutMs } : {}),
      });
      return browserFlowBegun('authorization_code', flow);
    },
  },
  renewal: {
    by: 'refresh_token',
    withoutOne:
      'This org has no refresh token (the app profile needs the refresh_token scope, or this session only kept it in memory). Re-authenticate the org.',
  },
} satisfies GrantStrategy;

/** A code by hand (manual-code-flow.ts): the same grant, with the callback pasted by the user. */
async function byHand(env: SignInEnv): Promise<Begun> {
  const flow = await beginManualCodeFlow({
    as: env.as,
    clientId: env.profile.consumerKey,
    clientSecret: env.secret,
    redirectUri: env.profile.callbackUrl,
    scopes: env.profile.scopes,
    prompt: 'login',
    openExternal: env.openExternal,
    http: env.http,
    now: env.now,
    signal: env.signal,
  });
  return {
    start: {
      flowId: env.flowId,
      method: 'authorization_code',
      authorizeUrl: flow.authorizeUrl,
      redirectUri: flow.redirectUri,
      expiresAt: flow.expiresAt,
      byHand: true,
    },
    tokens: flow.result,
    submitCode: (pasted) => flow.submit(pasted),
  };
}
