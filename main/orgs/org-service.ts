import type { AppProfile, RevokeResult, SettingsView } from '../../preload/contract';
import { decodeJwt } from 'jose';
import { AppError } from '../errors';
import { isSalesforceHost } from '../oauth/authorization-server';
import { isSalesforceServer } from '../oauth/server-wording';
import type { Handlers } from '../../preload/contract';
import { normalizePrivateKeyPem } from '../oauth/jwt-bearer';
import { normalizeLoginHost } from '../oauth/login-host';
import { requestIntrospection } from '../oauth/introspect';
import { acceptCallbackUrl } from '../oauth/callback-url';
import { parseLoopbackRedirectUri } from '../oauth/loopback-address';
import { registerClient } from '../oauth/register-client';
import { requestRevocation } from '../oauth/revoke';
import { fetchUserInfo } from '../salesforce/identity';
import { testRestApi } from '../salesforce/rest';
import { singleAccessUrl } from '../salesforce/single-access';
import { verifyJwtSignature } from '../tokens/verify-token';
import type { AppProfileRecord, OrgEvent, OrgRecord } from '../vault/records';
import { createAssetTokenHandlers } from './asset-token';
import { createImportHandlers } from './imports';
import { createOrgContext, type OrgServiceDeps } from './org-context';
import { createSignInHandlers } from './sign-in';
import { createPastedTokenHandlers } from './pasted-token';
import { createConsoleHandlers } from './token-console';
import { createOrgTokenHandlers } from './org-tokens';
import { createVerifyHandlers } from './verify-pasted';
import { inspectPreviousToken, inspectStoredToken } from './stored-inspection';
import { createTokenEvidence } from './token-evidence';
import { createHealthCheck } from './health-check';
import { listItemOf } from '../../preload/token-status';
import { createHealthMonitor } from './health-monitor';
import { TOKEN_NAMES } from './token-lifecycle';
import { findBrowsers } from '../browsers/find-browsers';
import { launchBrowser, requireBrowser } from '../browsers/launch-browser';

export type { OrgServiceDeps } from './org-context';

type OrgMethods = Exclude<keyof Handlers, 'getAppInfo' | 'inspectToken'>;

/** Where an admin revokes a token the app could not: the server's own screens. */
function whereToRevoke(record: OrgRecord): string {
  return isSalesforceHost(record.loginHost)
    ? "If it may still be valid, revoke it in Salesforce: Setup → Connected Apps OAuth Usage (or the user's Settings → Connected Apps) → Revoke."
    : "If it may still be valid, revoke it in the authorization server's console.";
}

