import type { CliOrg, OrgSummary } from '../../preload/contract';
import { AppError, isAppError, toApiError } from '../errors';
import type { Handlers } from '../../preload/contract';
import { normalizeLoginHost } from '../oauth/login-host';
import { refreshTokenGrant } from '../oauth/refresh';
import { parseTokenResponse, type TokenSet } from '../oauth/token-set';
import {
  CLI_INSTALL_URL,
  displayCliOrg,
  findSalesforceCli,
  listCliOrgs,
  type CliOrgDetail,
} from '../salesforce-cli/sf-cli';
import type { AppProfileRecord } from '../vault/records';
import type { OrgContext, OrgServiceDeps } from './org-context';

/** The parts of a Salesforce CLI auth URL. */
export interface SfdxAuthUrl {
  clientId: string;
  clientSecret: string | null;
  refreshToken: string;
  /** The login host (the org's instance or My Domain). */
  loginHost: string;
}

/** Where only a host counts (an auth URL, an instance URL): the origin of a normalized login host. */
const originOf = (url: string): string => new URL(url).origin;

/**
 * Parses `force://<clientId>:<clientSecret>:<refreshToken>@<host>`, what `sf org auth show-sfdx-auth-url`
 * prints (older CLIs: `sf org display --verbose`, as sfdxAuthUrl; the secret may be empty). Anything else is `import/invalid` with the expected shape.
 */
export function parseSfdxAuthUrl(url: string): SfdxAuthUrl {
  const m = /^force:\/\/([^:\s]+):([^:\s]*):([^@\s]+)@([^\s/]+)\/?$/.exec(url.trim());
  if (!m) {
    throw new AppError(
      'import/invalid',
      'This is not a Salesforce CLI auth URL. It looks like force://<client id>:<client secret>:<refresh token>@<host>; get it with "sf org auth show-sfdx-auth-url --json -o <alias>".',
    );
  }
  const [, clientId = '', clientSecret = '', refreshToken = '', host = ''] = m;
  return {
    clientId,
    clientSecret: clientSecret || null,
    refreshToken,
    // An auth URL names a host, never an issuer path (a `\` would otherwise turn into one).
    loginHost: originOf(normalizeLoginHost(/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host) ? `http://${host}` : host)),
  };
}

/**
 * Bringing in tokens the app did not get itself: a Salesforce CLI auth URL, the CLI's own orgs, or a
 * token pasted by the user (as a new org, or attached to one).
 */
