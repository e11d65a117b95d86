/**
 * What to set in Salesforce Setup for an External Client App this app can sign in with: the scopes as Setup
 * lists them, and where Setup is for the org host chosen in the wizard.
 */

/** Setup's name for each OAuth scope ("Selected OAuth Scopes" in the app's OAuth settings). */
export const SETUP_SCOPE_LABEL: Readonly<Record<string, string>> = {
  api: 'Manage user data via APIs (api)',
  refresh_token: 'Perform requests at any time (refresh_token, offline_access)',
  offline_access: 'Perform requests at any time (refresh_token, offline_access)',
  openid: 'Access unique user identifiers (openid)',
  id: 'Access the identity URL service (id, profile, email, address, phone)',
  profile: 'Access the identity URL service (id, profile, email, address, phone)',
  email: 'Access the identity URL service (id, profile, email, address, phone)',
  web: 'Manage user data via Web browsers (web)',
  full: 'Full access (full)',
  cdp_api: 'Perform ANSI SQL queries on Data Cloud data (cdp_query_api)',
};

/** The Setup entries to select for these scopes, each once, in the order given; unknown ones as they are. */
export function setupScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => SETUP_SCOPE_LABEL[s] ?? `${s} (a custom or other scope)`))];
}

/**
 * Setup's home for the chosen host: production and sandbox log in first and then go there (`startURL`);
 * a My Domain opens it directly. Null for a host that is not a URL.
 */
export function setupUrl(host: string): string | null {
  const home = '/lightning/setup/SetupOneHome/home';
  if (host === 'production' || host === 'sandbox') {
    const login = host === 'production' ? 'https://login.salesforce.com' : 'https://test.salesforce.com';
    return `${login}/?startURL=${encodeURIComponent(home)}`;
  }
  const withScheme = /^https?:\/\//i.test(host.trim()) ? host.trim() : `https://${host.trim()}`;
  return URL.canParse(withScheme) ? new URL(home, withScheme).href : null;
}
