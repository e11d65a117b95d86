/** The wizard's methods as descriptors: what each says and which request its form makes. */
import { describe, expect, it } from 'vitest';
import { METHOD, say, type WizardMethod } from '../../renderer/lib/sign-in-methods';
import { MethodFields } from '../../renderer/state/add-org.svelte';
import { org } from './support';

describe('METHOD', () => {
  it('builds each sign-in request from the form, and keeps no password once it is sent', () => {
    const f = new MethodFields();
    f.username = ' admin@acme.com ';
    f.password = 'pw';
    f.securityToken = ' tok ';
    expect(METHOD.password.request(f)).toEqual({
      method: 'password',
      username: 'admin@acme.com',
      password: 'pw',
      securityToken: 'tok',
    });
    expect([f.password, f.securityToken]).toEqual(['', '']);
    expect(METHOD['jwt_bearer'].request(f)).toEqual({ method: 'jwt_bearer', username: 'admin@acme.com' });
    f.audience = 'https://test.salesforce.com';
    expect(METHOD['jwt_bearer'].request(f)).toMatchObject({ audience: 'https://test.salesforce.com' });
    f.subjectToken = 'eyJ';
    expect(METHOD['token_exchange'].request(f)).toEqual({
      method: 'token_exchange',
      subjectToken: 'eyJ',
      subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
    });
    expect(METHOD.device.request(f)).toEqual({ method: 'device' });
    expect(METHOD['user_agent'].request(f)).toEqual({ method: 'user_agent' });
  });

  it('warns before the user-agent flow that the web server flow with PKCE is safer', () => {
    const note = METHOD['user_agent'].form.note!;
    expect(note.warning).toBe(true);
    expect(note.text).toMatch(/RFC 9700/);
    expect(note.text).toMatch(/PKCE/);
    expect(METHOD['user_agent'].form.profile).toEqual({ secret: false, key: false, callback: true });
  });

  it('words a pasted token by its kind and whether it joins an org', () => {
    const c = { reauth: true, tokenKind: 'refresh' } as const;
    const form = METHOD['pasted'].form;
    expect([say(form.submit, c), say(form.submit, { ...c, reauth: false })]).toEqual([
      'Attach the token',
      'Add the org',
    ]);
    expect(say(METHOD['pasted'].working, c)).toBe('Checking the refresh token with the server…');
    expect(METHOD['pasted'].signedIn(org('a', { label: 'Alpha' }), { ...c, reauth: false })).toBe(
      'Added Alpha (a@x.example) with the pasted refresh token.',
    );
  });

  it('offers only the methods that can sign an existing org in again when re-authenticating', () => {
    const reauth = (Object.keys(METHOD) as WizardMethod[]).filter((m) => METHOD[m].reauth);
    expect(reauth).not.toContain('salesforce_cli');
    expect(reauth).not.toContain('sfdx_auth_url');
    expect(reauth).toContain('pasted');
  });
});