export function createImportHandlers(
  ctx: OrgContext,
  cli: OrgServiceDeps['cli'],
): Pick<Handlers, 'importSfdxAuthUrl' | 'listCliOrgs' | 'importCliOrgs' | 'attachToken'> {
  const { vault, clients, http, now, operations } = ctx;

  /** The app profile for a CLI client: the one with this consumer key, or a new one. */
  async function cliProfile(clientId: string, clientSecret: string | null): Promise<AppProfileRecord> {
    const known = vault.listProfiles().find((p) => p.consumerKey === clientId);
    if (known) return known;
    return vault.saveProfile(
      {
        id: vault.newId(),
        name:
          clientId === 'PlatformCLI'
            ? 'Salesforce CLI (PlatformCLI)'
            : `Imported from the Salesforce CLI (${clientId.slice(0, 12)}…)`,
        kind: 'connected-app',
        consumerKey: clientId,
        callbackUrl: vault.settings.defaultCallbackUrl,
        scopes: vault.settings.defaultScopes,
      },
      { clientSecret: clientSecret ?? '' },
    );
  }

  /** A token set for a token that did not come from a token response here (a paste, the CLI). */
  function tokenSetOf(accessToken: string, extra: { refreshToken?: string | null; instanceUrl?: string }): TokenSet {
    const set = parseTokenResponse(
      {
        access_token: accessToken,
        token_type: 'bearer',
        ...(extra.instanceUrl ? { instance_url: extra.instanceUrl } : {}),
      },
      now(),
    );
    return { ...set, refreshToken: extra.refreshToken ?? null };
  }

  async function sfPath(): Promise<string> {
    const found = await findSalesforceCli({
      env: cli.env,
      homeDir: cli.homeDir,
      ...(cli.installDirs ? { installDirs: cli.installDirs } : {}),
    });
    if (!found) {
      throw new AppError(
        'cli/not_found',
        `The Salesforce CLI (sf) was not found on this computer. Install it from ${CLI_INSTALL_URL} and sign in with "sf org login web", or paste an SFDX auth URL instead.`,
      );
    }
    return found;
  }

  /**
   * Adopts a CLI org with the tokens the CLI holds: its current access token (no request spent) and the
   * refresh token from its auth URL, which is not used here, so a rotating app cannot lose the CLI's copy.
   * Only when the CLI's access token no longer works is the refresh token used.
   */
  async function adoptCliOrg(detail: CliOrgDetail, signal: AbortSignal): Promise<OrgSummary> {
    // The CLI's instance URL is an org's origin, not an issuer with a path: orgs signed in with
    // `sf org login access-token` keep the trailing `/` the user typed.
    const instanceUrl = originOf(normalizeLoginHost(detail.instanceUrl));
    const auth = detail.sfdxAuthUrl ? cliAuthUrl(detail.sfdxAuthUrl, instanceUrl) : null;
    const loginHost = auth?.loginHost ?? instanceUrl;
    // An org signed in with an access token only names no client (the CLI keeps none): its app stays unknown.
    const clientId = auth?.clientId ?? detail.clientId;
    const profile = clientId ? await cliProfile(clientId, auth?.clientSecret ?? null) : null;
    const as = await clients.serverFor(loginHost);
    const label = detail.alias ?? detail.username;
    const base = { profile, as, loginHost, orgRef: null, label, signal, source: 'salesforce_cli' } as const;
    const set = tokenSetOf(detail.accessToken, { refreshToken: auth?.refreshToken ?? null, instanceUrl });
    try {
      const record = await ctx.adopt({ ...base, set, grant: auth ? 'authorization_code' : 'pasted' });
      return ctx.summarize(record.id);
    } catch (e) {
      if (!auth || !isAppError(e, 'sf/session_expired')) throw e;
    }
    const fresh = await refreshTokenGrant({
      as,
      clientId: auth.clientId,
      clientSecret: auth.clientSecret,
      refreshToken: auth.refreshToken,
      http,
      now,
      signal,
    });
    const record = await ctx.adopt({ ...base, set: fresh, grant: 'authorization_code' });
    return ctx.summarize(record.id);
  }

  /**
   * The CLI's auth URL names its host without a scheme, and the CLI signs in there over https
   * (`sf org login sfdx-url`): the instance URL it reports for that host says which scheme it used.
   */
  function cliAuthUrl(url: string, instanceUrl: string): SfdxAuthUrl {
    const auth = parseSfdxAuthUrl(url);
    return new URL(auth.loginHost).host === new URL(instanceUrl).host ? { ...auth, loginHost: instanceUrl } : auth;
  }

  return {
    /**
     * Adopts an org from an auth URL. The refresh token is used once, to get an access token and the
     * identity; the client becomes an app profile (or reuses one).
     */
    importSfdxAuthUrl: ({ url, label, flowId }) =>
      operations.run(flowId, async (signal) => {
        const auth = parseSfdxAuthUrl(url);
        const as = await clients.serverFor(auth.loginHost);
        const set = await refreshTokenGrant({ as, ...auth, http, now, signal });
        const profile = await cliProfile(auth.clientId, auth.clientSecret);
        const record = await ctx.adopt({
          set,
          profile,
          as,
          loginHost: auth.loginHost,
          orgRef: null,
          label: label ?? null,
          grant: 'authorization_code',
          source: 'sfdx_auth_url',
          signal,
        });
        return ctx.summarize(record.id);
      }),

    listCliOrgs: ({ flowId }) =>
      operations.run(flowId, async (signal) => {
        const path = await sfPath();
        const orgs = await listCliOrgs(path, { env: cli.env, signal });
        const known = vault.listOrgs().map((o) => o.record);
        return {
          sfPath: path,
          orgs: orgs.map(({ loginUrl: _loginUrl, ...org }): CliOrg => ({
            ...org,
            knownAs:
              known.find(
                (r) =>
                  r.username?.toLowerCase() === org.username.toLowerCase() &&
                  (!org.orgId || !r.orgId || r.orgId.slice(0, 15) === org.orgId.slice(0, 15)),
              )?.id ?? null,
          })),
        };
      }),

    importCliOrgs: ({ usernames, flowId }) =>
      operations.run(flowId, async (signal) => {
        const path = await sfPath();
        const report = { imported: [] as OrgSummary[], failed: [] as { username: string; message: string }[] };
        // One after another: each runs a CLI process, and a failure of one must not stop the others.
        for (const username of usernames) {
          try {
            const detail = await displayCliOrg(path, username, { env: cli.env, signal });
            report.imported.push(await adoptCliOrg(detail, signal));
          } catch (e) {
            if (signal.aborted) throw e;
            report.failed.push({ username, message: toApiError(e).message });
          }
        }
        return report;
      }),

    attachToken: ({ profileId, loginHost, kind, token, orgRef, label, flowId }) =>
      operations.run(flowId, async (signal) => {
        const profile = clients.profileOf(profileId);
        const host = normalizeLoginHost(loginHost);
        const as = await clients.serverFor(host);
        const existing = orgRef ? vault.requireOrg(orgRef) : null;
        let set: TokenSet;
        if (kind === 'refresh') {
          const secret = await vault.readProfileSecret(profile.id);
          set = await refreshTokenGrant({
            as,
            clientId: profile.consumerKey,
            clientSecret: secret,
            refreshToken: token,
            http,
            now,
            signal,
          });
        } else {
          // The org's refresh token, if it has one, stays: the pasted access token only replaces its own.
          set = tokenSetOf(token, {
            refreshToken: existing ? await vault.readToken(existing.record.id, 'refresh') : null,
          });
        }
        const grant = kind === 'refresh' ? 'authorization_code' : (existing?.record.grant ?? 'pasted');
        const record = await ctx.adopt({
          set,
          profile,
          as,
          loginHost: host,
          orgRef: orgRef ?? null,
          label: label ?? null,
          grant,
          sameIdentity: true,
          source: 'pasted_token',
          signal,
        });
        return ctx.summarize(record.id);
      }),
  };
}
