import type { AppProfile, RevokeResult, SettingsView } from '../../preload/contract';
import { AppError } from '../errors';
import type { Handlers } from '../ipc/router';
import { normalizePrivateKeyPem } from '../oauth/jwt-bearer';
import { normalizeLoginHost } from '../oauth/login-host';
import { introspectToken } from '../oauth/introspect';
import { registerClient } from '../oauth/register-client';
import { revokeToken } from '../oauth/revoke';
import { getJson } from '../salesforce/http';
import { testRestApi } from '../salesforce/rest';
import { singleAccessUrl } from '../salesforce/single-access';
import { inspectToken } from '../tokens/inspect-token';
import { verifyJwtSignature } from '../tokens/verify-token';
import type { AppProfileRecord, OrgRecord } from '../vault/records';
import { createImportHandlers } from './imports';
import { createOrgContext, TOKEN_NAMES, type OrgServiceDeps } from './org-context';
import { createSignInHandlers } from './sign-in';

export type { OrgServiceDeps } from './org-context';

type OrgMethods = Exclude<keyof Handlers, 'getAppInfo' | 'inspectToken'>;

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

/** Orgs, app profiles, sign-in and every token operation: the bridge handlers for them. */
export function createOrgService(deps: OrgServiceDeps): Pick<Handlers, OrgMethods> & { close(): void } {
  const ctx = createOrgContext(deps);
  const { vault, http, now } = ctx;
  const signIn = createSignInHandlers(ctx);
  const imports = createImportHandlers(ctx);

  function settingsView(): SettingsView {
    const { theme, defaultCallbackUrl, defaultScopes } = vault.settings;
    return { theme, defaultCallbackUrl, defaultScopes, storage: vault.status() };
  }

  function toProfile(record: AppProfileRecord): AppProfile {
    return { ...record };
  }

  /** Where the org's APIs are: `instance_url`, never the login host. */
  function requireInstance(record: OrgRecord): string {
    if (!record.instanceUrl) throw new AppError('sf/api_error', 'This org has no instance URL. Re-authenticate it.');
    return record.instanceUrl;
  }

  return {
    listOrgs: () => vault.listOrgs().map((o) => ctx.summarize(o.record.id)),

    updateOrg: async ({ id, ...patch }) => {
      const { record } = vault.requireOrg(id);
      const next: OrgRecord = { ...record, updatedAt: now() };
      if (patch.label !== undefined) next.label = patch.label;
      if (patch.color !== undefined) next.color = patch.color;
      if (patch.group !== undefined) next.group = patch.group;
      if (patch.pinned !== undefined) next.pinned = patch.pinned;
      await vault.saveOrg(next);
      return ctx.summarize(id);
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
        {
          clientSecret: input.consumerSecret,
          privateKey: input.privateKeyPem ? normalizePrivateKeyPem(input.privateKeyPem) : input.privateKeyPem,
        },
      );
      return toProfile(record);
    },

    deleteAppProfile: async ({ id }) => {
      await vault.deleteProfile(id);
      return null;
    },

    registerAppProfile: async (input) => {
      const callback = checkCallbackUrl(input.callbackUrl);
      const as = await ctx.serverFor(normalizeLoginHost(input.loginHost));
      const client = await registerClient({
        as,
        initialAccessToken: input.initialAccessToken,
        name: input.name,
        redirectUri: callback.href,
        scopes: input.scopes,
        ...(input.grantTypes ? { grantTypes: input.grantTypes } : {}),
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
        { clientSecret: client.clientSecret ?? '' },
      );
      return toProfile(record);
    },

    refreshOrg: async ({ id }) => {
      await ctx.renew(id);
      return ctx.summarize(id);
    },

    revokeToken: async ({ id, kind }) => {
      // A refresh in flight may be about to store a rotated refresh token: revoke what it leaves behind,
      // not the token it is replacing.
      await ctx.settled(id);
      const { record } = vault.requireOrg(id);
      await revokeToken(await ctx.aboutToken(record, kind, await ctx.requireToken(id, kind)));
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
      await ctx.settled(id);
      const { record, tokens } = vault.requireOrg(id);
      const kind: 'access' | 'refresh' = tokens.some((t) => t.kind === 'refresh') ? 'refresh' : 'access';
      const token = await vault.readToken(id, kind).catch(() => null);
      let revoked = false;
      if (token !== null) {
        try {
          await revokeToken(await ctx.aboutToken(record, kind, token));
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
      const view = await introspectToken(await ctx.aboutToken(record, kind, await ctx.requireToken(id, kind)));
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
      const instance = requireInstance(vault.requireOrg(id).record);
      const { value, refreshed } = await ctx.withAuthRetry(id, (token) => testRestApi(instance, token, http));
      await vault.updateTokenMeta(id, 'access', { status: 'active', lastCheckedAt: now() });
      return {
        ...value,
        refreshed,
        message: refreshed ? `${value.message} (The access token had expired and was refreshed first.)` : value.message,
      };
    },

    openOrgInBrowser: async ({ id }) => {
      const instance = requireInstance(vault.requireOrg(id).record);
      const { value } = await ctx.withAuthRetry(id, (token) => singleAccessUrl(instance, token, http), [
        'sf/session_expired',
        'sf/forbidden',
      ]);
      await deps.openExternal(value, instance);
      return null;
    },

    inspectOrgToken: async ({ id, kind }) => inspectToken(await ctx.requireToken(id, kind), now()),

    verifyOrgToken: async ({ id, kind }) => {
      const { record } = vault.requireOrg(id);
      const token = await ctx.requireToken(id, kind);
      const as = await ctx.serverFor(record.loginHost);
      return verifyJwtSignature(token, as.jwks_uri ?? null, http, now());
    },

    getUserInfo: async ({ id }) => {
      const { record } = vault.requireOrg(id);
      const as = await ctx.serverFor(record.loginHost);
      const url = as.userinfo_endpoint;
      if (!url) throw new AppError('sf/api_error', 'This server publishes no userinfo endpoint.');
      const { value } = await ctx.withAuthRetry(id, (token) => getJson(url, token, http, 'the userinfo request'));
      const claims = typeof value === 'object' && value !== null ? Object.entries(value) : [];
      return { claims: claims.map(([name, v]) => ({ name, value: typeof v === 'string' ? v : JSON.stringify(v) })) };
    },

    copyText: async ({ text }) => {
      deps.writeClipboard(text);
      return null;
    },

    copyToken: async ({ id, kind }) => {
      deps.writeClipboard(await ctx.requireToken(id, kind));
      return null;
    },

    revealToken: async ({ id, kind }) => ({ token: await ctx.requireToken(id, kind) }),

    setWeakStorageOptIn: async ({ enabled }) => {
      await vault.setSettings({ weakStorageOptIn: enabled });
      return vault.status();
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

    ...signIn,
    ...imports,

    close() {
      signIn.close();
      ctx.operations.cancelAll();
    },
  };
}
