/**
 * A tester pastes a token got elsewhere: as a new org, or attached to an org the app has. The app finds
 * out whose it is from the server, stores it encrypted, and every operation (introspect, test, revoke)
 * then works on it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRouter } from '../../main/ipc/router';
import { argumentSchemas } from '../../main/ipc/schemas';
import type { AppProfile } from '../../preload/contract';
import { DEFAULT_ORG_ID, DEFAULT_USER } from '../servers/salesforce-double';
import { failureOf } from '../support/failure';
import { startWorld, tokensFor, type World } from '../support/sign-in';
import { testHandlers, type TestServices } from '../support/test-services';

const OTHER = { ...DEFAULT_USER, userId: '0055g00000OtHeRAAV', username: 'other@acme.example', displayName: 'Other' };

let world: World;
let services: TestServices;
let profile: AppProfile;
/** Tokens a sign-in elsewhere gave each user. */
const got: Record<string, { access: string; refresh: string }> = {};

beforeEach(async () => {
  world = await startWorld({
    double: { orgs: [{ orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [DEFAULT_USER, OTHER] }] },
  });
  for (const user of [DEFAULT_USER, OTHER]) got[user.username] = await tokensFor(world, user.username);
  services = await testHandlers();
  profile = await services.handlers.saveAppProfile({
    name: 'Tester app',
    kind: 'connected-app',
    consumerKey: world.profile.consumerKey,
    callbackUrl: world.callbackUrl,
    scopes: ['api', 'refresh_token'],
  });
});
afterEach(async () => {
  await services?.close();
  await world?.close();
});

const attach = (kind: 'access' | 'refresh', token: string, orgRef?: string) =>
  services.handlers.attachToken({
    profileId: profile.id,
    loginHost: world.double.loginUrl,
    kind,
    token,
    ...(orgRef ? { orgRef } : {}),
  });

describe('paste a token', () => {
  it('makes an org of a pasted access token, and introspect, test and revoke work on it', async () => {
    const access = got[DEFAULT_USER.username]!.access;
    const org = await attach('access', access);
    expect(org).toMatchObject({
      username: DEFAULT_USER.username,
      orgId18: DEFAULT_ORG_ID,
      instanceUrl: world.double.orgs[0]!.myDomainUrl,
      grant: 'pasted',
    });
    expect(org.tokens.map((t) => t.kind)).toEqual(['access']);
    // Its expiry came from introspection: Salesforce sends none with a token.
    expect(org.tokens[0]!.expiresAt).toBeGreaterThan(Date.now());
    expect(await services.handlers.introspectToken({ id: org.id, kind: 'access' })).toMatchObject({ active: true });
    expect(await services.handlers.testToken({ id: org.id })).toMatchObject({ ok: true });
    expect(await services.handlers.revokeToken({ id: org.id, kind: 'access' })).toMatchObject({ revoked: 'access' });
    expect(world.double.isTokenActive(access)).toBe(false);
  });

  it('gets an access token with a pasted refresh token', async () => {
    const org = await attach('refresh', got[DEFAULT_USER.username]!.refresh);
    // The grant had openid: the refresh brings an ID token too.
    expect(org.tokens.map((t) => t.kind).sort()).toEqual(['access', 'id', 'refresh']);
    expect(org.grant).toBe('authorization_code');
    expect(await services.handlers.refreshOrg({ id: org.id })).toMatchObject({ status: 'connected' });
  });

  it("replaces only the org's access token when one is attached, and refuses another user's token", async () => {
    const org = await attach('refresh', got[DEFAULT_USER.username]!.refresh);
    const refreshHint = org.tokens.find((t) => t.kind === 'refresh')!.hint;
    await services.handlers.updateOrg({ id: org.id, label: 'Acme (tester)' });

    const attached = await attach('access', got[DEFAULT_USER.username]!.access, org.id);
    expect(attached).toMatchObject({ id: org.id, label: 'Acme (tester)' });
    expect(await services.vault.readToken(org.id, 'access')).toBe(got[DEFAULT_USER.username]!.access);
    expect(attached.tokens.find((t) => t.kind === 'refresh')?.hint).toBe(refreshHint);

    expect(await failureOf(attach('access', got[OTHER.username]!.access, org.id))).toMatchObject({
      code: 'token/wrong_org',
      message: expect.stringMatching(/belongs to other@acme\.example .* Add it as a new org instead/),
    });
    expect(await services.vault.readToken(org.id, 'access')).toBe(got[DEFAULT_USER.username]!.access);
    expect(services.vault.listOrgs()).toHaveLength(1);
  });

  it('says a dead token is dead, and refuses a paste with spaces in it before it reaches the server', async () => {
    const access = got[DEFAULT_USER.username]!.access;
    await world.services.handlers.revokeToken({ id: world.services.vault.listOrgs()[0]!.record.id, kind: 'refresh' });
    expect(await failureOf(attach('access', access))).toMatchObject({ code: 'sf/session_expired' });
    expect(services.vault.listOrgs()).toEqual([]);

    const router = createRouter(services.handlers, argumentSchemas);
    const requests = world.double.requests.length;
    const r = await router.dispatch('attachToken', {
      profileId: profile.id,
      loginHost: 'production',
      kind: 'access',
      token: 'two words',
    });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'ipc/bad_argument', message: expect.stringMatching(/no spaces/) },
    });
    expect(world.double.requests.length).toBe(requests);
  });
});
