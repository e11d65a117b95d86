import { beginWebServerFlow } from '../../oauth/web-server-flow';
import type { GrantStrategy } from './strategy';

/** The web server flow with PKCE, through the system browser and a loopback callback. */
export const authorizationCode = {
  signIn: {
    method: 'authorization_code',
    async begin(env) {
      const { profile } = env;
      const flow = await beginWebServerFlow({
        as: env.as,
        clientId: profile.consumerKey,
        clientSecret: env.secret,
        redirectUri: profile.callbackUrl,
        scopes: profile.scopes,
        // OIDC Core §11: a server only issues offline_access refresh tokens after prompt=consent.
        prompt: profile.kind === 'oidc' && profile.scopes.includes('offline_access') ? 'login consent' : 'login',
        openExternal: (url) => env.openExternal(url),
        http: env.http,
        now: env.now,
        signal: env.signal,
        ...(env.listenerTimeoutMs ? { timeoutMs: env.listenerTimeoutMs } : {}),
      });
      return {
        start: {
          flowId: flow.flowId,
          method: 'authorization_code',
          authorizeUrl: flow.authorizeUrl,
          redirectUri: flow.redirectUri,
          expiresAt: flow.expiresAt,
        },
        tokens: flow.result,
        finish: (outcome) => flow.finish(outcome),
      };
    },
  },
  renewal: {
    by: 'refresh_token',
    withoutOne:
      'This org has no refresh token (the app profile needs the refresh_token scope, or this session only kept it in memory). Re-authenticate the org.',
  },
} satisfies GrantStrategy;
