import { tokenExchangeGrant } from '../../oauth/token-exchange';
import { requestStart, type GrantStrategy } from './strategy';

/** Token exchange (RFC 8693): a token of another identity provider for one of this server. */
export const tokenExchange = {
  signIn: {
    method: 'token_exchange',
    async begin(env, request) {
      const tokens = tokenExchangeGrant({
        as: env.as,
        clientId: env.profile.consumerKey,
        clientSecret: env.secret,
        subjectToken: request.subjectToken,
        subjectTokenType: request.subjectTokenType,
        scopes: env.profile.scopes,
        http: env.http,
        now: env.now,
        signal: env.signal,
      });
      return { start: requestStart(env, 'token_exchange'), tokens };
    },
  },
  renewal: {
    by: 'refresh_token',
    withoutOne:
      'The token exchange gave no refresh token (ask for the refresh_token scope). Re-authenticate with a fresh token from your identity provider.',
  },
} satisfies GrantStrategy;
