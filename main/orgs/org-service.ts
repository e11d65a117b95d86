import type * as oauth from 'oauth4webapi';
import type {
  AppProfile,
  OrgSummary,
  RevokeResult,
  SettingsView,
  TokenKind,
  TokenSummary,
} from '../../preload/contract';
import { AppError, isAppError } from '../errors';
import type { Handlers } from '../ipc/router';
import { discoverAuthorizationServer } from '../oauth/authorization-server';
import type { HttpOptions } from '../oauth/http';
import { introspectToken } from '../oauth/introspect';
import { normalizeLoginHost, orgTypeFromHost } from '../oauth/login-host';
import { refreshTokens, SingleFlight } from '../oauth/refresh';
import { clientCredentialsGrant } from '../oauth/client-credentials';
import { registerClient } from '../oauth/register-client';
import { revokeToken } from '../oauth/revoke';
import type { TokenSet } from '../oauth/token-set';
import { beginWebServerFlow, type WebServerFlow } from '../oauth/web-server-flow';
import { fetchIdentity, identityFromIdToken } from '../salesforce/identity';
import { testRestApi } from '../salesforce/rest';
import { singleAccessUrl } from '../salesforce/single-access';
import { inspectToken } from '../tokens/inspect-token';
import { to18 } from '../tokens/org-id';
import { isJwt } from '../tokens/token-format';
import { verifyJwtSignature } from '../tokens/verify-token';
import { getJson } from '../salesforce/http';
import type { AppProfileRecord, OrgRecord, TokenMeta } from '../vault/records';
import type { TokenInput, Vault } from '../vault/vault';
import { orgStatusAt, tokenStatusAt } from './org-status';

export interface OrgServiceDeps {
  vault: Vault;
  /** Opens a URL in the system browser. */
  openExternal: (url: string) => Promise<void>;
  writeClipboard: (text: string) => void;
  /** File dialogs for export/import; null: the user cancelled. */
  dialogs: {
    saveJson(suggestedName: string, content: string): Promise<string | null>;
    openJson(): Promise<string | null>;
  };
  http?: HttpOptions;
  now?: () => number;
  listenerTimeoutMs?: number;
}

type OrgMethods =
  | 'listOrgs'
  | 'updateOrg'
  | 'listAppProfiles'
  | 'saveAppProfile'
  | 'deleteAppProfile'
  | 'registerAppProfile'
  | 'beginSignIn'
  | 'awaitSignIn'
  | 'cancelSignIn'
  | 'refreshOrg'
  | 'revokeToken'
  | 'signOut'
  | 'introspectToken'
  | 'testToken'
  | 'openOrgInBrowser'
  | 'inspectOrgToken'
  | 'verifyOrgToken'
  | 'getUserInfo'
  | 'copyText'
  | 'copyToken'
  | 'revealToken'
  | 'setWeakStorageOptIn'
  | 'importSfdxAuthUrl'
  | 'signInWithClientCredentials'
  | 'getSettings'
  | 'saveSettings'
  | 'exportOrgs'
  | 'importOrgs';

interface PendingFlow {
  flow: WebServerFlow;
  profile: AppProfileRecord;
  loginHost: string;
  as: oauth.AuthorizationServer;
  orgRef: string | null;
  label: string | null;
}

/** A desktop app receives the sign-in on this computer: only loopback http callback URLs make sense. */
function checkCallbackUrl(text: string): URL {
  let callback: URL;
  try {
    callback = new URL(text);
  } catch {
    throw new AppError(
      'oauth/invalid_redirect_uri',
      'The callback URL is not a web address. Use http://localhost:1717/OauthRedirect unless your app lists another.',
    );
  }
  if (callback.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(callback.hostname)) {
    throw new AppError(
      'oauth/invalid_redirect_uri',
      'A desktop app receives the sign-in on this computer: the callback URL must start with http://localhost:<port>/ or http://127.0.0.1:<port>/.',
    );
  }
  return callback;
}

