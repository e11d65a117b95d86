import { beginUserAgentFlow } from '../../oauth/user-agent-flow';
import { browserFlowBegun, type GrantStrategy } from './strategy';

/**
 * The user-agent flow (implicit grant) for apps configured only for it: the tokens come back in the loopback
 * callback's fragment. A refresh token comes with them when the app grants the refresh_token scope, and then
 * renews them like any other.
 */
export const userAgent = {
  signIn: {
    method: 'user_agent',
    async begin(env) {
      const flow = await beginUserAgentFlow({
        as: env.as,
        clientId: env.profile.consumerKey,
        redirectUri: env.profile.callbackUrl,
        scopes: env.profile.scopes,
        openExternal: env.openExternal,
        now: env.now,
        signal: env.signal,
        ...(env.listenerTimeoutMs ? { timeoutMs: env.listenerTimeoutMs } : {}),
      });
      return browserFlowBegun('user_agent', flow);
    },
  },
  renewal: {
    by: 'refresh_token',
    withoutOne:
      'The user-agent flow gave no refresh token (the app in Salesforce needs the refresh_token scope, and so does the app profile). Re-authenticate the org.',
  },
} satisfies GrantStrategy;
