import { describe, expect, it } from 'vitest';
import { argumentSchemas } from '../../main/ipc/schemas';
import { API_METHODS, MAX_TOKEN_CHARS, type ApiMethod } from '../../preload/contract';

const accepts = (method: ApiMethod, arg: unknown) => argumentSchemas[method].safeParse(arg).success;
const parsed = (method: ApiMethod, arg: unknown) => argumentSchemas[method].parse(arg);

describe('bridge argument schemas', () => {
  it('exist for exactly the methods of the contract', () => {
    expect(Object.keys(argumentSchemas).sort()).toEqual([...API_METHODS].sort());
  });

  it('refuse unknown keys, so nothing unexpected reaches a handler', () => {
    expect(accepts('refreshOrg', { id: 'o1' })).toBe(true);
    expect(accepts('refreshOrg', { id: 'o1', extra: true })).toBe(false);
    expect(
      accepts('beginSignIn', {
        profileId: 'p',
        loginHost: 'https://login.salesforce.com',
        method: 'device',
        username: 'x',
      }),
    ).toBe(false);
    expect(accepts('saveSettings', { theme: 'dark', sneaky: 1 })).toBe(false);
    for (const method of ['getAppInfo', 'listOrgs', 'exportOrgs'] as const) {
      expect(accepts(method, undefined)).toBe(true);
      expect(accepts(method, {})).toBe(false);
    }
  });

  it('let a token one character over the limit through, so the inspector can say it is too long', () => {
    expect(accepts('inspectToken', { token: 'x'.repeat(MAX_TOKEN_CHARS + 1) })).toBe(true);
    expect(accepts('inspectToken', { token: 'x'.repeat(MAX_TOKEN_CHARS + 2) })).toBe(false);
  });

  it('trim pasted tokens but refuse whitespace inside them', () => {
    const attach = { profileId: 'p', loginHost: 'https://login.salesforce.com', kind: 'access' };
    expect(parsed('attachToken', { ...attach, token: '  00D!AQabc\n' })).toMatchObject({ token: '00D!AQabc' });
    expect(accepts('attachToken', { ...attach, token: '00D!AQ abc' })).toBe(false);
    expect(accepts('attachToken', { ...attach, token: '   ' })).toBe(false);
    expect(accepts('attachToken', { ...attach, kind: 'id', token: 't' })).toBe(false);
  });

  it('take scopes as single words, colors as #rrggbb, and an https or http audience', () => {
    const profile = { name: 'App', kind: 'connected-app', consumerKey: 'k', callbackUrl: 'http://localhost:1717/cb' };
    expect(accepts('saveAppProfile', { ...profile, scopes: ['api', 'refresh_token'] })).toBe(true);
    expect(accepts('saveAppProfile', { ...profile, scopes: ['api web'] })).toBe(false);
    expect(accepts('saveAppProfile', { ...profile, scopes: ['"api"'] })).toBe(false);
    expect(accepts('updateOrg', { id: 'o', color: '#a1B2c3' })).toBe(true);
    expect(accepts('updateOrg', { id: 'o', color: null })).toBe(true);
    expect(accepts('updateOrg', { id: 'o', color: 'red' })).toBe(false);
    const jwt = { profileId: 'p', loginHost: 'https://login.salesforce.com', method: 'jwt_bearer', username: 'u@x' };
    expect(accepts('beginSignIn', { ...jwt, audience: 'https://test.salesforce.com' })).toBe(true);
    expect(accepts('beginSignIn', { ...jwt, audience: 'javascript:alert(1)' })).toBe(false);
  });

  it('trim labels and refuse empty ids and labels', () => {
    expect(parsed('updateOrg', { id: 'o', label: '  Acme  ' })).toEqual({ id: 'o', label: 'Acme' });
    expect(accepts('updateOrg', { id: 'o', label: '   ' })).toBe(false);
    expect(accepts('signOut', { id: '' })).toBe(false);
    expect(accepts('importCliOrgs', { usernames: [] })).toBe(false);
  });
});
