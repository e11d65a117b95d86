import { pollDeviceToken, startDeviceAuthorization } from '../../oauth/device-flow';
import { authorizationCode } from './authorization-code';
import type { GrantStrategy } from './strategy';

/** The device flow: a code the user enters at the verification URL, on this or any other device. */
export const device = {
  signIn: {
    method: 'device',
    async begin(env) {
      const client = {
        as: env.as,
        clientId: env.profile.consumerKey,
        clientSecret: env.secret,
        http: env.http,
        now: env.now,
        signal: env.signal,
      };
      const authorization = await startDeviceAuthorization({ ...client, scopes: env.profile.scopes });
      return {
        start: {
          flowId: env.flowId,
          method: 'device',
          userCode: authorization.userCode,
          verificationUri: authorization.verificationUri,
          verificationUriComplete: authorization.verificationUriComplete,
          interval: authorization.interval,
          expiresAt: authorization.expiresAt,
        },
        tokens: pollDeviceToken({
          ...client,
          authorization,
          scopes: env.profile.scopes,
          ...(env.sleep ? { sleep: env.sleep } : {}),
        }),
        verificationUrl: authorization.verificationUriComplete ?? authorization.verificationUri,
      };
    },
  },
  renewal: authorizationCode.renewal,
} satisfies GrantStrategy;
