/** Which callback URLs an app profile may have, and which of the two ways each is received. */
import { describe, expect, it } from 'vitest';
import { acceptCallbackUrl } from '../../main/oauth/callback-url';

describe('a callback URL', () => {
  it('on this computer is received by the listener, normalised as the listener reads it', () => {
    expect(acceptCallbackUrl('http://localhost:1717/OauthRedirect')).toEqual({
      href: 'http://localhost:1717/OauthRedirect',
      receiver: 'loopback',
    });
    expect(acceptCallbackUrl(' http://127.0.0.1/callback ')).toEqual({
      href: 'http://127.0.0.1/callback',
      receiver: 'loopback',
    });
  });

  it('elsewhere over https is pasted by hand, kept exactly as typed', () => {
    for (const href of [
      'https://login.salesforce.com/services/oauth2/success',
      'https://www.example.com',
      'https://login.salesforce.com/',
      'https://app.example/cb?tenant=a',
    ]) {
      expect(acceptCallbackUrl(href)).toEqual({ href, receiver: 'paste' });
    }
  });

  it('is refused, saying what works, when it is neither', () => {
    for (const text of [
      'not a url',
      'http://www.example.com/cb',
      'https://localhost/cb',
      'https://u:p@www.example.com/cb',
      'https://www.example.com/#x',
      'myapp://callback',
      'ftp://www.example.com/cb',
    ]) {
      expect(() => acceptCallbackUrl(text), text).toThrow(
        expect.objectContaining({ code: 'oauth/invalid_redirect_uri' }),
      );
    }
    expect(() => acceptCallbackUrl('myapp://callback')).toThrow(/https address/);
  });
});
