/**
 * Test support for the OAuth modules: a "system browser" for `openExternal` that logs in at the Salesforce
 * double (or oidc-provider) with a real HTTP client and then requests the callback like a browser would,
 * and a one-call sign-in that returns the parsed tokens.
 */
import type * as oauth from 'oauth4webapi';
import { expect } from 'vitest';
import { AppError } from '../../main/errors';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import type { HttpOptions } from '../../main/net/bounded-fetch';
import type { TokenSet } from '../../main/oauth/token-set';
import { beginWebServerFlow, type WebServerFlow } from '../../main/oauth/web-server-flow';
import { followCallback, freePort, loginAtSalesforceDouble } from '../servers/browser-login';
import { loginAtOidcPeer } from '../servers/oidc-peer';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type DoubleApp,
  type DoubleConfig,
  type SalesforceDouble,
} from '../servers/salesforce-double';

export interface BrowserRecord {
  /** Authorize URLs the app opened. */
  opened: string[];
  /** Where the login page sent the browser back to (the app's callback with code/error and state). */
  callbacks: string[];
  /** Status of the callback request. */
  callbackStatus: number[];
  /** The page the browser finally showed (the success or error page). */
  pages: string[];
  /** Resolves when the browser has finished with the last URL it was given. */
  idle(): Promise<void>;
}

export interface BrowserOptions {
  kind?: 'salesforce' | 'oidc';
  username?: string;
  password?: string;
  decision?: 'allow' | 'deny';
  /** Change the callback before the browser requests it (a tampering attacker). */
  tamper?: (callback: URL) => void;
  /** Do not request the callback at all (the user closed the tab). */
  closeTab?: boolean;
}

/** An `openExternal` that behaves like the user's browser, and what it saw. */
export function systemBrowser(options: BrowserOptions = {}): {
  openExternal: (url: string) => Promise<void>;
  seen: BrowserRecord;
} {
  let last: Promise<void> = Promise.resolve();
  const seen: BrowserRecord = { opened: [], callbacks: [], callbackStatus: [], pages: [], idle: () => last };
  const openExternal = async (url: string) => {
    seen.opened.push(url);
    // A browser does not block the app: the login happens while the app waits for the callback.
    last = (async () => {
      const { callbackUrl } =
        options.kind === 'oidc'
          ? await loginAtOidcPeer(url, { deny: options.decision === 'deny' })
          : await loginAtSalesforceDouble(url, {
              username: options.username ?? DEFAULT_USER.username,
              password: options.password ?? DEFAULT_USER.password,
              decision: options.decision ?? 'allow',
            });
      const callback = new URL(callbackUrl);
      options.tamper?.(callback);
      seen.callbacks.push(callback.href);
      if (options.closeTab) return;
      const r = await followCallback(callback.href);
      seen.callbackStatus.push(r.status);
      const location = r.headers.get('location');
      if (r.status === 303 && location) seen.pages.push((await followCallback(new URL(location, callback).href)).body);
      else seen.pages.push(r.body);
    })().catch((e: unknown) => void seen.pages.push(`browser failed: ${String(e)}`));
  };
  return { openExternal, seen };
}

export interface DoubleWorld {
  double: SalesforceDouble;
  /** The app's registered callback URL (a free fixed port, like Salesforce's http://localhost:1717/OauthRedirect). */
  callbackUrl: string;
  as: oauth.AuthorizationServer;
  close(): Promise<void>;
}

/** A Salesforce double with one app whose callback URL is a free fixed localhost port. */
export async function startDoubleWorld(
  options: { app?: Partial<DoubleApp>; double?: DoubleConfig } = {},
): Promise<DoubleWorld> {
  const callbackUrl = `http://localhost:${await freePort()}/OauthRedirect`;
  const app: DoubleApp = { clientId: DEFAULT_CLIENT_ID, callbackUrls: [callbackUrl], ...options.app };
  const double = await startSalesforceDouble({ apps: [app], ...options.double });
  const as = await discoverAuthorizationServer(double.loginUrl);
  return { double, callbackUrl, as, close: () => double.close() };
}

/** What introspecting or revoking `token` at the double's server takes, as the default public client. */
export const aboutTokenAtDouble = (w: DoubleWorld, token: string, hint: 'access_token' | 'refresh_token') => ({
  as: w.as,
  clientId: DEFAULT_CLIENT_ID,
  token,
  hint,
});

export interface SignInResult {
  tokens: TokenSet;
  flow: WebServerFlow;
  seen: BrowserRecord;
}

/** Runs the web server flow against the double: the browser logs in, the code is exchanged. */
export async function signInAtDouble(
  world: DoubleWorld,
  options: {
    scopes?: string[];
    clientSecret?: string;
    browser?: BrowserOptions;
    http?: HttpOptions;
    loginHost?: string;
    timeoutMs?: number;
  } = {},
): Promise<SignInResult> {
  const { openExternal, seen } = systemBrowser(options.browser);
  const flow = await beginWebServerFlow({
    loginHost: options.loginHost ?? world.double.loginUrl,
    clientId: DEFAULT_CLIENT_ID,
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
    redirectUri: world.callbackUrl,
    scopes: options.scopes ?? ['api', 'refresh_token', 'openid', 'id'],
    openExternal,
    http: { timeoutMs: 5000, ...options.http },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  try {
    const tokens = await flow.result;
    flow.finish({ ok: true, app: 'Inspector test app', org: 'Acme', username: DEFAULT_USER.username });
    await seen.idle();
    return { tokens, flow, seen };
  } catch (e) {
    await seen.idle();
    throw e;
  }
}

/** The AppError a promise rejects with (fails the test if it resolves or throws something else). */
export async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** Everything an error carries, as text: message and cause chain. No token may appear in it. */
export function errorText(e: unknown): string {
  const parts: string[] = [];
  let current: unknown = e;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof Error) {
      parts.push(current.name, current.message, JSON.stringify(current));
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : JSON.stringify(current));
      break;
    }
  }
  return parts.join('\n');
}
