import { AppError } from '../../errors';
import { jwtBearerGrant } from '../../oauth/jwt-bearer';
import { requestStart, type GrantClient, type GrantStrategy } from './strategy';

async function run(client: GrantClient, username: string, audience: string | null, signal?: AbortSignal) {
  return jwtBearerGrant({
    as: client.as,
    clientId: client.profile.consumerKey,
    username,
    privateKeyPem: await client.requirePrivateKey(),
    ...(audience ? { audience } : {}),
    http: client.http,
    now: client.now,
    ...(signal ? { signal } : {}),
  });
}

/** JWT bearer: an assertion signed with the profile's private key. No refresh token: renewing signs a new one. */
export const jwtBearer = {
  signIn: {
    method: 'jwt_bearer',
    async begin(env, request) {
      return {
        start: requestStart(env, 'jwt_bearer'),
        tokens: run(env, request.username, request.audience ?? null, env.signal),
        audience: request.audience ?? null,
      };
    },
  },
  renewal: {
    by: 'grant',
    renew(client, record) {
      if (!record.username) throw new AppError('org/needs_sign_in', 'This org has no username. Re-authenticate it.');
      return run(client, record.username, record.audience);
    },
  },
} satisfies GrantStrategy;
