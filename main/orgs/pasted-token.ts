import type * as oauth from 'oauth4webapi';
import type {
  Handlers,
  IntrospectionView,
  PastedRevokeResult,
  PastedTokenTarget,
  RevocableTokenKind,
} from '../../preload/contract';
import { AppError, isAppError } from '../errors';
import type { TokenAbout } from '../oauth/client';
import { requestIntrospection } from '../oauth/introspect';
import { normalizeLoginHost } from '../oauth/login-host';
import { requestRevocation } from '../oauth/revoke';
import { normalizePastedToken } from '../tokens/inspect-token';
import { isSalesforceServer } from '../oauth/server-wording';
import type { OrgRecord } from '../vault/records';
import type { OrgContext } from './org-context';
import { holderOf, matchToken, readPastedToken, type TokenReading } from './pasted-token-reading';
import type { TokenEvidence } from './token-evidence';
import { TOKEN_NAMES } from './token-lifecycle';

/** Where a pasted token is asked about: the server, the client that asks (if any), and the org holding it. */
interface Place {
  as: oauth.AuthorizationServer;
  /** The login host or org, in words. */
  where: string;
  host: string;
  client: { id: string; secret: string | null; profile: string | null } | null;
  kind: RevocableTokenKind;
  /** The stored org whose token this is, and whether the client asking is that org's own. */
  holder: { record: OrgRecord; ownClient: boolean } | null;
}

/** The token as main reads it; an empty paste is refused before anything is asked. */
function bareToken(raw: string): string {
  const token = normalizePastedToken(raw);
  if (token === '') throw new AppError('token/empty', 'Paste a token first: the access or refresh token to act on.');
  return token;
}

const idTokenRefused = () =>
  new AppError(
    'oauth/unsupported_token_type',
    'This is an ID token: servers neither introspect nor revoke ID tokens, and it stays valid until its expiry (exp). To end the sign-in it came from, revoke the refresh token issued with it.',
  );

