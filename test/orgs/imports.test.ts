import { describe, expect, it } from 'vitest';
import { parseSfdxAuthUrl } from '../../main/orgs/imports';

describe('parseSfdxAuthUrl', () => {
  it('splits what sf org display --verbose prints into client, secret, refresh token and login host', () => {
    expect(parseSfdxAuthUrl('force://PlatformCLI::5Aep861abc.def==@acme.my.salesforce.com')).toEqual({
      clientId: 'PlatformCLI',
      clientSecret: null,
      refreshToken: '5Aep861abc.def==',
      loginHost: 'https://acme.my.salesforce.com',
    });
    expect(parseSfdxAuthUrl('  force://3MVG9key:s3cret:5Aep861x@test.salesforce.com/\n')).toEqual({
      clientId: '3MVG9key',
      clientSecret: 's3cret',
      refreshToken: '5Aep861x',
      loginHost: 'https://test.salesforce.com',
    });
  });

  it('takes a loopback host over plain http, and turns a Lightning host into its My Domain', () => {
    expect(parseSfdxAuthUrl('force://c::r@127.0.0.1:8443').loginHost).toBe('http://127.0.0.1:8443');
    expect(parseSfdxAuthUrl('force://c::r@localhost').loginHost).toBe('http://localhost');
    expect(parseSfdxAuthUrl('force://c::r@acme.lightning.force.com').loginHost).toBe('https://acme.my.salesforce.com');
  });

  it('refuses anything else with the expected shape, never echoing what it was given', () => {
    for (const bad of [
      '',
      'https://acme.my.salesforce.com',
      'force://c:r@acme.my.salesforce.com',
      'force://:s:r@acme.my.salesforce.com',
      'force://c:s:@acme.my.salesforce.com',
      'force://c:s:r@acme.my.salesforce.com/services/oauth2',
      'force://c:s:r@acme.my.salesforce.com?x=1 y',
      'force://c:s:5Aep861secret token@acme.my.salesforce.com',
    ]) {
      let error: unknown;
      try {
        parseSfdxAuthUrl(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toMatchObject({
        code: 'import/invalid',
        message: expect.stringMatching(/force:\/\/<client id>/),
      });
      if (bad.includes('5Aep861secret')) expect((error as Error).message).not.toContain('5Aep861secret');
    }
  });

  it('refuses a host that is not a login host, as a typed error', () => {
    expect(() => parseSfdxAuthUrl('force://c::r@intranet')).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/login_host/) }),
    );
  });
});
