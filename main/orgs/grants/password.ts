import { passwordGrant } from '../../oauth/password-grant';
import { requestStart, type GrantStrategy } from './strategy';

/** Username-password (legacy): the password is sent once and never stored, and no refresh token comes back. */
export const password = {
  signIn: {
    method: 'password',
    async begin(env, request) {
      const tokens = passwordGrant({
        as: env.as,
        clientId: env.profile.consumerKey,
        clientSecret: env.requireSecret('username-password flow'),
        username: request.username,
        password: request.password,
        ...(request.securityToken ? { securityToken: request.securityToken } : {}),
        http: env.http,
        now: env.now,
        signal: env.signal,
      });
      return { start: requestStart(env, 'password'), tokens };
    },
  },
  renewal: {
    by: 'refresh_token',
    withoutOne:
      'The username-password flow gives no refresh token, and the app never stores your password. Re-authenticate and enter it again.',
  },
} satisfies GrantStrategy;
