/**
 * A code by hand: the web server flow (authorization code with PKCE S256) for an app whose callback URL is
 * not on this computer, as Salesforce's help describes it for such apps (seeds 002 and 003 in the docs the
 * product is specified from): the system browser opens the authorize URL, the user logs in and allows, the
 * browser lands on the callback page (`https://login.salesforce.com/services/oauth2/success?code=…%3D%3D&state=…`),
 * and the user pastes that address, or only its code, into the app. The app reads the code, URL-decodes it
 * once, checks `state` (and `iss`) when an address was pasted, and exchanges it with the registered
 * `redirect_uri` exactly as stored, through oauth4webapi (web-server-flow.ts).
 */
import type * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import type { HttpOptions } from '../net/bounded-fetch';
import { judgeCallback } from './callback-response';
import type { ErrorHint } from './http';
import { authorizeUrlFor, exchangeAuthorizationCode, prepareAuthorization } from './web-server-flow';
import type { TokenSet } from './token-set';

/** How long a Salesforce authorization code lives, and so how long the sign-in waits for a paste. */
export const CODE_LIFETIME_MS = 15 * 60_000;

export interface ManualCodeFlowOptions {
  as: oauth.AuthorizationServer;
  clientId: string;
  clientSecret?: string | null;
  /** The registered callback URL, sent as `redirect_uri` exactly as stored, in both requests. */
  redirectUri: string;
  scopes: readonly string[];
  /** `login` by default; null: none. */
  prompt?: string | null;
  openExternal: (url: string) => Promise<void> | void;
  http?: HttpOptions;
  /** How long to wait for a paste (default {@link CODE_LIFETIME_MS}). */
  timeoutMs?: number;
  /** Aborting cancels the flow (`oauth/cancelled`). */
  signal?: AbortSignal;
  now?: () => number;
}

export interface ManualCodeFlow {
  authorizeUrl: string;
  redirectUri: string;
  /** Epoch ms when the wait for a paste ends. */
  expiresAt: number;
  /** The tokens, once a pasted code was exchanged; rejects on cancel, timeout, or a failure that ends the flow. */
  result: Promise<TokenSet>;
  /**
   * Takes what the user pasted. Resolves once its code was exchanged (then `result` resolves too). A paste
   * from another attempt, without a code, or with a code the server refused as used is an error and the flow
   * keeps waiting; an `error=` address, an expired code or a refused `redirect_uri` ends it.
   */
  submit(pasted: string): Promise<void>;
}

/** Readings of a refused exchange, tried before the generic ones (http.ts). */
const CODE_HINTS: readonly ErrorHint[] = [
  {
    match: /^invalid_grant .*redirect/i,
    code: 'oauth/invalid_redirect_uri',
    message:
      'The server refused the code because the redirect_uri differs from the one the code was issued for. Make the callback URL of this app profile exactly the app’s callback URL in Salesforce (same slashes and letters), then start again.',
    elsewhere:
      'The server refused the code because the redirect_uri differs from the one the code was issued for. Make the callback URL of this app profile exactly the one registered at the server, then start again.',
  },
  {
    match: /^invalid_grant .*expired/i,
    code: 'oauth/code_expired',
    message:
      'This authorization code has expired: Salesforce codes last 15 minutes. Start the sign-in again and paste the new address soon after you press Allow.',
    elsewhere:
      'This authorization code has expired. Start the sign-in again and paste the new address soon after you allow access.',
  },
  {
    match: /^invalid_grant/i,
    code: 'oauth/code_reused',
    message:
      'The server refused this authorization code: a code works only once, and this one was used already or belongs to another sign-in attempt. Paste the address from the tab this sign-in opened, or start the sign-in again for a new code.',
  },
];

/** Errors after which the same flow can still take another paste. */
const KEEPS_WAITING = new Set(['oauth/state_mismatch', 'oauth/no_code', 'oauth/code_reused', 'oauth/network']);

/**
 * Starts a code by hand: prepares PKCE and state, opens the authorize URL in the system browser, and waits
 * for {@link ManualCodeFlow.submit}.
 */