const TOKEN_NAMES: Record<TokenKind, string> = { access: 'access token', refresh: 'refresh token', id: 'ID token' };

/** Orgs, app profiles, sign-in and every token operation: the bridge handlers for them. */
export function createOrgService(deps: OrgServiceDeps): Pick<Handlers, OrgMethods> & { close(): void } {
  const { vault } = deps;
  const now = deps.now ?? Date.now;
  const http = deps.http ?? {};
  const flows = new Map<string, PendingFlow>();
  const refreshes = new SingleFlight<TokenSet>();
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

  function summarize(id: string): OrgSummary {
    const { record, tokens } = vault.requireOrg(id);
    const t = now();
    const summaries: TokenSummary[] = tokens.map((m) => ({ ...m, status: tokenStatusAt(m, t) }));
    const orgId = record.orgId;
    return {
      id: record.id,
      label: record.label,
      orgId: orgId ? orgId.slice(0, 15) : null,
      orgId18: orgId ? (orgId.length === 15 ? to18(orgId) : orgId) : null,
      userId: record.userId,
      username: record.username,
      displayName: record.displayName,
      instanceUrl: record.instanceUrl,
      myDomain: record.myDomain,
      loginHost: record.loginHost,
      orgType: record.orgType,
      status: orgStatusAt(summaries, record.needsSignIn, t),
      color: record.color,
      group: record.group,
      pinned: record.pinned,
      profileId: record.profileId,
      tokens: summaries,
      addedAt: record.addedAt,
      updatedAt: record.updatedAt,
    };
  }

  function profileOf(id: string | null): AppProfileRecord {
    const profile = id ? vault.getProfile(id) : null;
    if (!profile)
      throw new AppError(
        'profile/not_found',
        'The app profile of this org is gone. Re-authenticate the org with another app profile.',
      );
    return profile;
  }

  async function clientFor(record: OrgRecord) {
    const profile = profileOf(record.profileId);
    return { profile, secret: await vault.readProfileSecret(profile.id), as: await serverFor(record.loginHost) };
  }

  /** Everything needed to ask the org's authorization server about one of its tokens. */
  async function aboutToken(record: OrgRecord, kind: 'access' | 'refresh', token: string) {
    const { profile, secret, as } = await clientFor(record);
    const hint = kind === 'access' ? ('access_token' as const) : ('refresh_token' as const);
    return { as, clientId: profile.consumerKey, clientSecret: secret, token, hint, http, now };
  }

  function requireSecret(profile: AppProfileRecord, secret: string | null): string {
    if (!secret) {
      throw new AppError(
        'oauth/invalid_client',
        `The client credentials flow needs the consumer secret: add it to the app profile "${profile.name}".`,
      );
    }
    return secret;
  }

  async function requireToken(id: string, kind: TokenKind): Promise<string> {
    const token = await vault.readToken(id, kind);
    if (token === null) {
      throw new AppError(
        kind === 'refresh' ? 'oauth/no_refresh_token' : 'org/needs_sign_in',
        kind === 'refresh'
          ? 'This org has no refresh token (the app profile needs the refresh_token scope, or this session only kept it in memory). Re-authenticate the org.'
          : `This org has no ${TOKEN_NAMES[kind]} stored. Re-authenticate the org.`,
      );
    }
    return token;
  }

  function metaOf(kind: TokenKind, token: string, set: TokenSet, expiresAt: number | null): TokenMeta {
    return {
      kind,
      format: isJwt(token) ? 'jwt' : 'opaque',
      scopes: kind === 'id' ? ['openid'] : set.scopes,
      issuedAt: set.issuedAt,
      expiresAt,
      status: 'active',
      lastCheckedAt: null,
      hint: token.slice(-4),
    };
  }

  function idTokenExpiry(idToken: string): number | null {
    try {
      const r = inspectToken(idToken, now());
      return r.kind === 'jws' && r.expiresAt !== null ? r.expiresAt * 1000 : null;
    } catch {
      return null;
    }
  }

  /** Learns an opaque access token's expiry by introspection; Salesforce sends no expires_in. */
  async function expiryOf(set: TokenSet, record: OrgRecord): Promise<number | null> {
    if (set.expiresAt !== null) return set.expiresAt;
    try {
      const view = await introspectToken(await aboutToken(record, 'access', set.accessToken));
      return view.active && view.exp !== null ? view.exp * 1000 : null;
    } catch {
      return null;
    }
  }

  /** Saves a token response: a rotated refresh token is stored before anyone uses the new access token. */
  async function storeTokenSet(
    id: string,
    set: TokenSet,
    expiresAt: number | null,
    previous: TokenMeta[],
  ): Promise<void> {
    const inputs: TokenInput[] = [{ meta: metaOf('access', set.accessToken, set, expiresAt), value: set.accessToken }];
    if (set.refreshToken) {
      const old = previous.find((t) => t.kind === 'refresh');
      const rotated = !old || old.hint !== set.refreshToken.slice(-4) || old.status === 'revoked';
      const meta = metaOf('refresh', set.refreshToken, set, null);
      inputs.push({ meta: rotated || !old ? meta : { ...old, status: 'active' }, value: set.refreshToken });
    }
    if (set.idToken)
      inputs.push({ meta: metaOf('id', set.idToken, set, idTokenExpiry(set.idToken)), value: set.idToken });
    else {
      const oldId = previous.find((t) => t.kind === 'id');
      if (oldId) inputs.push({ meta: oldId, value: null });
    }
    await vault.saveTokens(id, inputs);
  }

  async function refresh(id: string): Promise<TokenSet> {
    return refreshes.run(id, async () => {
      const { record, tokens } = vault.requireOrg(id);
      const { profile, secret, as } = await clientFor(record);
      if (record.grant === 'client_credentials') {
        // No refresh token in this flow: a new token comes from running the grant again.
        const fresh = await clientCredentialsGrant({
          as,
          clientId: profile.consumerKey,
          clientSecret: requireSecret(profile, secret),
          http,
          now,
        });
        await storeTokenSet(id, fresh, await expiryOf(fresh, record), tokens);
        await vault.saveOrg({ ...record, needsSignIn: false, updatedAt: now() });
        return fresh;
      }
      const refreshToken = await requireToken(id, 'refresh');
      let set: TokenSet;
      try {
        set = await refreshTokens({ as, clientId: profile.consumerKey, clientSecret: secret, refreshToken, http, now });
      } catch (e) {
        if (isAppError(e, 'oauth/invalid_grant')) {
          await vault.updateTokenMeta(id, 'refresh', { status: 'revoked', lastCheckedAt: now() });
          await vault.saveOrg({ ...record, needsSignIn: true, updatedAt: now() });
          throw new AppError(
            'oauth/invalid_grant',
            'The refresh token no longer works (it was revoked, rotated elsewhere or the password changed). Re-authenticate this org.',
            { cause: e },
          );
        }
        throw e;
      }
      await storeTokenSet(id, set, await expiryOf(set, record), tokens);
      await vault.saveOrg({ ...record, needsSignIn: false, updatedAt: now() });
      return set;
    });
  }

  /** Runs an API call with the org's access token; on 401 it refreshes once (single-flight) and retries. */
  async function withAuthRetry<T>(
    id: string,
    call: (accessToken: string) => Promise<T>,
    retryOn: string[] = ['sf/session_expired'],
  ): Promise<{ value: T; refreshed: boolean }> {
    const token = await requireToken(id, 'access');
    try {
      return { value: await call(token), refreshed: false };
    } catch (e) {
      const org = vault.requireOrg(id);
      const canRefresh =
        org.record.grant === 'client_credentials' ||
        org.tokens.some((t) => t.kind === 'refresh' && t.status !== 'revoked');
      if (!(e instanceof AppError) || !retryOn.includes(e.code) || !canRefresh) {
        if (e instanceof AppError && retryOn.includes(e.code))
          await vault.updateTokenMeta(id, 'access', { status: 'expired', lastCheckedAt: now() });
        throw e;
      }
      const set = await refresh(id);
      return { value: await call(set.accessToken), refreshed: true };
    }
  }

  interface Adoption {
    set: TokenSet;
    profile: AppProfileRecord;
    as: oauth.AuthorizationServer;
    loginHost: string;
    orgRef: string | null;
    label: string | null;
    grant?: OrgRecord['grant'];
  }

  /**
   * Turns fresh tokens into an org: identity from the identity URL (or userinfo), the same org updated
   * in place when it is already known (same org and user, or `orgRef`), tokens stored encrypted.
   */
  async function adoptTokens({
    set,
    profile,
    as,
    loginHost,
    orgRef,
    label,
    grant = 'authorization_code',
  }: Adoption): Promise<OrgRecord> {
    const identity = await fetchIdentity(
      { identityUrl: set.identityUrl, userinfoUrl: as.userinfo_endpoint ?? null },
      set.accessToken,
      http,
    ).catch((e: unknown) => {
      // Without a Salesforce identity URL, an ID token still says who signed in.
      const fromIdToken = set.identityUrl === null ? identityFromIdToken(set.idToken) : null;
      if (fromIdToken) return fromIdToken;
      throw e;
    });
    const existing =
      (orgRef ? vault.getOrg(orgRef) : null) ??
      vault
        .listOrgs()
        .find(
          (o) => o.record.orgId !== null && o.record.orgId === identity.orgId && o.record.userId === identity.userId,
        ) ??
      null;
    const t = now();
    const instanceUrl = set.instanceUrl;
    const myDomain =
      identity.myDomainUrl ??
      (instanceUrl && /\.my\.salesforce\.com$/.test(new URL(instanceUrl).hostname) ? instanceUrl : null);
    // "acme" for acme.my.salesforce.com; otherwise the username says more than a host name.
    const defaultLabel =
      myDomain && new URL(myDomain).hostname.endsWith('.salesforce.com')
        ? new URL(myDomain).hostname.split('.')[0]!
        : (identity.username ?? new URL(loginHost).hostname);
    const record: OrgRecord = {
      id: existing?.record.id ?? vault.newId(),
      label: existing?.record.label ?? label ?? defaultLabel,
      orgId: identity.orgId,
      userId: identity.userId,
      username: identity.username,
      displayName: identity.displayName,
      instanceUrl,
      identityUrl: set.identityUrl,
      myDomain,
      loginHost,
      orgType:
        existing?.record.orgType && existing.record.orgType !== 'unknown'
          ? existing.record.orgType
          : orgTypeFromHost(myDomain ?? loginHost),
      color: existing?.record.color ?? null,
      group: existing?.record.group ?? null,
      pinned: existing?.record.pinned ?? false,
      profileId: profile.id,
      needsSignIn: false,
      grant,
      addedAt: existing?.record.addedAt ?? t,
      updatedAt: t,
    };
    await vault.saveOrg(record);
    await storeTokenSet(record.id, set, await expiryOf(set, record), []);
    return record;
  }

  async function finishSignIn(pending: PendingFlow): Promise<OrgSummary> {
    const set = await pending.flow.result;
    const record = await adoptTokens({ ...pending, set });
    pending.flow.finish({
      ok: true,
      title: `Signed in to ${record.label}`,
      detail: `${record.username ?? 'Your user'} is connected through ${pending.profile.name}. SF Token Inspector has the tokens now.`,
    });
    return summarize(record.id);
  }

  /**
   * Adopts an org from a Salesforce CLI auth URL, `force://<clientId>:<clientSecret>:<refreshToken>@<host>`
   * (what `sf org display --verbose` prints as sfdxAuthUrl; the secret may be empty). The refresh token is
   * used once to get an access token and the identity; the client becomes an app profile (or reuses one).
   */
  async function importAuthUrl(url: string, label: string | null): Promise<OrgSummary> {
    const m = /^force:\/\/([^:\s]+):([^:\s]*):([^@\s]+)@([^\s/]+)\/?$/.exec(url.trim());
    if (!m) {
      throw new AppError(
        'import/invalid',
        'This is not a Salesforce CLI auth URL. It looks like force://<client id>:<client secret>:<refresh token>@<host>; get it with "sf org display --verbose --json".',
      );
    }
    const [, clientId = '', clientSecret = '', refreshToken = '', host = ''] = m;
    const loginHost = normalizeLoginHost(/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host) ? `http://${host}` : host);
    const as = await serverFor(loginHost);
    const set = await refreshTokens({ as, clientId, clientSecret: clientSecret || null, refreshToken, http, now });
    const known = vault.listProfiles().find((p) => p.consumerKey === clientId);
    const profile =
      known ??
      (await vault.saveProfile(
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
        clientSecret,
      ));
    const record = await adoptTokens({ set, profile, as, loginHost, orgRef: null, label });
    return summarize(record.id);
  }

  function settingsView(): SettingsView {
    const { theme, defaultCallbackUrl, defaultScopes } = vault.settings;
    return { theme, defaultCallbackUrl, defaultScopes, storage: vault.status() };
  }

  function toProfile(record: AppProfileRecord): AppProfile {
    return { ...record };
  }

  return {
    listOrgs: () => vault.listOrgs().map((o) => summarize(o.record.id)),

    updateOrg: async ({ id, ...patch }) => {
      const { record } = vault.requireOrg(id);
      const next: OrgRecord = { ...record, updatedAt: now() };
      if (patch.label !== undefined) next.label = patch.label;
      if (patch.color !== undefined) next.color = patch.color;
      if (patch.group !== undefined) next.group = patch.group;
      if (patch.pinned !== undefined) next.pinned = patch.pinned;
      await vault.saveOrg(next);
      return summarize(id);
    },

    listAppProfiles: () => vault.listProfiles().map(toProfile),

    saveAppProfile: async (input) => {
      const callback = checkCallbackUrl(input.callbackUrl);
      if (input.id && !vault.getProfile(input.id))
        throw new AppError('profile/not_found', 'This app profile no longer exists.');
      const record = await vault.saveProfile(
        {
          id: input.id ?? vault.newId(),
          name: input.name,
          kind: input.kind,
          consumerKey: input.consumerKey,
          callbackUrl: callback.href,
          scopes: input.scopes,
        },
        input.consumerSecret,
      );
      return toProfile(record);
    },

    deleteAppProfile: async ({ id }) => {
      await vault.deleteProfile(id);
      return null;
    },

    registerAppProfile: async (input) => {
      const callback = checkCallbackUrl(input.callbackUrl);
      const as = await serverFor(normalizeLoginHost(input.loginHost));
      const client = await registerClient({
        as,
        initialAccessToken: input.initialAccessToken,
        name: input.name,
        redirectUri: callback.href,
        scopes: input.scopes,
        http,
      });
      const record = await vault.saveProfile(
        {
          id: vault.newId(),
          name: input.name,
          kind: 'connected-app',
          consumerKey: client.clientId,
          callbackUrl: callback.href,
          scopes: input.scopes,
        },
        client.clientSecret ?? '',
      );
      return toProfile(record);
    },

    beginSignIn: async (request) => {
      const profile = profileOf(request.profileId);
      const loginHost = normalizeLoginHost(request.loginHost);
      const as = await serverFor(loginHost);
      const secret = await vault.readProfileSecret(profile.id);
      const flow = await beginWebServerFlow({
        as,
        clientId: profile.consumerKey,
        clientSecret: secret,
        redirectUri: profile.callbackUrl,
        scopes: profile.scopes,
        // OIDC Core §11: a server only issues offline_access refresh tokens after prompt=consent.
        prompt: profile.kind === 'oidc' && profile.scopes.includes('offline_access') ? 'login consent' : 'login',
        openExternal: deps.openExternal,
        http,
        now,
        ...(deps.listenerTimeoutMs ? { timeoutMs: deps.listenerTimeoutMs } : {}),
      });
      flows.set(flow.flowId, {
        flow,
        profile,
        loginHost,
        as,
        orgRef: request.orgRef ?? null,
        label: request.label ?? null,
      });
      return {
        flowId: flow.flowId,
        authorizeUrl: flow.authorizeUrl,
        redirectUri: flow.redirectUri,
        expiresAt: flow.expiresAt,
      };
    },

    awaitSignIn: async ({ flowId }) => {
      const pending = flows.get(flowId);
      if (!pending) throw new AppError('oauth/flow_not_found', 'This sign-in is no longer running. Start it again.');
      try {
        return await finishSignIn(pending);
      } catch (e) {
        pending.flow.finish({ ok: false, message: e instanceof AppError ? e.message : 'The sign-in failed.' });
        throw e;
      } finally {
        flows.delete(flowId);
      }
    },

    cancelSignIn: async ({ flowId }) => {
      flows.get(flowId)?.flow.cancel();
      return null;
    },

    refreshOrg: async ({ id }) => {
      await refresh(id);
      return summarize(id);
    },

    revokeToken: async ({ id, kind }) => {
      // A refresh in flight may be about to store a rotated refresh token: revoke what it leaves behind,
      // not the token it is replacing.
      await refreshes.settled(id);
      const { record } = vault.requireOrg(id);
      await revokeToken(await aboutToken(record, kind, await requireToken(id, kind)));
      const t = now();
      await vault.updateTokenMeta(id, kind, { status: 'revoked', lastCheckedAt: t });
      if (kind === 'refresh') {
        await vault.updateTokenMeta(id, 'access', { status: 'revoked', lastCheckedAt: t });
        return {
          revoked: 'refresh',
          summary: `Revoked the refresh token of ${record.label}. Salesforce also revoked every access token issued from it; re-authenticate to get new tokens.`,
        } satisfies RevokeResult;
      }
      const hasRefresh = vault.requireOrg(id).tokens.some((m) => m.kind === 'refresh' && m.status !== 'revoked');
      return {
        revoked: 'access',
        summary: `Revoked the access token of ${record.label}. ${hasRefresh ? 'The refresh token still works: Refresh gets a new access token.' : 'There is no refresh token, so re-authenticate to use the org again.'}`,
      } satisfies RevokeResult;
    },

    signOut: async ({ id }) => {
      await refreshes.settled(id);
      const { record, tokens } = vault.requireOrg(id);
      const kind: 'access' | 'refresh' = tokens.some((t) => t.kind === 'refresh') ? 'refresh' : 'access';
      const token = await vault.readToken(id, kind).catch(() => null);
      let revoked = false;
      if (token !== null) {
        try {
          await revokeToken(await aboutToken(record, kind, token));
          revoked = true;
        } catch (e) {
          // A token the server no longer knows is as good as revoked; anything else must not be hidden.
          if (!(e instanceof AppError) || !['oauth/invalid_grant', 'oauth/authorization_error'].includes(e.code))
            throw e;
        }
      }
      await vault.deleteOrg(id);
      return {
        revoked: kind,
        summary: revoked
          ? `Signed out of ${record.label}: revoked the ${TOKEN_NAMES[kind]}${kind === 'refresh' ? ' and with it its access tokens' : ''}, and removed the org from this app.`
          : `Removed ${record.label} from this app. Its tokens were already invalid at the server.`,
      };
    },

    introspectToken: async ({ id, kind }) => {
      const { record } = vault.requireOrg(id);
      const view = await introspectToken(await aboutToken(record, kind, await requireToken(id, kind)));
      const expMs = view.exp !== null ? view.exp * 1000 : null;
      const status = view.active ? 'active' : expMs !== null && expMs <= now() ? 'expired' : 'revoked';
      await vault.updateTokenMeta(id, kind, {
        status,
        lastCheckedAt: view.checkedAt,
        ...(expMs !== null && kind === 'access' ? { expiresAt: expMs } : {}),
      });
      return view;
    },

    testToken: async ({ id }) => {
      const { record } = vault.requireOrg(id);
      if (!record.instanceUrl) throw new AppError('sf/api_error', 'This org has no instance URL. Re-authenticate it.');
      const instance = record.instanceUrl;
      const { value, refreshed } = await withAuthRetry(id, (token) => testRestApi(instance, token, http));
      await vault.updateTokenMeta(id, 'access', { status: 'active', lastCheckedAt: now() });
      return {
        ...value,
        refreshed,
        message: refreshed ? `${value.message} (The access token had expired and was refreshed first.)` : value.message,
      };
    },

    openOrgInBrowser: async ({ id }) => {
      const { record } = vault.requireOrg(id);
      if (!record.instanceUrl) throw new AppError('sf/api_error', 'This org has no instance URL. Re-authenticate it.');
      const instance = record.instanceUrl;
      const { value } = await withAuthRetry(id, (token) => singleAccessUrl(instance, token, http), [
        'sf/session_expired',
        'sf/forbidden',
      ]);
      await deps.openExternal(value);
      return null;
    },

    inspectOrgToken: async ({ id, kind }) => inspectToken(await requireToken(id, kind), now()),

    verifyOrgToken: async ({ id, kind }) => {
      const { record } = vault.requireOrg(id);
      const token = await requireToken(id, kind);
      const as = await serverFor(record.loginHost);
      return verifyJwtSignature(token, as.jwks_uri ?? null, http, now());
    },

    getUserInfo: async ({ id }) => {
      const { record } = vault.requireOrg(id);
      const as = await serverFor(record.loginHost);
      const url = as.userinfo_endpoint;
      if (!url) throw new AppError('sf/api_error', 'This server publishes no userinfo endpoint.');
      const { value } = await withAuthRetry(id, (token) => getJson(url, token, http, 'the userinfo request'));
      const claims = typeof value === 'object' && value !== null ? Object.entries(value) : [];
      return { claims: claims.map(([name, v]) => ({ name, value: typeof v === 'string' ? v : JSON.stringify(v) })) };
    },

    copyText: async ({ text }) => {
      deps.writeClipboard(text);
      return null;
    },

    copyToken: async ({ id, kind }) => {
      deps.writeClipboard(await requireToken(id, kind));
      return null;
    },

    revealToken: async ({ id, kind }) => ({ token: await requireToken(id, kind) }),

    setWeakStorageOptIn: async ({ enabled }) => {
      await vault.setSettings({ weakStorageOptIn: enabled });
      return vault.status();
    },

    importSfdxAuthUrl: ({ url, label }) => importAuthUrl(url, label ?? null),

    signInWithClientCredentials: async ({ profileId, loginHost, label }) => {
      const profile = profileOf(profileId);
      const host = normalizeLoginHost(loginHost);
      const as = await serverFor(host);
      const secret = requireSecret(profile, await vault.readProfileSecret(profile.id));
      const set = await clientCredentialsGrant({ as, clientId: profile.consumerKey, clientSecret: secret, http, now });
      const record = await adoptTokens({
        set,
        profile,
        as,
        loginHost: host,
        orgRef: null,
        label: label ?? null,
        grant: 'client_credentials',
      });
      return summarize(record.id);
    },

    getSettings: () => settingsView(),

    saveSettings: async (patch) => {
      if (patch.defaultCallbackUrl !== undefined) checkCallbackUrl(patch.defaultCallbackUrl);
      await vault.setSettings(patch);
      return settingsView();
    },

    exportOrgs: async () => {
      const path = await deps.dialogs.saveJson('sf-token-inspector-orgs.json', vault.exportData());
      return { path, orgs: vault.listOrgs().length, profiles: vault.listProfiles().length };
    },

    importOrgs: async () => {
      const text = await deps.dialogs.openJson();
      return text === null ? null : vault.importData(text);
    },

    close() {
      for (const { flow } of flows.values()) flow.cancel();
      flows.clear();
    },
  };
}
