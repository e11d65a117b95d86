import type * as oauth from 'oauth4webapi';
import type { OrgGrant, OrgSummary, TokenKind, TokenSummary } from '../../preload/contract';
import { AppError, isAppError } from '../errors';
import { discoverAuthorizationServer, isSalesforceHost } from '../oauth/authorization-server';
import { clientCredentialsGrant } from '../oauth/client-credentials';
import type { Sleep } from '../oauth/device-flow';
import type { HttpOptions } from '../oauth/http';
import { introspectToken } from '../oauth/introspect';
import { jwtBearerGrant } from '../oauth/jwt-bearer';
import { orgTypeFromHost } from '../oauth/login-host';
import { refreshTokens, SingleFlight } from '../oauth/refresh';
import type { TokenSet } from '../oauth/token-set';
import { fetchIdentity, identityFromIdToken, type Identity } from '../salesforce/identity';
import { inspectToken } from '../tokens/inspect-token';
import { to18 } from '../tokens/org-id';
import { isJwt } from '../tokens/token-format';
import type { AppProfileRecord, OrgRecord, TokenMeta } from '../vault/records';
import type { TokenInput, Vault } from '../vault/vault';
import { Operations } from './operations';
import { orgStatusAt, tokenStatusAt } from './org-status';

export interface OrgServiceDeps {
  vault: Vault;
  /**
   * Opens a URL in the system browser. `server` is the login host or instance URL the operation talks to: the
   * only origin on which the URL may be a local host or plain http (main/external-url.ts).
   */
  openExternal: (url: string, server: string) => Promise<void>;
  writeClipboard: (text: string) => void;
  /** File dialogs for export/import; null: the user cancelled. */
  dialogs: {
    saveJson(suggestedName: string, content: string): Promise<string | null>;
    openJson(): Promise<string | null>;
  };
  /** Where to look for the Salesforce CLI: its environment (PATH), home folder and the usual install folders. */
  cli?: { env?: NodeJS.ProcessEnv; homeDir?: string; installDirs?: readonly string[] };
  /** How the device flow waits between polls (tests pass a quicker one). */
  sleep?: Sleep;
  http?: HttpOptions;
  now?: () => number;
  listenerTimeoutMs?: number;
}

/** Fresh tokens and what to file them under. */
export interface Adoption {
  set: TokenSet;
  profile: AppProfileRecord;
  as: oauth.AuthorizationServer;
  loginHost: string;
  /** Update this org in place (re-authentication, an attached token). */
  orgRef: string | null;
  label: string | null;
  grant: OrgGrant;
  /** JWT bearer: the `aud` the user chose, kept for renewals. */
  audience?: string | null;
  /** Refuse tokens of another org or user than `orgRef`'s (attaching a token, not re-authenticating). */
  sameIdentity?: boolean;
  signal?: AbortSignal;
}

/** Grants that get new tokens without a refresh token. */
const RENEWABLE: ReadonlySet<OrgGrant> = new Set(['client_credentials', 'jwt_bearer']);

const TOKEN_NAMES: Record<TokenKind, string> = { access: 'access token', refresh: 'refresh token', id: 'ID token' };

/** Why an org has no refresh token, and what to do, by how it was signed in. */
const NO_REFRESH: Partial<Record<OrgGrant, string>> = {
  password:
    'The username-password flow gives no refresh token, and the app never stores your password. Re-authenticate and enter it again.',
  pasted: 'This org only has a pasted access token. Paste a new token, or re-authenticate the org.',
  token_exchange:
    'The token exchange gave no refresh token (ask for the refresh_token scope). Re-authenticate with a fresh token from your identity provider.',
};

/**
 * What the org handlers share: the vault, discovered servers, org summaries, and the one way tokens are
 * adopted, stored and renewed. Plain TypeScript with its dependencies passed in (DESIGN.md rule 3).
 */
