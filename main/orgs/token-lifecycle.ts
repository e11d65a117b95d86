import type { ExpirySource, OrgEventKind, TokenEvidence, TokenKind } from '../../preload/contract';
import { NO_EVIDENCE } from '../../preload/token-status';
import { AppError, isAppError } from '../errors';
import { requestIntrospection } from '../oauth/introspect';
import { refreshTokenGrant, SingleFlight } from '../oauth/refresh';
import type { TokenSet } from '../oauth/token-set';
import { inspectToken } from '../tokens/inspect-token';
import { isJwt } from '../tokens/token-format';
import type { OrgRecord, TokenMeta } from '../vault/records';
import type { TokenInput, Vault } from '../vault/vault';
import type { Clients } from './clients';
import { STRATEGIES } from './grants';

export const TOKEN_NAMES: Record<TokenKind, string> = {
  access: 'access token',
  refresh: 'refresh token',
  id: 'ID token',
};

/** True when the org's grant gets new tokens by running again, without a refresh token. */
export const renewsWithoutRefreshToken = (record: Pick<OrgRecord, 'grant'>): boolean =>
  STRATEGIES[record.grant].renewal.by === 'grant';

/**
 * The one way an org's tokens are stored, used and renewed: every caller that needs a token, stores a token
 * response or renews goes through here. Renewals run one at a time per org, a rotated refresh token is
 * stored before the new access token is handed to anyone, and an API call that gets 401 retries once with
 * the token another caller already replaced, or else with a renewed one.
 */
