import { describe, expect, it } from 'vitest';
import { setupScopes, setupUrl } from '../../renderer/lib/eca-guide';

describe('the External Client App guide', () => {
  it('names the scopes as Setup lists them, each once, and others as they are', () => {
    expect(setupScopes(['api', 'refresh_token', 'offline_access', 'openid', 'my_custom'])).toEqual([
      'Manage user data via APIs (api)',
      'Perform requests at any time (refresh_token, offline_access)',
      'Access unique user identifiers (openid)',
      'my_custom (a custom or other scope)',
    ]);
  });

  it('opens Setup after the login for production and sandbox, and directly at a My Domain', () => {
    expect(setupUrl('production')).toBe(
      'https://login.salesforce.com/?startURL=%2Flightning%2Fsetup%2FSetupOneHome%2Fhome',
    );
    expect(setupUrl('sandbox')).toMatch(/^https:\/\/test\.salesforce\.com\/\?startURL=/);
    expect(setupUrl('acme.my.salesforce.com')).toBe('https://acme.my.salesforce.com/lightning/setup/SetupOneHome/home');
    expect(setupUrl('https://acme--uat.sandbox.my.salesforce.com/')).toBe(
      'https://acme--uat.sandbox.my.salesforce.com/lightning/setup/SetupOneHome/home',
    );
    expect(setupUrl('not a host')).toBeNull();
  });
});