export function createOrgContext(deps: OrgServiceDeps) {
  const { vault } = deps;
  const now = deps.now ?? Date.now;
  const http = deps.http ?? {};
  const renewals = new SingleFlight<TokenSet>();
  const operations = new Operations();
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
      status: orgStatusAt(summaries, record.needsSignIn, t, RENEWABLE.has(record.grant)),
      color: record.color,
      group: record.group,
      pinned: record.pinned,
      profileId: record.profileId,
      grant: record.grant,
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

  function requireSecret(profile: AppProfileRecord, secret: string | null, flow: string): string {
    if (!secret) {
      throw new AppError(
        'oauth/invalid_client',
        `The ${flow} needs the consumer secret: add it to the app profile "${profile.name}".`,
      );
    }
    return secret;
  }

  async function requirePrivateKey(profile: AppProfileRecord): Promise<string> {
    const key = await vault.readProfileSecret(profile.id, 'privateKey');
    if (!key) {
      throw new AppError(
        'key/invalid',
        `The JWT bearer flow signs with a private key, and the app profile "${profile.name}" has none. Choose the key file whose certificate is uploaded to the app in Salesforce.`,
      );
    }
    return key;
  }

  async function requireToken(id: string, kind: TokenKind): Promise<string> {
    const token = await vault.readToken(id, kind);
    if (token === null) {
      const grant = vault.getOrg(id)?.record.grant ?? 'authorization_code';
      throw new AppError(
        kind === 'refresh' ? 'oauth/no_refresh_token' : 'org/needs_sign_in',
        kind === 'refresh'
          ? (NO_REFRESH[grant] ??
              'This org has no refresh token (the app profile needs the refresh_token scope, or this session only kept it in memory). Re-authenticate the org.')
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

  /**
   * Saves a token response: a rotated refresh token is stored before anyone uses the new access token.
   * Tokens the response does not replace (a refresh or ID token) are kept from `previous`.
   */
  async function storeTokenSet(
    id: string,
    set: TokenSet,
    expiresAt: number | null,
    previous: TokenMeta[],
  ): Promise<void> {
    const inputs: TokenInput[] = [{ meta: metaOf('access', set.accessToken, set, expiresAt), value: set.accessToken }];
    const old = previous.find((t) => t.kind === 'refresh');
    if (set.refreshToken) {
      const rotated = !old || old.hint !== set.refreshToken.slice(-4) || old.status === 'revoked';
      const meta = metaOf('refresh', set.refreshToken, set, null);
      inputs.push({ meta: rotated || !old ? meta : { ...old, status: 'active' }, value: set.refreshToken });
    } else if (old) inputs.push({ meta: old, value: null });
    const oldId = previous.find((t) => t.kind === 'id');
    if (set.idToken)
      inputs.push({ meta: metaOf('id', set.idToken, set, idTokenExpiry(set.idToken)), value: set.idToken });
    else if (oldId) inputs.push({ meta: oldId, value: null });
    await vault.saveTokens(id, inputs);
  }

  /** New tokens for an org, the way its grant allows; one at a time per org (SECURITY.md item 11). */
  function renew(id: string): Promise<TokenSet> {
    return renewals.run(id, async () => {
      const { record, tokens } = vault.requireOrg(id);
      const { profile, secret, as } = await clientFor(record);
      let set: TokenSet;
      if (record.grant === 'client_credentials') {
        // No refresh token in this flow: a new token comes from running the grant again.
        const clientSecret = requireSecret(profile, secret, 'client credentials flow');
        set = await clientCredentialsGrant({
          as,
          clientId: profile.consumerKey,
          clientSecret,
          scopes: profile.scopes,
          http,
          now,
        });
      } else if (record.grant === 'jwt_bearer') {
        // Nor in this one: a new assertion, signed now, gives a new token.
        if (!record.username) throw new AppError('org/needs_sign_in', 'This org has no username. Re-authenticate it.');
        set = await jwtBearerGrant({
          as,
          clientId: profile.consumerKey,
          username: record.username,
          privateKeyPem: await requirePrivateKey(profile),
          ...(record.audience ? { audience: record.audience } : {}),
          http,
          now,
        });
      } else {
        const refreshToken = await requireToken(id, 'refresh');
        try {
          set = await refreshTokens({
            as,
            clientId: profile.consumerKey,
            clientSecret: secret,
            refreshToken,
            http,
            now,
          });
        } catch (e) {
          // `oauth/invalid_grant` is the refresh token refused: an `invalid_grant` body, or a bodiless 400
          // (401 for a client without a secret) at the token endpoint. Its message names the server's
          // answer (code or HTTP status) and says to sign in again.
          if (isAppError(e, 'oauth/invalid_grant')) {
            await vault.updateTokenMeta(id, 'refresh', { status: 'revoked', lastCheckedAt: now() });
            await vault.saveOrg({ ...record, needsSignIn: true, updatedAt: now() });
            throw new AppError('oauth/invalid_grant', e.message, { cause: e });
          }
          throw e;
        }
      }
      await storeTokenSet(id, set, await expiryOf(set, record), tokens);
      await vault.saveOrg({ ...record, needsSignIn: false, updatedAt: now() });
      return set;
    });
  }

  /** True when the org can get a new access token without the user: a refresh token, or a renewable grant. */
  function canRenew(id: string): boolean {
    const { record, tokens } = vault.requireOrg(id);
    return RENEWABLE.has(record.grant) || tokens.some((t) => t.kind === 'refresh' && t.status !== 'revoked');
  }

  /** Runs an API call with the org's access token; on 401 it renews once (single-flight) and retries. */
  async function withAuthRetry<T>(
    id: string,
    call: (accessToken: string) => Promise<T>,
    retryOn: string[] = ['sf/session_expired'],
  ): Promise<{ value: T; refreshed: boolean }> {
    const token = await requireToken(id, 'access');
    try {
      return { value: await call(token), refreshed: false };
    } catch (e) {
      const retryable = e instanceof AppError && retryOn.includes(e.code);
      if (!retryable || !canRenew(id)) {
        if (retryable) await vault.updateTokenMeta(id, 'access', { status: 'expired', lastCheckedAt: now() });
        throw e;
      }
      const set = await renew(id);
      return { value: await call(set.accessToken), refreshed: true };
    }
  }

  async function identityOf(adoption: Adoption): Promise<Identity> {
    const { set, as, signal } = adoption;
    try {
      return await fetchIdentity(
        { identityUrl: set.identityUrl, userinfoUrl: as.userinfo_endpoint ?? null },
        set.accessToken,
        http,
        signal,
      );
    } catch (e) {
      // Without a Salesforce identity URL, an ID token still says who signed in.
      const fromIdToken = set.identityUrl === null ? identityFromIdToken(set.idToken) : null;
      if (fromIdToken) return fromIdToken;
      // A client credentials token of another OAuth server acts for no user (RFC 6749 §4.4): it has no
      // identity to read. Salesforce's act for the app's integration user, so there a failure is real.
      if (adoption.grant === 'client_credentials' && !isSalesforceHost(adoption.loginHost)) return NO_IDENTITY;
      throw e;
    }
  }

  /**
   * Turns fresh tokens into an org: identity from the identity URL (or userinfo), the same org updated
   * in place when it is already known (same org and user, or `orgRef`), tokens stored encrypted.
   */
  async function adoptTokens(adoption: Adoption): Promise<OrgRecord> {
    const { set, profile, loginHost, orgRef, label, grant } = adoption;
    const identity = await identityOf(adoption);
    const referenced = orgRef ? vault.getOrg(orgRef) : null;
    if (orgRef && !referenced) throw new AppError('org/not_found', 'This org is no longer in the app.');
    if (referenced && adoption.sameIdentity) checkSameIdentity(referenced.record, identity);
    const existing =
      referenced ??
      vault
        .listOrgs()
        .find(
          (o) => o.record.orgId !== null && o.record.orgId === identity.orgId && o.record.userId === identity.userId,
        ) ??
      null;
    const t = now();
    const instanceUrl = set.instanceUrl ?? identity.myDomainUrl ?? originOf(identity.urls['rest']);
    const myDomain =
      identity.myDomainUrl ??
      (instanceUrl && /\.my\.salesforce\.com$/.test(new URL(instanceUrl).hostname) ? instanceUrl : null);
    // "acme" for acme.my.salesforce.com; otherwise the username says more than a host name.
    const defaultLabel =
      myDomain && new URL(myDomain).hostname.endsWith('.salesforce.com')
        ? new URL(myDomain).hostname.split('.')[0]!
        : (identity.username ?? `${profile.name} at ${new URL(loginHost).host}`);
    const record: OrgRecord = {
      id: existing?.record.id ?? vault.newId(),
      label: existing?.record.label ?? label ?? defaultLabel,
      orgId: identity.orgId,
      userId: identity.userId,
      username: identity.username,
      displayName: identity.displayName,
      instanceUrl,
      identityUrl: set.identityUrl ?? existing?.record.identityUrl ?? null,
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
      audience: adoption.audience ?? null,
      addedAt: existing?.record.addedAt ?? t,
      updatedAt: t,
    };
    await vault.saveOrg(record);
    // Re-authentication replaces the whole token set; an attached token keeps the tokens it does not replace.
    await storeTokenSet(
      record.id,
      set,
      await expiryOf(set, record),
      adoption.sameIdentity ? (existing?.tokens ?? []) : [],
    );
    return record;
  }

  return {
    vault,
    deps,
    http,
    now,
    operations,
    serverFor,
    summarize,
    profileOf,
    clientFor,
    aboutToken,
    requireSecret,
    requirePrivateKey,
    requireToken,
    storeTokenSet,
    renew,
    settled: (id: string) => renewals.settled(id),
    withAuthRetry,
    adoptTokens,
  };
}

export type OrgContext = ReturnType<typeof createOrgContext>;

export { TOKEN_NAMES };

const NO_IDENTITY: Identity = {
  orgId: null,
  userId: null,
  username: null,
  displayName: null,
  email: null,
  myDomainUrl: null,
  urls: {},
};

function originOf(url: string | undefined): string | null {
  return url && URL.canParse(url) ? new URL(url).origin : null;
}

function checkSameIdentity(record: OrgRecord, identity: Identity): void {
  const sameOrg = !record.orgId || !identity.orgId || record.orgId.slice(0, 15) === identity.orgId.slice(0, 15);
  const sameUser = !record.userId || !identity.userId || record.userId.slice(0, 15) === identity.userId.slice(0, 15);
  if (!sameOrg || !sameUser) {
    throw new AppError(
      'token/wrong_org',
      `This token belongs to ${identity.username ?? 'another user'} in org ${identity.orgId?.slice(0, 15) ?? 'unknown'}, not to ${record.username ?? 'the user'} of "${record.label}". Add it as a new org instead.`,
    );
  }
}