export function createTokenLifecycle(vault: Vault, clients: Clients, now: () => number) {
  const renewals = new SingleFlight<TokenSet>();

  function metaOf(
    kind: TokenKind,
    token: string,
    set: TokenSet,
    expiresAt: number | null,
    expirySource: ExpirySource | null,
  ): TokenMeta {
    return {
      kind,
      format: isJwt(token) ? 'jwt' : 'opaque',
      scopes: kind === 'id' ? ['openid'] : set.scopes,
      issuedAt: set.issuedAt,
      expiresAt,
      status: 'active',
      lastCheckedAt: null,
      hint: token.slice(-4),
      evidence: { ...NO_EVIDENCE, expirySource },
      ...(kind === 'id' && set.idTokenValidation ? { idTokenValidation: set.idTokenValidation } : {}),
    };
  }

  /**
   * What is kept of the JWT access or ID token that `next` replaces, for comparing before and after a renewal:
   * its header and payload without the signature (so not a token anyone can use), when it was replaced, and
   * how an ID token was validated. The same token stored again keeps what it had; an opaque one leaves nothing.
   */
  async function replacedForm(
    id: string,
    kind: 'access' | 'id',
    next: string,
    old: TokenMeta | undefined,
  ): Promise<Pick<TokenMeta, 'previous'>> {
    if (!old) return {};
    const token = await vault.readToken(id, kind).catch(() => null);
    if (token === next) return old.previous ? { previous: old.previous } : {};
    if (token === null || !isJwt(token)) return {};
    const [header = '', payload = '', signature = ''] = token.split('.');
    return {
      previous: {
        unsigned: `${header}.${payload}`,
        signatureBytes: Buffer.from(signature, 'base64url').length,
        replacedAt: now(),
        ...(old.idTokenValidation ? { idTokenValidation: old.idTokenValidation } : {}),
      },
    };
  }

  /** Adds an entry to the org's history. */
  function history(id: string, kind: OrgEventKind, token: TokenKind | null, detail: string): Promise<void> {
    return vault.appendOrgEvent(id, { at: now(), kind, token, detail });
  }

  /** Adds what a server said (or what the app did) to a stored token's evidence. */
  async function note(
    id: string,
    kind: TokenKind,
    evidence: Partial<TokenEvidence>,
    patch: Partial<Omit<TokenMeta, 'evidence'>> = {},
  ): Promise<void> {
    const meta = vault.getOrg(id)?.tokens.find((t) => t.kind === kind);
    if (!meta) return;
    await vault.updateTokenMeta(id, kind, { ...patch, evidence: { ...meta.evidence, ...evidence } });
  }

  function idTokenExpiry(idToken: string): number | null {
    try {
      const r = inspectToken(idToken, now());
      return r.kind === 'jws' && r.expiresAt !== null ? r.expiresAt * 1000 : null;
    } catch {
      return null;
    }
  }

  /**
   * Saves a token response. Tokens the response does not replace (a refresh or ID token) are kept from
   * `previous`; a refresh token that did not change keeps its metadata.
   */
  async function store(id: string, set: TokenSet, previous: readonly TokenMeta[]): Promise<void> {
    const access = previous.find((t) => t.kind === 'access');
    const inputs: TokenInput[] = [
      {
        meta: {
          ...metaOf('access', set.accessToken, set, set.expiresAt, set.expirySource),
          ...(await replacedForm(id, 'access', set.accessToken, access)),
        },
        value: set.accessToken,
      },
    ];
    const old = previous.find((t) => t.kind === 'refresh');
    if (set.refreshToken) {
      const rotated = !old || old.hint !== set.refreshToken.slice(-4) || old.status === 'revoked';
      const meta = metaOf('refresh', set.refreshToken, set, null, null);
      // The server just accepted it: nothing it said against it before still holds.
      const kept: TokenMeta | undefined = old && {
        ...old,
        status: 'active',
        evidence: { ...old.evidence, revoked: null, refused: null },
      };
      inputs.push({ meta: rotated || !kept ? meta : kept, value: set.refreshToken });
    } else if (old) inputs.push({ meta: old, value: null });
    const oldId = previous.find((t) => t.kind === 'id');
    if (set.idToken) {
      const exp = idTokenExpiry(set.idToken);
      const meta = metaOf('id', set.idToken, set, exp, exp === null ? null : 'jwt_exp');
      inputs.push({ meta: { ...meta, ...(await replacedForm(id, 'id', set.idToken, oldId)) }, value: set.idToken });
    } else if (oldId) inputs.push({ meta: oldId, value: null });
    await vault.saveTokens(id, inputs);
  }

  /**
   * An opaque access token's expiry, learnt by introspection after it is stored (Salesforce sends no
   * expires_in). A server that cannot say leaves it unknown: nothing is guessed.
   */
  async function learnExpiry(record: OrgRecord, set: TokenSet): Promise<void> {
    if (set.expiresAt !== null) return;
    try {
      const view = await requestIntrospection(await clients.aboutToken(record, 'access', set.accessToken));
      await note(
        record.id,
        'access',
        {
          introspected: { at: view.checkedAt, active: view.active },
          ...(view.active && view.exp !== null ? { expirySource: 'introspection' as const } : {}),
        },
        view.active && view.exp !== null ? { expiresAt: view.exp * 1000 } : {},
      );
    } catch {
      // No introspection endpoint, or it failed: the expiry stays unknown.
    }
  }

  /** Stores the tokens of a sign-in or import for `record`, replacing the ones in `previous`. */
  async function adopt(record: OrgRecord, set: TokenSet, previous: readonly TokenMeta[]): Promise<void> {
    await store(record.id, set, previous);
    await learnExpiry(record, set);
  }

  async function requireToken(id: string, kind: TokenKind): Promise<string> {
    const token = await vault.readToken(id, kind);
    if (token !== null) return token;
    if (kind !== 'refresh')
      throw new AppError('org/needs_sign_in', `This org has no ${TOKEN_NAMES[kind]} stored. Re-authenticate the org.`);
    const record = vault.getOrg(id)?.record;
    const renewal = record ? STRATEGIES[record.grant].renewal : null;
    throw new AppError(
      'oauth/no_refresh_token',
      renewal?.by === 'refresh_token'
        ? renewal.withoutOne
        : 'This org gets new tokens without a refresh token: Refresh runs its sign-in again.',
    );
  }

  /** New tokens for an org, the way its grant renews; one renewal at a time per org. */
  function renew(id: string): Promise<TokenSet> {
    return renewals.run(id, async () => {
      const { record, tokens } = vault.requireOrg(id);
      const renewal = STRATEGIES[record.grant].renewal;
      const client = await clients.clientFor(record);
      let set: TokenSet;
      if (renewal.by === 'grant') {
        set = await renewal.renew(client, record);
        await store(id, set, tokens);
      } else {
        const refreshToken = await requireToken(id, 'refresh');
        try {
          set = await refreshTokenGrant({
            as: client.as,
            clientId: client.profile.consumerKey,
            clientSecret: client.secret,
            refreshToken,
            // A rotated refresh token is stored before anyone gets the new access token.
            persist: (fresh) => store(id, fresh, tokens),
            http: client.http,
            now,
          });
        } catch (e) {
          // `oauth/invalid_grant` is the refresh token refused: an `invalid_grant` body, or a bodiless 400
          // (401 for a client without a secret) at the token endpoint. Its message names the server's
          // answer and says to sign in again.
          if (isAppError(e, 'oauth/invalid_grant')) {
            const t = now();
            const { code, httpStatus } = e.answer ?? { code: null, httpStatus: null };
            await note(
              id,
              'refresh',
              { refused: { at: t, by: 'token_endpoint', code, httpStatus } },
              { status: 'revoked', lastCheckedAt: t },
            );
            await vault.saveOrg({ ...record, needsSignIn: true, updatedAt: t });
            const said = [code, httpStatus === null ? null : `HTTP ${httpStatus}`].filter(Boolean).join(', ');
            await history(
              id,
              'refused',
              'refresh',
              `the token endpoint refused the refresh token${said ? ` (${said})` : ''}`,
            );
          }
          throw e;
        }
      }
      await vault.saveOrg({ ...record, needsSignIn: false, updatedAt: now() });
      const old = tokens.find((t) => t.kind === 'refresh');
      await history(
        id,
        'refreshed',
        'access',
        renewal.by === 'grant'
          ? `ran the ${record.grant} grant again`
          : set.refreshToken && old && old.hint !== set.refreshToken.slice(-4)
            ? 'with the refresh token, which the server rotated'
            : 'with the refresh token',
      );
      await learnExpiry(record, set);
      return set;
    });
  }

  /** True when the org can get a new access token without the user. */
  function canRenew(id: string): boolean {
    const { record, tokens } = vault.requireOrg(id);
    return renewsWithoutRefreshToken(record) || tokens.some((t) => t.kind === 'refresh' && t.status !== 'revoked');
  }

  /**
   * Records what an API said of the org's access token: accepted it (`refusal` null), or refused it with
   * `refusal`; returns the HTTP status of the refusal.
   */
  async function noteApiAnswer(id: string, refusal: AppError | null): Promise<number | null> {
    const t = now();
    if (refusal === null) {
      await note(id, 'access', { refused: null }, { lastCheckedAt: t });
      return null;
    }
    // Salesforce answers 401 for a dead session; singleaccess may answer 403 (`sf/forbidden`).
    const httpStatus = refusal.answer?.httpStatus ?? (refusal.code === 'sf/forbidden' ? 403 : 401);
    await note(id, 'access', { refused: { at: t, by: 'api', code: null, httpStatus } }, { lastCheckedAt: t });
    await history(id, 'refused', 'access', `an API answered HTTP ${httpStatus}`);
    return httpStatus;
  }

  /**
   * Runs an API call with the org's access token. When the server refuses the token (`retryOn`), the call is
   * retried once: with the token another caller stored meanwhile, or else after one renewal.
   */
  async function withAuthRetry<T>(
    id: string,
    call: (accessToken: string) => Promise<T>,
    retryOn: readonly string[] = ['sf/session_expired'],
  ): Promise<{ value: T; refreshed: boolean }> {
    const used = await requireToken(id, 'access');
    try {
      const value = await call(used);
      await noteApiAnswer(id, null);
      return { value, refreshed: false };
    } catch (e) {
      if (!(e instanceof AppError && retryOn.includes(e.code))) throw e;
      await renewals.settled(id);
      const current = await vault.readToken(id, 'access');
      if (current !== null && current !== used) return { value: await call(current), refreshed: true };
      const before = vault.requireOrg(id).tokens.find((m) => m.kind === 'access');
      const httpStatus = await noteApiAnswer(id, e);
      // A token this app revoked, or that introspection called inactive, is not silently replaced: the
      // user asked for it to be dead, and is told it is, with the way to a new one.
      if (before?.evidence.revoked || before?.evidence.introspected?.active === false) {
        throw new AppError(
          'token/revoked',
          `The API refused the access token (HTTP ${httpStatus}): it was revoked${before.evidence.revoked ? ' in this app' : ' (introspection said inactive)'}. ${canRenew(id) ? 'Refresh gets a new access token.' : 'Re-authenticate the org to use it again.'}`,
          { cause: e },
        );
      }
      if (!canRenew(id)) throw e;
    }
    const set = await renew(id);
    return { value: await call(set.accessToken), refreshed: true };
  }

  return {
    note,
    noteApiAnswer,
    history,
    canRenew,
    adopt,
    requireToken,
    renew,
    withAuthRetry,
    /** Resolves once no renewal of the org runs (before revoking, so a rotation is not lost). */
    settled: (id: string) => renewals.settled(id),
  };
}

export type TokenLifecycle = ReturnType<typeof createTokenLifecycle>;
