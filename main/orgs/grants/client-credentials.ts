import { clientCredentialsGrant } from '../../oauth/client-credentials';
import { requestStart, type GrantClient, type GrantStrategy } from './strategy';

const FLOW = 'client credentials flow';

function run(client: GrantClient, signal?: AbortSignal) {
  return clientCredentialsGrant({
    as: client.as,
    clientId: client.profile.consumerKey,
    clientSecret: client.requireSecret(FLOW),
    // Servers other than Salesforce may require a scope here; Salesforce ignores it.
    scopes: client.profile.scopes,
    resource: client.profile.resource ?? null,
    audience: client.profile.audience ?? null,
    http: client.http,
    now: client.now,
    ...(signal ? { signal } : {}),
  });
}

/** Client credentials: the app's integration user. No refresh token: a new token comes from running it again. */
export const clientCredentials = {
  signIn: {
    method: 'client_credentials',
    async begin(env) {
      return { start: requestStart(env, 'client_credentials'), tokens: run(env, env.signal) };
    },
  },
  renewal: { by: 'grant', renew: (client) => run(client) },
} satisfies GrantStrategy;
