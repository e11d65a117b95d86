import { describe, expect, it } from 'vitest';
import { keySourceOf } from '../../main/tokens/key-source';

describe('keySourceOf', () => {
  it('sends a Salesforce issuer to its /id/keys, path kept and a trailing slash dropped', () => {
    expect(keySourceOf('https://acme.my.salesforce.com')).toEqual({
      issuer: 'https://acme.my.salesforce.com',
      url: 'https://acme.my.salesforce.com/id/keys',
      via: 'salesforce-keys',
    });
    expect(keySourceOf('https://login.salesforce.com/')?.url).toBe('https://login.salesforce.com/id/keys');
    expect(keySourceOf('https://acme.my.site.force.com/portal')?.url).toBe(
      'https://acme.my.site.force.com/portal/id/keys',
    );
    expect(keySourceOf('https://test.salesforce.com')?.via).toBe('salesforce-keys');
  });

  it('sends any other issuer to OpenID Connect discovery, without a doubled slash', () => {
    expect(keySourceOf('https://accounts.example.com')).toEqual({
      issuer: 'https://accounts.example.com',
      url: 'https://accounts.example.com/.well-known/openid-configuration',
      via: 'oidc-discovery',
    });
    expect(keySourceOf('https://idp.example.com/realms/acme/')?.url).toBe(
      'https://idp.example.com/realms/acme/.well-known/openid-configuration',
    );
    // A Salesforce look-alike host is not Salesforce.
    expect(keySourceOf('https://salesforce.com.evil.example')?.via).toBe('oidc-discovery');
  });

  it('takes plain http only on loopback, where test servers run', () => {
    expect(keySourceOf('http://127.0.0.1:4000')).toMatchObject({
      url: 'http://127.0.0.1:4000/.well-known/openid-configuration',
      via: 'oidc-discovery',
    });
    expect(keySourceOf('http://localhost:4000/realm')?.url).toBe(
      'http://localhost:4000/realm/.well-known/openid-configuration',
    );
    // An http Salesforce host is not one: no keys over cleartext.
    expect(keySourceOf('http://acme.my.salesforce.com')).toBeNull();
    expect(keySourceOf('http://idp.example.com')).toBeNull();
  });

  it('names no source for what is not an issuer identifier', () => {
    for (const iss of [
      undefined,
      null,
      42,
      ['https://a.example'],
      '',
      'acme',
      'urn:example:issuer',
      'ftp://idp.example.com',
      'https://idp.example.com/?tenant=a',
      'https://idp.example.com/#x',
      'https://user:pass@idp.example.com',
    ]) {
      expect(keySourceOf(iss), String(iss)).toBeNull();
    }
  });
});