/** Acting on a pasted token where it belongs: the stored org it names, or a login host with an app profile. */
export function createPastedTokenHandlers(
  ctx: OrgContext,
  evidence: TokenEvidence,
): Pick<Handlers, 'matchPastedToken' | 'introspectPastedToken' | 'revokePastedToken'> {
  const { vault, clients, tokens, http, now } = ctx;

  async function placeOf(target: PastedTokenTarget, token: string, reading: TokenReading): Promise<Place> {
    const found = await holderOf(vault, token, 'org' in target ? target.org : null);
    const kind = found?.kind ?? reading.kind;
    if (kind === 'id') throw idTokenRefused();
    const ownClient = (clientId: string | null, host: string) => {
      if (!found) return null;
      const profile = found.record.profileId ? vault.getProfile(found.record.profileId) : null;
      return { record: found.record, ownClient: profile?.consumerKey === clientId && found.record.loginHost === host };
    };
    if ('org' in target) {
      const { record } = vault.requireOrg(target.org);
      const { as, profile, secret } = await clients.clientFor(record);
      const client = { id: profile.consumerKey, secret, profile: profile.name };
      return {
        as,
        where: record.label,
        host: record.loginHost,
        client,
        kind,
        holder: ownClient(client.id, record.loginHost),
      };
    }
    const host = normalizeLoginHost(target.loginHost);
    if (target.profileId === null) {
      const as = await clients.serverFor(host);
      return { as, where: host, host, client: null, kind, holder: ownClient(null, host) };
    }
    const profile = vault.getProfile(target.profileId);
    if (!profile)
      throw new AppError(
        'profile/not_found',
        'The app profile you chose no longer exists. Choose another app profile, or none to revoke without a client.',
      );
    const { as, secret } = await clients.clientOf(profile, host);
    const client = { id: profile.consumerKey, secret, profile: profile.name };
    return { as, where: host, host, client, kind, holder: ownClient(client.id, host) };
  }

  /** The request about the token, for introspection: a client is required, and it must be the token's. */
  function introspectionAbout(place: Place, token: string, reading: TokenReading, signal: AbortSignal): TokenAbout {
    if (!place.as.introspection_endpoint)
      throw new AppError(
        'oauth/bad_response',
        `${place.where} publishes no introspection endpoint, so the token cannot be checked there. Use the token against the server's API instead, or revoke it if it should not work.`,
      );
    if (!place.client)
      throw new AppError(
        'oauth/invalid_client',
        'Introspection needs a client: choose the app profile of the app the token was issued to (its consumer key and secret).',
      );
    // Salesforce lets an app with "Introspect all tokens" introspect any token of the org: it is asked, and an
    // inactive answer explained (foreignAnswer). Other servers answer only for the client's own tokens.
    if (reading.clientId !== null && reading.clientId !== place.client.id && !isSalesforceServer(place.as))
      throw new AppError(
        'oauth/invalid_client',
        `The token was issued to the client ${reading.clientId.slice(0, 60)}, not to the app profile "${place.client.profile ?? place.client.id}": a server answers introspection only for its own tokens to that app. Choose the app profile with that consumer key.`,
      );
    return aboutOf(place, token, signal, place.client);
  }

  /**
   * Salesforce answers `"active": false` for a token of another app unless the introspecting app has "Introspect
   * all tokens" (Salesforce Help, Enable OAuth Settings for API Integration): such an answer says nothing of the
   * token, so it is refused with how to enable the setting. Another app's token: its `client_id` names another
   * client, or the org storing it signed in with another app.
   */
  function foreignAnswer(place: Place, reading: TokenReading): AppError | null {
    const client = place.client;
    if (!client || !isSalesforceServer(place.as)) return null;
    const issuedTo =
      reading.clientId !== null
        ? reading.clientId === client.id
          ? null
          : `the app ${reading.clientId.slice(0, 60)}`
        : place.holder && !place.holder.ownClient
          ? `the app the org ${place.holder.record.label} signed in with`
          : null;
    if (issuedTo === null) return null;
    const app = client.profile ? `"${client.profile}" (${client.id.slice(0, 40)})` : client.id.slice(0, 40);
    return new AppError(
      'oauth/foreign_token',
      `Salesforce answered "active": false, which is all it says of another app's token: this token was issued to ${issuedTo}, and ${app} may introspect only its own tokens unless its app has "Introspect all tokens". The token may still be active. To check it with this app profile, enable that setting in Salesforce (Setup → App Manager → the app → Edit → API (Enable OAuth Settings) → Introspect all tokens → Save; an External Client App has it in its OAuth settings) and introspect again, or choose the app profile of the app the token was issued to.`,
    );
  }

  function aboutOf(place: Place, token: string, signal: AbortSignal, client: NonNullable<Place['client']>): TokenAbout {
    const hint = place.kind === 'access' ? ('access_token' as const) : ('refresh_token' as const);
    return { as: place.as, clientId: client.id, clientSecret: client.secret, token, hint, http, now, signal };
  }

  /** Revocation (RFC 7009) with the chosen client; with none, Salesforce takes the token alone. */
  async function revoke(place: Place, token: string, reading: TokenReading, signal: AbortSignal): Promise<void> {
    if (place.client) return requestRevocation(aboutOf(place, token, signal, place.client));
    // A public client names itself (RFC 7009 §2.1): the token's own client, when it names one.
    if (reading.clientId !== null)
      return requestRevocation(aboutOf(place, token, signal, { id: reading.clientId, secret: null, profile: null }));
    if (!isSalesforceServer(place.as))
      throw new AppError(
        'oauth/invalid_client',
        `${place.where} needs a client to revoke a token (RFC 7009 §2.1): choose the app profile of the app the token was issued to.`,
      );
    if (!place.as.revocation_endpoint)
      throw new AppError(
        'oauth/bad_response',
        `${place.where} publishes no revocation endpoint, so the token cannot be revoked from here. Revoke it in the server's own console.`,
      );
    const hint = place.kind === 'access' ? ('access_token' as const) : ('refresh_token' as const);
    return requestRevocation({ as: place.as, clientId: null, token, hint, http, now, signal });
  }

  const { introspectQuietly } = evidence;
  const PASTED = 'a pasted copy';

  /** Records what introspection said of a stored token, as introspecting it from its org does. */
  const noteIntrospection = (id: string, kind: RevocableTokenKind, view: IntrospectionView) =>
    evidence.noteIntrospection(id, kind, view, PASTED);

  /** Records a revocation on the org holding the token, as revoking it from the org does; the summary. */
  async function recordRevocation(
    holder: NonNullable<Place['holder']>,
    kind: RevocableTokenKind,
    hint: string,
    view: IntrospectionView | null,
    at: number,
  ): Promise<string> {
    // Introspection counts as the org's evidence only when it was asked with the org's own client.
    const confirmed = view && holder.ownClient ? { at: view.checkedAt, active: view.active } : null;
    const summary = await evidence.recordRevocation(holder.record, kind, hint, confirmed, at, PASTED);
    return `${summary} It is the ${TOKEN_NAMES[kind]} stored for ${holder.record.label}, so the org now shows it as revoked.`;
  }

  /** The message of a revocation of a token no org holds. */
  function revokedElsewhere(place: Place, hint: string, view: IntrospectionView | null): string {
    const proof =
      view === null
        ? place.client
          ? 'The server could not confirm it by introspection.'
          : 'Without an app profile it could not be confirmed by introspection.'
        : view.active
          ? 'Yet introspection right after still calls it active: check the token at the server.'
          : 'Introspection right after confirms it is inactive.';
    const cascade =
      place.kind === 'refresh'
        ? isSalesforceServer(place.as)
          ? ' Salesforce revokes the access tokens issued from it as well.'
          : ' Access tokens issued from it may keep working until they expire, unless the server revoked them with it (RFC 7009 §2.1).'
        : '';
    return `Revoked the ${TOKEN_NAMES[place.kind]} …${hint} at ${place.where}. ${proof}${cascade} No org in this app stores it, so no org's status changed.`;
  }

  return {
    matchPastedToken: async ({ token: raw }) => {
      const token = bareToken(raw);
      return matchToken(vault, token, readPastedToken(token));
    },

    introspectPastedToken: async ({ token: raw, target, flowId }) => {
      const token = bareToken(raw);
      const reading = readPastedToken(token);
      return ctx.operations.run(flowId, async (signal) => {
        const place = await placeOf(target, token, reading);
        const view = await requestIntrospection(introspectionAbout(place, token, reading, signal));
        const foreign = view.active ? null : foreignAnswer(place, reading);
        if (foreign) throw foreign;
        // What the token's own org and client heard counts as evidence of the stored token.
        if (place.holder?.ownClient) await noteIntrospection(place.holder.record.id, place.kind, view);
        return view;
      });
    },

    revokePastedToken: async ({ token: raw, target, flowId }): Promise<PastedRevokeResult> => {
      const token = bareToken(raw);
      const reading = readPastedToken(token);
      return ctx.operations.run(flowId, async (signal) => {
        const place = await placeOf(target, token, reading);
        // A renewal in flight may be rotating the org's refresh token: revoke once it has stored what it got.
        if (place.holder) await tokens.settled(place.holder.record.id);
        try {
          await revoke(place, token, reading, signal);
        } catch (e) {
          if (isAppError(e, 'oauth/invalid_grant') && !place.holder)
            throw new AppError(
              e.code,
              `${e.message} If it should still work, another server issued it: choose the login host it came from.`,
              { cause: e },
            );
          throw e;
        }
        const at = now();
        const client =
          place.client ?? (reading.clientId ? { id: reading.clientId, secret: null, profile: null } : null);
        const view =
          client && place.as.introspection_endpoint
            ? await introspectQuietly(aboutOf(place, token, signal, client))
            : null;
        const hint = token.slice(-4);
        const message = place.holder
          ? await recordRevocation(place.holder, place.kind, hint, view, at)
          : revokedElsewhere(place, hint, view);
        return {
          revoked: true,
          confirmed: view === null ? null : !view.active,
          endpoint: place.as.revocation_endpoint ?? place.host,
          message,
        };
      });
    },
  };
}
