/** Login host rules: what people type or paste becomes an origin (Salesforce) or an issuer, or a message that shows the right form. */
import { describe, expect, it } from 'vitest';
import { isSalesforceHost } from '../../main/oauth/authorization-server';
import { normalizeLoginHost, orgTypeFromHost } from '../../main/oauth/login-host';

describe('login hosts', () => {
  it('maps production and sandbox to Salesforce’s login hosts', () => {
    expect(normalizeLoginHost('production')).toBe('https://login.salesforce.com');
    expect(normalizeLoginHost(' Sandbox ')).toBe('https://test.salesforce.com');
  });

  it.each([
    ['acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    ['  acme.my.salesforce.com/lightning/setup/Home  ', 'https://acme.my.salesforce.com'],
    ['https://acme--dev.sandbox.my.salesforce.com/', 'https://acme--dev.sandbox.my.salesforce.com'],
    ['https://acme--dev.sandbox.my.salesforce.com/?x=1#y', 'https://acme--dev.sandbox.my.salesforce.com'],
    ['HTTPS://ACME.MY.SALESFORCE.COM', 'https://acme.my.salesforce.com'],
    ['acme.my.salesforce.com.', 'https://acme.my.salesforce.com'],
    ['https://acme.lightning.force.com/lightning/page/home', 'https://acme.my.salesforce.com'],
    ['acme--uat.sandbox.lightning.force.com', 'https://acme--uat.sandbox.my.salesforce.com'],
    ['https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home', 'https://acme.my.salesforce.com'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://localhost:3000/', 'http://localhost:3000'],
  ])('normalizes %s', (typed, origin) => {
    expect(normalizeLoginHost(typed)).toBe(origin);
  });

  it.each([
    ['https://idp.example/realms/acme', 'https://idp.example/realms/acme'],
    ['  idp.example/realms/acme/  ', 'https://idp.example/realms/acme'],
    ['https://acme.okta.com/oauth2/default', 'https://acme.okta.com/oauth2/default'],
    ['https://acme.okta.com/oauth2/default/?x=1#y', 'https://acme.okta.com/oauth2/default'],
    [
      'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
      'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
    ],
    ['HTTPS://IDP.EXAMPLE./api/oidc', 'https://idp.example/api/oidc'],
    ['http://127.0.0.1:8080/path', 'http://127.0.0.1:8080/path'],
    ['https://idp.example/', 'https://idp.example'],
  ])('keeps the path of an issuer that is not Salesforce: %s', (typed, issuer) => {
    expect(normalizeLoginHost(typed)).toBe(issuer);
  });

  it('still refuses credentials and plain http in an issuer with a path', () => {
    expect(() => normalizeLoginHost('https://user:pw@idp.example/realms/acme')).toThrow(/user name or password/);
    expect(() => normalizeLoginHost('http://idp.example/realms/acme')).toThrow(/https/);
  });

  it.each([
    ['', /Enter a My Domain/],
    ['   ', /Enter a My Domain/],
    ['http://acme.my.salesforce.com', /use https/],
    ['ftp://acme.example', /https:\/\//],
    ['javascript:alert(1)', /not a web address|https/],
    ['https://user:pw@acme.my.salesforce.com', /user name or password/],
    ['acme', /not a full host name/],
    ['not a host', /not a web address/],
  ])('refuses %j with a helpful message', (typed, message) => {
    expect(() => normalizeLoginHost(typed)).toThrow(
      expect.objectContaining({ code: 'oauth/invalid_login_host', message: expect.stringMatching(message) }),
    );
  });

  it('never echoes a pasted password back in its message', () => {
    try {
      normalizeLoginHost('https://admin:hunter2@acme.my.salesforce.com');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it('guesses the org type from the host', () => {
    expect(orgTypeFromHost('https://acme--uat.sandbox.my.salesforce.com')).toBe('sandbox');
    expect(orgTypeFromHost('https://acme--uat.my.salesforce.com')).toBe('sandbox');
    expect(orgTypeFromHost('https://test.salesforce.com')).toBe('sandbox');
    expect(orgTypeFromHost('https://fun-dog-123.scratch.my.salesforce.com')).toBe('scratch');
    expect(orgTypeFromHost('https://acme-dev-ed.develop.my.salesforce.com')).toBe('developer');
    expect(orgTypeFromHost('https://acme.my.salesforce.com')).toBe('production');
    expect(orgTypeFromHost('https://login.salesforce.com')).toBe('production');
    expect(orgTypeFromHost('http://127.0.0.1:3000')).toBe('unknown');
    expect(orgTypeFromHost('https://id.example--x.com')).toBe('unknown');
  });

  it('gives a login host with its type hint and whether Salesforce runs it', () => {
    const hosts = ['acme--dev.sandbox.my.salesforce.com', 'https://idp.example/realms/acme/', 'http://127.0.0.1:4000'];
    expect(
      hosts.map((h) => {
        const url = normalizeLoginHost(h);
        return { url, orgTypeHint: orgTypeFromHost(url), salesforce: isSalesforceHost(url) };
      }),
    ).toEqual([
      { url: 'https://acme--dev.sandbox.my.salesforce.com', orgTypeHint: 'sandbox', salesforce: true },
      { url: 'https://idp.example/realms/acme', orgTypeHint: 'unknown', salesforce: false },
      { url: 'http://127.0.0.1:4000', orgTypeHint: 'unknown', salesforce: false },
    ]);
  });
});