export async function beginManualCodeFlow(options: ManualCodeFlowOptions): Promise<ManualCodeFlow> {
  const now = options.now ?? Date.now;
  const http: HttpOptions = options.http ?? {};
  const { as } = options;
  const prepared = await prepareAuthorization(as, options.clientId, options.clientSecret, options.scopes);
  const url = authorizeUrlFor(as, prepared, {
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    scopes: options.scopes,
    prompt: options.prompt,
  });
  const expectedIss = as.authorization_response_iss_parameter_supported === true ? as.issuer : null;
  const timeoutMs = options.timeoutMs ?? CODE_LIFETIME_MS;

  let settle!: { resolve: (t: TokenSet) => void; reject: (e: AppError) => void };
  const result = new Promise<TokenSet>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined);
  let over = false;
  let exchanging = false;
  /** Codes the server already answered for: sending one again cannot work. */
  const answered = new Set<string>();
  const abort = new AbortController();
  const end = (error: AppError | null, tokens?: TokenSet) => {
    if (over) return;
    over = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (error) settle.reject(error);
    else settle.resolve(tokens!);
  };
  const timer = setTimeout(
    () =>
      end(
        new AppError(
          'oauth/timeout',
          `No code was pasted within ${Math.round(timeoutMs / 60_000) || 1} minutes, and the code the server issued has expired by now. Start the sign-in again when you are ready.`,
        ),
      ),
    timeoutMs,
  );
  const onAbort = () => {
    abort.abort();
    end(new AppError('oauth/cancelled', 'The sign-in was cancelled.'));
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  try {
    await options.openExternal(url.href);
  } catch (cause) {
    end(new AppError('oauth/cancelled', 'The sign-in was cancelled.'));
    if (cause instanceof AppError) throw cause;
    throw new AppError(
      'oauth/network',
      'Could not open your web browser. Set a default browser for your system, then try again.',
      { cause },
    );
  }

  async function submit(pasted: string): Promise<void> {
    if (over) throw new AppError('oauth/flow_not_found', 'This sign-in is no longer running. Start it again.');
    if (exchanging) {
      throw new AppError('oauth/code_reused', 'A code of this sign-in is being exchanged already. Wait for it.');
    }
    const params = readPastedResponse(pasted, { state: prepared.state, iss: expectedIss, server: as });
    const code = params.get('code')!;
    if (answered.has(code)) {
      throw new AppError(
        'oauth/code_reused',
        'This code was sent to the server already, and a code works only once. Paste the address of a newer sign-in, or start the sign-in again.',
      );
    }
    exchanging = true;
    try {
      const tokens = await exchangeAuthorizationCode({
        as,
        client: prepared.client,
        auth: prepared.auth,
        params,
        state: prepared.state,
        redirectUri: options.redirectUri,
        verifier: prepared.verifier,
        nonce: prepared.nonce,
        method: prepared.method,
        scopes: options.scopes,
        http,
        signal: abort.signal,
        now,
        hints: CODE_HINTS,
      });
      end(null, tokens);
    } catch (e) {
      const error = e instanceof AppError ? e : new AppError('internal', 'The sign-in failed.');
      if (error.answer) answered.add(code);
      throw error;
    } finally {
      exchanging = false;
    }
  }

  return {
    authorizeUrl: url.href,
    redirectUri: options.redirectUri,
    expiresAt: now() + timeoutMs,
    result,
    async submit(pasted) {
      try {
        await submit(pasted);
      } catch (e) {
        // What a second paste cannot fix ends the flow: an error= address, an expired code, a refused redirect_uri.
        if (e instanceof AppError && !KEEPS_WAITING.has(e.code) && e.code !== 'oauth/flow_not_found') end(e);
        throw e;
      }
    },
  };
}

/**
 * What the user pasted, as the authorization response it is: an address (`https://…?code=…&state=…`) is
 * judged as a callback is (callback-response.ts: state first, then iss, then error, then code); a bare code
 * (or `code=…`) carries no state, and PKCE binds it to this attempt instead (the server refuses a code issued
 * for another verifier). Values are percent-decoded exactly once and `+` stays `+`: Salesforce codes end in
 * `==`, sent as `%3D%3D`, and a code the user decoded already must not be decoded again.
 */
export function readPastedResponse(
  pasted: string,
  expected: { state: string; iss: string | null; server?: oauth.AuthorizationServer },
): URLSearchParams {
  const text = pasted.trim();
  if (/^https?:\/\//i.test(text)) {
    const params = queryOf(text);
    if (!params.has('code') && !params.has('error')) {
      throw new AppError(
        'oauth/no_code',
        'This address has no authorization code in it. After you press Allow, copy the whole address of the page the browser shows (it has ?code=…) and paste it here.',
      );
    }
    const verdict = judgeCallback(params, expected);
    if (verdict.kind === 'foreign') {
      throw new AppError(
        'oauth/state_mismatch',
        'This address comes from another sign-in attempt (its state is not the one this sign-in sent), so it was not used. Paste the address from the tab this sign-in opened, or start the sign-in again.',
      );
    }
    if (verdict.kind === 'failed') throw verdict.error;
    return params;
  }
  const code = decodeOnce(text.replace(/^\??code=/i, ''));
  if (code === null || code === '' || /[\s&?#]/.test(code)) {
    throw new AppError(
      'oauth/no_code',
      'Paste the whole address the browser shows after you press Allow (https://…?code=…), or only the code after "code=".',
    );
  }
  const params = new URLSearchParams({ code, state: expected.state });
  if (expected.iss) params.set('iss', expected.iss);
  return params;
}

/** The query of a pasted address, each value percent-decoded once (RFC 3986), `+` kept. */
function queryOf(address: string): URLSearchParams {
  const params = new URLSearchParams();
  const query = address.split('#')[0]!.split('?').slice(1).join('?');
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeOnce(eq < 0 ? part : part.slice(0, eq));
    const value = decodeOnce(eq < 0 ? '' : part.slice(eq + 1));
    if (name === null || value === null) {
      throw new AppError(
        'oauth/no_code',
        'This address is damaged (a % that starts no character). Copy it again from the browser’s address bar.',
      );
    }
    params.append(name, value);
  }
  return params;
}

/** Percent-decoded once when it has percent escapes; null when they are malformed. */
function decodeOnce(s: string): string | null {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
