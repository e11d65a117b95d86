import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { clientOf } from './authorization-server';
import { oauthOptions, toOAuthError, type HttpOptions } from './http';
import { DEFAULT_LISTENER_TIMEOUT_MS, startLoopbackListener, type Outcome } from './loopback-listener';
import { parseTokenResponse, type TokenSet } from './token-set';

export interface WebServerFlowOptions {
  as: oauth.AuthorizationServer;
  clientId: string;
  clientSecret: string | null;
  /** The callback URL registered for the app. */
  redirectUri: string;
  scopes: string[];
  /** `login` by default, so the next org does not reuse the previous org's browser session. */
  prompt?: string | null;
  /** Opens the system browser (SECURITY.md item 1: never a BrowserWindow). */
  openExternal: (url: string) => Promise<void>;
  http?: HttpOptions;
  timeoutMs?: number;
  now?: () => number;
}

export interface WebServerFlow {
  flowId: string;
  authorizeUrl: string;
  redirectUri: string;
  expiresAt: number;
  /** The tokens, once the browser came back and the code was exchanged. */
  result: Promise<TokenSet>;
  /** Tells the browser tab how it ended. */
  finish(outcome: Outcome): void;
  cancel(): void;
}

/**
 * The OAuth 2.0 authorization code grant (RFC 6749 §4.1) with PKCE S256 (RFC 7636) for a native app over
 * a loopback redirect (RFC 8252), as Salesforce's web server flow: a fresh 32-byte verifier and 128-bit+
 * state per flow, `iss` checked when the server advertises RFC 9207, the code exchanged by oauth4webapi.
 */
export async function beginWebServerFlow(options: WebServerFlowOptions): Promise<WebServerFlow> {
  const now = options.now ?? Date.now;
  const http = options.http ?? {};
  const verifier = oauth.generateRandomCodeVerifier();
  // Salesforce rejects "~" in a verifier; oauth4webapi's are base64url (A-Z a-z 0-9 - _), checked anyway.
  if (!/^[A-Za-z0-9\-._]{43,128}$/.test(verifier))
    throw new AppError('internal', 'Could not set up PKCE for this sign-in. Try again.');
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  const abort = new AbortController();
  const timeoutMs = options.timeoutMs ?? DEFAULT_LISTENER_TIMEOUT_MS;
  const listener = await startLoopbackListener({
    redirectUri: options.redirectUri,
    expectedState: state,
    timeoutMs,
    signal: abort.signal,
  });

  if (!options.as.authorization_endpoint) {
    listener.close();
    throw new AppError(
      'oauth/bad_response',
      'The server does not publish an authorization endpoint. Check the login host.',
    );
  }
  const url = new URL(options.as.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', listener.redirectUri);
  url.searchParams.set('scope', options.scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  const prompt = options.prompt === undefined ? 'login' : options.prompt;
  if (prompt) url.searchParams.set('prompt', prompt);

  const { client, auth } = clientOf(options.clientId, options.clientSecret);
  const result = (async () => {
    const params = await listener.callback;
    try {
      const validated = oauth.validateAuthResponse(options.as, client, params, state);
      const response = await oauth.authorizationCodeGrantRequest(
        options.as,
        client,
        auth,
        validated,
        listener.redirectUri,
        verifier,
        oauthOptions(options.as.issuer, http, abort.signal),
      );
      return parseTokenResponse(await oauth.processAuthorizationCodeResponse(options.as, client, response), now());
    } catch (e) {
      const error = issError(e) ?? toOAuthError(e, 'signing in');
      listener.finish({ ok: false, message: error.message });
      throw error;
    }
  })();
  result.catch(() => undefined);

  try {
    await options.openExternal(url.href);
  } catch (cause) {
    listener.close();
    throw new AppError(
      'oauth/network',
      'Could not open your web browser. Copy the sign-in address from the app into a browser instead.',
      { cause },
    );
  }

  return {
    flowId: randomUUID(),
    authorizeUrl: url.href,
    redirectUri: listener.redirectUri,
    expiresAt: now() + timeoutMs,
    result,
    finish: (o) => listener.finish(o),
    cancel: () => abort.abort(),
  };
}

function issError(e: unknown): AppError | null {
  if (e instanceof oauth.OperationProcessingError && /"iss"/.test(e.message)) {
    return new AppError(
      'oauth/iss_mismatch',
      'The browser came back from a different server than the one the app asked (the "iss" did not match). The sign-in was stopped; try again.',
      {
        cause: e,
      },
    );
  }
  return null;
}
