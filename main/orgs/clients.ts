import type * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { discoverAuthorizationServer } from '../oauth/authorization-server';
import type { HttpOptions } from '../net/bounded-fetch';
import type { AppProfileRecord, OrgRecord } from '../vault/records';
import type { Vault } from '../vault/vault';
import type { GrantClient } from './grants/strategy';

/** The authorization servers the app talks to (discovered once per login host) and its clients at them. */
export function createClients(vault: Vault, http: HttpOptions, now: () => number) {
  const servers = new Map<string, Promise<oauth.AuthorizationServer>>();

  function serverFor(loginHost: string): Promise<oauth.AuthorizationServer> {
    let found = servers.get(loginHost);
    if (!found) {
      found = discoverAuthorizationServer(loginHost, http);
      servers.set(loginHost, found);
      found.catch(() => servers.delete(loginHost));
    }
    return found;
  }

  function profileOf(id: string | null): AppProfileRecord {
    // No profile at all: tokens that came without their app (an access token the Salesforce CLI holds).
    if (id === null)
      throw new AppError(
        'profile/not_found',
        'The app this org’s access token was issued to is not known (the Salesforce CLI keeps none for an access token), so there is no client to ask the server with. Re-authenticate the org with an app profile to refresh, introspect or revoke its tokens here.',
      );
    const profile = vault.getProfile(id);
    if (!profile)
      throw new AppError(
        'profile/not_found',
        'The app profile of this org is gone. Re-authenticate the org with another app profile.',
      );
    return profile;
  }

  /** The app profile as a client of the server at `loginHost`. */
  async function clientOf(profile: AppProfileRecord, loginHost: string): Promise<GrantClient> {
    const as = await serverFor(loginHost);
    const secret = await vault.readProfileSecret(profile.id);
    return {
      as,
      profile,
      secret,
      http,
      now,
      requireSecret(flow) {
        if (!secret) {
          throw new AppError(
            'oauth/invalid_client',
            `The ${flow} needs the consumer secret: add it to the app profile "${profile.name}".`,
          );
        }
        return secret;
      },
      async requirePrivateKey() {
        const key = await vault.readProfileSecret(profile.id, 'privateKey');
        if (!key) {
          throw new AppError(
            'key/invalid',
            `The JWT bearer flow signs with a private key, and the app profile "${profile.name}" has none. Choose the key file whose certificate is uploaded to the app in Salesforce.`,
          );
        }
        return key;
      },
    };
  }

  /** The org's app profile at the org's server. */
  const clientFor = async (record: OrgRecord): Promise<GrantClient> =>
    clientOf(profileOf(record.profileId), record.loginHost);

  /** What asking the org's server about one of its tokens takes (introspection, revocation). */
  async function aboutToken(record: OrgRecord, kind: 'access' | 'refresh', token: string) {
    const { profile, secret, as } = await clientFor(record);
    const hint = kind === 'access' ? ('access_token' as const) : ('refresh_token' as const);
    return { as, clientId: profile.consumerKey, clientSecret: secret, token, hint, http, now };
  }

  return { serverFor, profileOf, clientOf, clientFor, aboutToken };
}

export type Clients = ReturnType<typeof createClients>;
