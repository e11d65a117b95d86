import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { discoverAuthorizationServer, issuerForTokenResponse } from './authorization-server';
import { clientAt, type ClientAuthMethod } from './client-auth';
import type { Fetch, HttpOptions } from '../net/bounded-fetch';
import { safeCause } from '../net/server-text';
import { oauthOptions, toOAuthError, type ErrorHint } from './http';
import { validateIdToken } from './id-token-validation';
import { normalizeLoginHost } from './login-host';
import {
  DEFAULT_LISTENER_TIMEOUT_MS,
  startLoopbackListener,
  type Outcome,
  type SuccessInfo,
} from './loopback-listener';
import { parseTokenResponse, type TokenSet } from './token-set';

interface FlowOptionsBase {
  clientId: string;
  /**
   * The consumer secret, when the app profile has one: then the client authenticates at the token endpoint as
   * the server's metadata says (client-auth.ts), else it is a public client.
   */
  clientSecret?: string | null;
  /** The callback URL registered for the app (fixed port for Salesforce; any port for `http://127.0.0.1/…`). */
  redirectUri: string;
  scopes: readonly string[];
  /** `login` by default, so the next org does not reuse the previous org's browser session; null: none. */
  prompt?: string | null;
  /** Opens the system browser (never a BrowserWindow or webview: the user sees the real address bar; docs/SECURITY.md). */
  openExternal: (url: string) => Promise<void> | void;
  /** The fetch for discovery and the code exchange (default: global fetch). */
  fetch?: Fetch;
  /** Request limits: per-request timeout (default 30 s) and body cap (1 MB). */
  http?: HttpOptions;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
  /** Aborting cancels the flow, like {@link WebServerFlow.cancel}. */
  signal?: AbortSignal;
  /** Renders the page the browser shows after a successful sign-in. */
  successPage?: (info: SuccessInfo) => string;
  now?: () => number;
}

/** Either a login host to discover (`'production'`, `'sandbox'`, a My Domain) or an already discovered server. */
export type WebServerFlowOptions = FlowOptionsBase &
  ({ loginHost: string; as?: undefined } | { as: oauth.AuthorizationServer; loginHost?: undefined });

export interface WebServerFlow {
  flowId: string;
  authorizeUrl: string;
  /** The redirect URI sent, with the real port when the registered one allows any port. */
  redirectUri: string;
  /** Epoch ms when the listener gives up. */
  expiresAt: number;
  /** The server the flow talks to, for the operations that follow (refresh, revoke, introspect). */
  as: oauth.AuthorizationServer;
  /** The tokens, once the browser came back and the code was exchanged. */
  result: Promise<TokenSet>;
  /** Tells the browser tab how it ended (which org, which user); the listener then closes. */
  finish(outcome: Outcome): void;
  /** Cancels the flow: the wait ends with `oauth/cancelled` and the listener closes. */
  cancel(): void;
}

/**
 * Salesforce's "OAuth 2.0 Web Server Flow for Web App Integration" as the authorization code grant
 * (RFC 6749 §4.1) for a native app over a loopback redirect (RFC 8252 §7.3), with PKCE S256 (RFC 7636):
 * a fresh 32-byte verifier (base64url only, so never the `~` Salesforce rejects) and a 256-bit state per
 * flow, `prompt=login`, `iss` checked when the server advertises RFC 9207, the system browser opened
 * through `openExternal`, and the code exchanged (with `redirect_uri` and `code_verifier`) by oauth4webapi.
 */
