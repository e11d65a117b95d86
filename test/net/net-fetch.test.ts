/**
 * In Electron every main-process HTTP call must go through `net.fetch` (system proxy, PAC, OS certificates).
 * The tests keep Node's fetch underneath, and prove that the one injected client is the only one used.
 */
import { describe, expect, it } from 'vitest';
import type { Fetch } from '../../main/net/bounded-fetch';
import { netFetch } from '../../main/net/net-fetch';
import { DEFAULT_CLIENT_ID, DEFAULT_USER, startSalesforceDouble } from '../servers/salesforce-double';
import { signInVia } from '../support/sign-in';
import { testHandlers } from '../support/test-services';

describe('netFetch', () => {
  it('hands http(s) requests to net.fetch without cookies and without the app’s own scheme', async () => {
    const calls: { input: unknown; init: Record<string, unknown> | undefined }[] = [];
    const fetch = netFetch({
      fetch: async (input, init) => {
        calls.push({ input, init: init as Record<string, unknown> | undefined });
        return new Response('{}');
      },
    });
    await fetch(new URL('https://login.salesforce.com/services/oauth2/token'), { method: 'POST' });
    await fetch('http://127.0.0.1:1/x');
    expect(calls).toEqual([
      {
        input: 'https://login.salesforce.com/services/oauth2/token',
        init: { method: 'POST', credentials: 'omit', bypassCustomProtocolHandlers: true },
      },
      { input: 'http://127.0.0.1:1/x', init: { credentials: 'omit', bypassCustomProtocolHandlers: true } },
    ]);
    await expect(fetch('app://renderer/index.html')).rejects.toThrow(/Only http\(s\)/);
    await expect(fetch('file:///etc/passwd')).rejects.toThrow(/Only http\(s\)/);
    expect(calls).toHaveLength(2);
  });
});

describe('the HTTP client given to the handlers', () => {
  it('carries every request main makes: discovery, token, identity, REST, introspection, revocation', async () => {
    const double = await startSalesforceDouble({
      apps: [
        {
          clientId: DEFAULT_CLIENT_ID,
          clientSecret: 'cc-secret',
          callbackUrls: [],
          clientCredentialsUser: DEFAULT_USER.username,
        },
      ],
    });
    const seen: string[] = [];
    const recording: Fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : input);
      seen.push(`${init?.method ?? (input instanceof Request ? input.method : 'GET')} ${url.pathname}`);
      return fetch(input, init);
    };
    const services = await testHandlers({ http: { fetch: recording } });
    try {
      const profile = await services.handlers.saveAppProfile({
        name: 'Integration app',
        kind: 'external-client-app',
        consumerKey: DEFAULT_CLIENT_ID,
        consumerSecret: 'cc-secret',
        callbackUrl: 'http://localhost:1717/OauthRedirect',
        scopes: ['api'],
      });
      const org = await signInVia(services.handlers, {
        profileId: profile.id,
        loginHost: double.orgs[0]!.myDomainUrl,
        method: 'client_credentials',
      });
      await services.handlers.testToken({ id: org.id });
      await services.handlers.introspectToken({ id: org.id, kind: 'access' });
      await services.handlers.refreshOrg({ id: org.id });
      await services.handlers.revokeToken({ id: org.id, kind: 'access' });
      expect(seen.length).toBeGreaterThan(4);
      // Everything the server received came through the injected client: no call used Node's fetch directly.
      expect([...double.requests].sort()).toEqual([...seen].sort());
    } finally {
      await services.close();
      await double.close();
    }
  });
});
