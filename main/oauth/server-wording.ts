import type * as oauth from 'oauth4webapi';

/** What the app knows of a server when it words a message: its issuer, and its token endpoint once discovered. */
export type ServerRef = Pick<oauth.AuthorizationServer, 'issuer' | 'token_endpoint'>;

/** True for Salesforce-operated hosts (`login.salesforce.com`, My Domains, `*.force.com`), https only. */
export function isSalesforceHost(url: string | URL): boolean {
  const { protocol, hostname } = new URL(url);
  return (
    protocol === 'https:' &&
    (hostname.endsWith('.salesforce.com') || hostname.endsWith('.force.com') || hostname.endsWith('.salesforce.mil'))
  );
}

/**
 * Whether a server is Salesforce: a Salesforce-operated host, or an issuer without a path whose token endpoint
 * is Salesforce's fixed `{issuer}/services/oauth2/token` (every Salesforce login host and My Domain has its
 * OAuth endpoints under `/services/oauth2/`; so does the Salesforce stand-in the tests run on loopback).
 */
export function isSalesforceServer(server: ServerRef): boolean {
  if (!URL.canParse(server.issuer)) return false;
  if (isSalesforceHost(server.issuer)) return true;
  const issuer = new URL(server.issuer);
  return (
    (issuer.pathname === '/' || issuer.pathname === '') &&
    server.token_endpoint === `${issuer.origin}/services/oauth2/token`
  );
}

/**
 * The phrases of messages that name where something is set up: Salesforce's words (connected apps, consumer
 * keys, Setup) for a Salesforce server, the standard words (clients, client IDs, the authorization server)
 * for any other. Every message in main/oauth/ that points the user somewhere takes its words from here.
 */
export interface ServerTerms {
  salesforce: boolean;
  /** The app's credentials as the server calls them. */
  credentials: string;
  /** The same, short. */
  keyAndSecret: string;
  /** Where the app's OAuth settings are. */
  appSettings: string;
  /** Where the callback URL must be registered as well. */
  callbackRegistration: string;
  /** What to check when a server's answer is not OAuth at all. */
  notOAuthFix: string;
  /** What to check when a web page came instead of JSON. */
  webPageFix: string;
  /** What to check when a token response carries no access token. */
  noAccessTokenFix: string;
  /** What else may refuse a request with 403 besides a scope or permission. */
  policies: string;
  /** How to get a new initial access token for registration. */
  newInitialAccessToken: string;
  /** Where to delete a client a failed registration may have left. */
  clientConsole: string;
}

const SALESFORCE: ServerTerms = {
  salesforce: true,
  credentials: 'consumer key and consumer secret',
  keyAndSecret: 'consumer key and secret',
  appSettings: "the app's settings in Salesforce",
  callbackRegistration: 'in Salesforce',
  notOAuthFix: 'Check that the login host is a Salesforce or OAuth server.',
  webPageFix: 'Check the login host (a My Domain URL looks like https://acme.my.salesforce.com).',
  noAccessTokenFix: 'Check the login host and that the app is an OAuth app of this org.',
  policies: 'a policy of the app or org (IP ranges, permitted users)',
  newInitialAccessToken:
    'Generate a new one for the registering app in Salesforce Setup (App Manager → the app → Generate Initial Access Token)',
  clientConsole: 'Salesforce Setup (App Manager)',
};

const OTHER: ServerTerms = {
  salesforce: false,
  credentials: 'client ID and client secret',
  keyAndSecret: 'client ID and secret',
  appSettings: "the client's settings at the authorization server",
  callbackRegistration: "in the client's registration at the authorization server",
  notOAuthFix: 'Check that the login host is the issuer URL of an OAuth or OpenID Connect server.',
  webPageFix: 'Check the login host (the issuer URL of the server, as its discovery document names it).',
  noAccessTokenFix: 'Check the login host and that the client is registered at this server.',
  policies: "a policy of the server (the client's allowed scopes, users or networks)",
  newInitialAccessToken: "Ask the server's administrator for a new one (or create it in the server's admin console)",
  clientConsole: "the server's admin console",
};

/**
 * The words for this server. With no server known (a caller that does not say), Salesforce's words, as before
 * messages followed the server.
 */
export function serverTerms(server: ServerRef | undefined): ServerTerms {
  return server === undefined || isSalesforceServer(server) ? SALESFORCE : OTHER;
}