export async function beginWebServerFlow(options: WebServerFlowOptions): Promise<WebServerFlow> {
  const now = options.now ?? Date.now;
  const http: HttpOptions = { ...options.http, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const as = options.as ?? (await discoverAuthorizationServer(normalizeLoginHost(options.loginHost), http));
  const prepared = await prepareAuthorization(as, options.clientId, options.clientSecret, options.scopes);
  const { client, auth, method, verifier, state, nonce } = prepared;
  const abort = new AbortController();
  const onExternalAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onExternalAbort, { once: true });
  if (options.signal?.aborted) abort.abort();
  const timeoutMs = options.timeoutMs ?? DEFAULT_LISTENER_TIMEOUT_MS;
  const listener = await startLoopbackListener({
    redirectUri: options.redirectUri,
    expectedState: state,
    expectedIss: as.authorization_response_iss_parameter_supported === true ? as.issuer : null,
    server: as,
    timeoutMs,
    signal: abort.signal,
    ...(options.successPage ? { successPage: options.successPage } : {}),
  });

  const url = authorizeUrlFor(as, prepared, {
    clientId: options.clientId,
    redirectUri: listener.redirectUri,
    scopes: options.scopes,
    prompt: options.prompt,
  });

  const result = (async () => {
    try {
      const params = await listener.waitForCallback();
      return await exchangeAuthorizationCode({
        as,
        client,
        auth,
        params,
        state,
        redirectUri: listener.redirectUri,
        verifier,
        nonce,
        method,
        scopes: options.scopes,
        http,
        signal: abort.signal,
        now,
      });
    } catch (e) {
      const error = toOAuthError(e, 'signing in', [], { server: as, clientAuth: method });
      listener.finish({ ok: false, message: error.message });
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', onExternalAbort);
    }
  })();
  result.catch(() => undefined);

  try {
    await options.openExternal(url.href);
  } catch (cause) {
    abort.abort();
    listener.close();
    // A refusal by the external-URL policy already says what is wrong with the address.
    if (cause instanceof AppError) throw cause;
    throw new AppError(
      'oauth/network',
      'Could not open your web browser. Set a default browser for your system, then try again.',
      { cause },
    );
  }

  return {
    flowId: randomUUID(),
    authorizeUrl: url.href,
    redirectUri: listener.redirectUri,
    expiresAt: now() + timeoutMs,
    as,
    result,
    finish: (o) => listener.finish(o),
    cancel: () => abort.abort(),
  };
}

/** What one authorization request is made with: the client at the token endpoint, PKCE, state and nonce. */
export interface PreparedAuthorization {
  client: oauth.Client;
  auth: oauth.ClientAuth;
  method: ClientAuthMethod;
  verifier: string;
  challenge: string;
  state: string;
  nonce: string | null;
}

/**
 * Checks that the server can do a safe authorization request (both endpoints, PKCE S256) and makes its fresh
 * secrets: a 32-byte verifier (base64url only, so never the `~` Salesforce rejects), a 256-bit state, and a
 * nonce with `openid` (OIDC Core §3.1.2.1). The client authentication is chosen here, before anything listens,
 * so a server whose methods the app cannot use fails holding no port.
 */
export async function prepareAuthorization(
  as: oauth.AuthorizationServer,
  clientId: string,
  clientSecret: string | null | undefined,
  scopes: readonly string[],
): Promise<PreparedAuthorization> {
  if (!as.authorization_endpoint || !as.token_endpoint) {
    throw new AppError(
      'oauth/bad_response',
      'The server does not publish an authorization and a token endpoint. Check the login host.',
    );
  }
  const methods = as.code_challenge_methods_supported;
  if (methods !== undefined && !methods.includes('S256')) {
    throw new AppError(
      'oauth/bad_response',
      'The server does not support PKCE with S256, which the app requires to sign in safely. Check the login host.',
    );
  }
  const { client, auth, method } = clientAt(as, 'token', clientId, clientSecret);
  const verifier = oauth.generateRandomCodeVerifier();
  // Fail closed: Salesforce rejects "~" in a verifier; oauth4webapi's are base64url, and that is checked here.
  if (!/^[A-Za-z0-9\-._]{43,128}$/.test(verifier)) {
    throw new AppError('internal', 'Could not set up PKCE for this sign-in. Try again.');
  }
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  // Some servers refuse an openid request without a nonce; Salesforce echoes it into its id_token.
  const nonce = scopes.includes('openid') ? oauth.generateRandomNonce() : null;
  return { client, auth, method, verifier, challenge, state: oauth.generateRandomState(), nonce };
}