/** The entries of `patch` that have a value. */
function definedOnly<T extends object>(patch: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** An org's history as JSON: which org, and its events oldest first. */
function historyJson(record: OrgRecord, events: readonly OrgEvent[]): string {
  const org = { label: record.label, orgId: record.orgId, username: record.username, loginHost: record.loginHost };
  return `${JSON.stringify({ org, events: events.map((e) => ({ ...e, time: new Date(e.at).toISOString() })) }, null, 2)}\n`;
}

/** An org's history as CSV (RFC 4180): a header, then one event a line, oldest first. */
function historyCsv(events: readonly OrgEvent[]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = events.map((e) => [new Date(e.at).toISOString(), e.kind, e.token ?? '', e.detail].map(cell).join(','));
  return `${['time,event,token,detail', ...rows].join('\r\n')}\r\n`;
}

/** The `sub` of an ID token, or null when there is none or it cannot be read. */
function subjectOf(idToken: string | null): string | null {
  if (!idToken) return null;
  try {
    const sub = decodeJwt(idToken).sub;
    return typeof sub === 'string' ? sub : null;
  } catch {
    return null;
  }
}

/** Orgs, app profiles, sign-in and every token operation: the bridge handlers for them. */
export function createOrgService(deps: OrgServiceDeps): Pick<Handlers, OrgMethods> & { close(): void } {
  const ctx = createOrgContext(deps);
  const { vault, clients, tokens, http, now } = ctx;
  const signIn = createSignInHandlers(ctx, deps);
  const evidence = createTokenEvidence(ctx);
  const imports = createImportHandlers(ctx, deps.cli);
  const health = createHealthCheck(ctx);
  const monitor = createHealthMonitor(ctx, health.checkOrg, deps);

  function settingsView(): SettingsView {
    const { theme, defaultCallbackUrl, defaultScopes, healthCheckMinutes, notifications, openOrgsIn } = vault.settings;
    const storage = vault.status();
    return { theme, defaultCallbackUrl, defaultScopes, storage, healthCheckMinutes, notifications, openOrgsIn };
  }

  function toProfile(record: AppProfileRecord): AppProfile {
    return { ...record, resource: record.resource ?? null, audience: record.audience ?? null };
  }

  /** Where the org's APIs are: `instance_url`, never the login host. */
  function requireInstance(record: OrgRecord): string {
    if (!record.instanceUrl) throw new AppError('sf/api_error', 'This org has no instance URL. Re-authenticate it.');
    return record.instanceUrl;
  }

  return {
    listOrgs: () => vault.listOrgs().map((o) => listItemOf(ctx.summarize(o.record.id))),

    getOrg: async ({ id }) => {
      vault.requireOrg(id);
      return ctx.summarize(id);
    },

    updateOrg: async ({ id, ...patch }) => {
      const { record } = vault.requireOrg(id);
      const next: OrgRecord = { ...record, updatedAt: now() };
      if (patch.label !== undefined) next.label = patch.label;
      if (patch.color !== undefined) next.color = patch.color;
      if (patch.group !== undefined) next.group = patch.group;
      if (patch.pinned !== undefined) next.pinned = patch.pinned;
      if (patch.refreshAhead !== undefined) next.refreshAhead = patch.refreshAhead;
      await vault.saveOrg(next);
      return ctx.summarize(id);
    },

    listAppProfiles: () => vault.listProfiles().map(toProfile),

    saveAppProfile: async (input) => {
      const callback = acceptCallbackUrl(input.callbackUrl);
      if (input.id && !vault.getProfile(input.id))
        throw new AppError('profile/not_found', 'This app profile no longer exists.');
      const existing = input.id ? vault.getProfile(input.id) : null;
      // Resource and audience: absent keeps what the profile has, null removes it.
      const resource = input.resource !== undefined ? input.resource : (existing?.resource ?? null);
      const audience = input.audience !== undefined ? input.audience : (existing?.audience ?? null);
      const record = await vault.saveProfile(
        {
          id: input.id ?? vault.newId(),
          name: input.name,
          kind: input.kind,
          consumerKey: input.consumerKey,
          callbackUrl: callback.href,
          scopes: input.scopes,
          resource,
          audience,
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
      const callback = parseLoopbackRedirectUri(input.callbackUrl);
      const as = await clients.serverFor(normalizeLoginHost(input.loginHost));
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
          // The kind follows the server it was registered at: it decides the prompt a sign-in sends.
          kind: isSalesforceServer(as) ? 'connected-app' : 'oidc',
          consumerKey: client.clientId,
          callbackUrl: callback.href,
          scopes: input.scopes,
        },
        { clientSecret: client.clientSecret ?? '' },
      );
      return toProfile(record);
    },

    refreshOrg: async ({ id }) => {
      await tokens.renew(id);
      return ctx.summarize(id);
    },

    revokeToken: async ({ id, kind }) => {
      // A refresh in flight may be about to store a rotated refresh token: revoke what it leaves behind,
      // not the token it is replacing.
      await tokens.settled(id);
      const { record } = vault.requireOrg(id);
      const token = await tokens.requireToken(id, kind);
      const about = await clients.aboutToken(record, kind, token);
      await requestRevocation(about);
      const t = now();
      // The revocation proves itself where the server can say: introspect what was revoked.
      const view = await evidence.introspectQuietly(about);
      const confirmed = view ? { at: view.checkedAt, active: view.active } : null;
      const summary = await evidence.recordRevocation(record, kind, token.slice(-4), confirmed, t);
      return { revoked: kind, summary, confirmed };
    },

    signOut: async ({ id }) => {
      await tokens.settled(id);
      const { record, tokens: metas } = vault.requireOrg(id);
      const kind: 'access' | 'refresh' = metas.some((t) => t.kind === 'refresh') ? 'refresh' : 'access';
      const removed = async (why: string): Promise<RevokeResult> => {
        await vault.deleteOrg(id);
        return { revoked: null, summary: `Removed ${record.label} from this app. ${why}`, confirmed: null };
      };
      let token: string | null;
      try {
        token = await vault.readToken(id, kind);
      } catch (e) {
        // The app cannot read its copy, so it cannot revoke it; the server may still accept the token.
        if (!(e instanceof AppError)) throw e;
        return removed(`Its ${TOKEN_NAMES[kind]} could not be revoked: ${e.message} ${whereToRevoke(record)}`);
      }
      if (token === null)
        return removed(`It had no ${TOKEN_NAMES[kind]} stored here, so nothing was revoked. ${whereToRevoke(record)}`);
      try {
        await requestRevocation(await clients.aboutToken(record, kind, token));
      } catch (e) {
        // The server said it does not know the token: it no longer works. Anything else must not be hidden.
        if (e instanceof AppError && ['oauth/invalid_grant', 'oauth/authorization_error'].includes(e.code))
          return removed(`The server said its ${TOKEN_NAMES[kind]} was no longer valid.`);
        // Offline, or the server failed: nothing was revoked, and the org stays so that it can be tried again.
        if (e instanceof AppError)
          throw new AppError(
            e.code,
            `${e.message} Nothing was revoked, and ${record.label} stays in the app: sign out again later. ${whereToRevoke(record)}`,
            { cause: e },
          );
        throw e;
      }
      await vault.deleteOrg(id);
      return {
        confirmed: null,
        revoked: kind,
        summary: `Signed out of ${record.label}: revoked the ${TOKEN_NAMES[kind]}${kind === 'refresh' ? ' and with it its access tokens' : ''}, and removed the org from this app.`,
      };
    },

    introspectToken: async ({ id, kind }) => {
      const { record } = vault.requireOrg(id);
      const view = await requestIntrospection(
        await clients.aboutToken(record, kind, await tokens.requireToken(id, kind)),
      );
      await evidence.noteIntrospection(id, kind, view);
      return view;
    },

    testToken: async ({ id }) => {
      const instance = requireInstance(vault.requireOrg(id).record);
      const { value, refreshed } = await tokens.withAuthRetry(id, (token) => testRestApi(instance, token, http));
      return {
        ...value,
        refreshed,
        message: refreshed
          ? `${value.message} (The API refused the stored access token with HTTP 401, so the app renewed it first.)`
          : value.message,
      };
    },

    openOrgInBrowser: async ({ id, path, copyLink, browser }) => {
      const instance = requireInstance(vault.requireOrg(id).record);
      // The browser is found before a single-use link is spent on it (main/browsers/).
      const choice = copyLink ? 'system' : (browser ?? vault.settings.openOrgsIn);
      const named = choice === 'system' ? null : await requireBrowser(deps.browsers, choice);
      const { value } = await tokens.withAuthRetry(id, (token) => singleAccessUrl(instance, token, http, path), [
        'sf/session_expired',
        'sf/forbidden',
      ]);
      if (copyLink) await deps.writeClipboard(value);
      else if (named) await launchBrowser(named, value, instance, deps.browsers.launchGraceMs);
      else await deps.openExternal(value, instance);
      return null;
    },

    inspectOrgToken: async ({ id, kind, previous }) => {
      const meta = vault.requireOrg(id).tokens.find((t) => t.kind === kind);
      if (previous) return inspectPreviousToken(meta, kind, now());
      return inspectStoredToken(await tokens.requireToken(id, kind), meta, now());
    },

    verifyOrgToken: async ({ id, kind }) => {
      const { record } = vault.requireOrg(id);
      const token = await tokens.requireToken(id, kind);
      const as = await clients.serverFor(record.loginHost);
      return verifyJwtSignature(token, as.jwks_uri ?? null, http, now());
    },

    getUserInfo: async ({ id }) => {
      const { record } = vault.requireOrg(id);
      const { as, profile } = await clients.clientFor(record);
      // The userinfo `sub` must be the ID token's (OIDC Core §5.3.2), when the org has one.
      const sub = subjectOf(await vault.readToken(id, 'id'));
      const { value } = await tokens.withAuthRetry(id, (token) =>
        fetchUserInfo(as, profile.consumerKey, token, { http, ...(sub ? { expectedSubject: sub } : {}) }),
      );
      return { claims: value.claims };
    },

    copyText: async ({ text }) => {
      await deps.writeClipboard(text);
      return null;
    },

    copyToken: async ({ id, kind }) => {
      await deps.writeClipboard(await tokens.requireToken(id, kind));
      return null;
    },

    revealToken: async ({ id, kind }) => ({ token: await tokens.requireToken(id, kind) }),

    setWeakStorageOptIn: async ({ enabled }) => {
      await vault.setSettings({ weakStorageOptIn: enabled });
      return vault.status();
    },

    getOrgHistory: ({ id }) => {
      vault.requireOrg(id);
      return [...vault.orgHistory(id)].reverse();
    },

    exportOrgHistory: async ({ id, format }) => {
      const { record } = vault.requireOrg(id);
      const events = vault.orgHistory(id);
      const name = `${record.label.replace(/[^\w.-]+/g, '-')}-history.${format}`;
      const path = await deps.dialogs.saveFile(
        name,
        format === 'json' ? historyJson(record, events) : historyCsv(events),
      );
      return { path, events: events.length };
    },

    getSettings: () => settingsView(),

    saveSettings: async (patch) => {
      if (patch.defaultCallbackUrl !== undefined) parseLoopbackRedirectUri(patch.defaultCallbackUrl);
      // A key the window sent as undefined changes nothing (structured clone keeps such keys).
      await vault.setSettings(definedOnly(patch));
      monitor.settingsChanged();
      return settingsView();
    },

    exportOrgs: async () => {
      const path = await deps.dialogs.saveFile('sf-token-inspector-orgs.json', vault.exportData());
      return { path, orgs: vault.listOrgs().length, profiles: vault.listProfiles().length };
    },

    importOrgs: async () => {
      const text = await deps.dialogs.openJson();
      return text === null ? null : vault.importData(text);
    },

    ...signIn,
    ...imports,
    ...createVerifyHandlers(ctx),
    ...createPastedTokenHandlers(ctx, evidence),
    ...createConsoleHandlers(ctx, deps),
    ...createAssetTokenHandlers(ctx, deps),

    checkOrg: ({ id, flowId }) => ctx.operations.run(flowId, (signal) => health.checkOrg(id, signal)),
    ...monitor.handlers,
    ...createOrgTokenHandlers(ctx, deps),
    listBrowsers: async () => (await findBrowsers(deps.browsers)).map(({ id, name }) => ({ id, name })),

    close() {
      monitor.close();
      signIn.close();
      ctx.operations.cancelAll();
    },
  };
}