/** The authorization request URL (RFC 6749 §4.1.1 with PKCE): `prompt=login` unless told otherwise, null for none. */
export function authorizeUrlFor(
  as: oauth.AuthorizationServer,
  prepared: Pick<PreparedAuthorization, 'state' | 'challenge' | 'nonce'>,
  request: { clientId: string; redirectUri: string; scopes: readonly string[]; prompt?: string | null | undefined },
): URL {
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('scope', request.scopes.join(' '));
  url.searchParams.set('state', prepared.state);
  url.searchParams.set('code_challenge', prepared.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  if (prepared.nonce) url.searchParams.set('nonce', prepared.nonce);
  const prompt = request.prompt === undefined ? 'login' : request.prompt;
  if (prompt) url.searchParams.set('prompt', prompt);
  return url;
}

/**
 * The access token request of RFC 6749 §4.1.3 with the PKCE `code_verifier` (RFC 7636 §4.5): validates
 * the callback once more (oauth4webapi `validateAuthResponse`: state, iss, error), exchanges the code,
 * parses the response once into a {@link TokenSet}, and validates its ID token in full, keeping how
 * (id-token-validation.ts). Failures are AppErrors (`oauth/invalid_grant`
 * for a used or expired code, ...).
 */
export async function exchangeAuthorizationCode(input: {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  params: URLSearchParams;
  state: string;
  redirectUri: string;
  verifier: string;
  /** The `nonce` sent in the authorization request; the ID token must carry it. Null or absent: none sent. */
  nonce?: string | null;
  /** How `auth` authenticates the client, named if the server refuses it. */
  method?: ClientAuthMethod;
  scopes: readonly string[];
  http: HttpOptions;
  signal?: AbortSignal;
  now?: () => number;
  /** The caller's readings of a refused exchange (an expired or used code), tried first. */
  hints?: readonly ErrorHint[];
}): Promise<TokenSet> {
  const { as, client } = input;
  try {
    const validated = oauth.validateAuthResponse(as, client, input.params, input.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      input.auth,
      validated,
      input.redirectUri,
      input.verifier,
      oauthOptions(as.token_endpoint, input.http, input.signal),
    );
    const accepted = await issuerForTokenResponse(as, response);
    const nonce = input.nonce && (await hasIdToken(response)) ? input.nonce : null;
    const body = await oauth.processAuthorizationCodeResponse(accepted, client, response, {
      expectedNonce: nonce ?? oauth.expectNoNonce,
    });
    const receivedAt = (input.now ?? Date.now)();
    const set = parseTokenResponse(body, receivedAt, input.scopes);
    const validation = await validateIdToken({
      as: accepted,
      discoveredIssuer: as.issuer,
      clientId: client.client_id,
      response,
      body,
      during: 'sign-in',
      nonce,
      code: validated.get('code'),
      http: input.http,
      signal: input.signal,
      now: receivedAt,
    });
    return validation ? { ...set, idTokenValidation: validation } : set;
  } catch (e) {
    if (e instanceof oauth.OperationProcessingError && e.code === oauth.JWT_CLAIM_COMPARISON) {
      const claim = (e.cause as { claim?: unknown } | undefined)?.claim;
      if (claim === 'nonce') {
        throw new AppError(
          'oauth/bad_response',
          'The ID token the server returned does not carry the nonce of this sign-in, so it may have been replayed. The sign-in was stopped; try again.',
          { cause: safeCause(e) },
        );
      }
    }
    throw toOAuthError(e, 'signing in', input.hints ?? [], { server: as, clientAuth: input.method });
  }
}

/**
 * Whether a token response carries an `id_token`. oauth4webapi insists on one whenever a nonce is expected,
 * but a server may grant fewer scopes than asked (RFC 6749 §3.3) and leave `openid` out; then there is no ID
 * token to check the nonce in, and the sign-in goes on as plain OAuth (an ID token is still checked in full).
 */
async function hasIdToken(response: Response): Promise<boolean> {
  try {
    const body: unknown = await response.clone().json();
    return typeof body === 'object' && body !== null && 'id_token' in body;
  } catch {
    return false;
  }
}
