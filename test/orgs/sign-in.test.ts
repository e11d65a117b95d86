/**
 * Sign-in and every token operation, through the real bridge handlers, against the Salesforce double over
 * real HTTP on 127.0.0.1. The browser's part is a real HTTP client filling the login form.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { signIn, startWorld, type World } from '../support/sign-in';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

async function codeOf(p: unknown): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

describe('sign in with the web server flow', () => {
  it('opens the system browser with PKCE, state and prompt=login, and lists the org with its tokens', async () => {
    world = await startWorld();
    const org = await signIn(world);
    const authorize = new URL(world.services.opened[0]!);
    expect(authorize.pathname).toBe('/services/oauth2/authorize');
    expect(authorize.searchParams.get('prompt')).toBe('login');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')!.length).toBeGreaterThanOrEqual(22);
    expect(authorize.searchParams.get('redirect_uri')).toBe(world.callbackUrl);

    const sfOrg = world.double.orgs[0]!;
    expect(org).toMatchObject({
      orgId: sfOrg.orgId.slice(0, 15),
      orgId18: sfOrg.orgId,
      username: 'admin@acme.example',
      displayName: 'Ada Admin',
      instanceUrl: sfOrg.myDomainUrl,
      status: 'connected',
      profileId: world.profile.id,
    });
    const access = org.tokens.find((t) => t.kind === 'access')!;
    expect(access).toMatchObject({
      format: 'opaque',
      status: 'active',
      scopes: ['api', 'refresh_token', 'openid', 'id'],
    });
    // Salesforce sends no expires_in: the expiry came from introspection (2 h session timeout).
    expect(access.expiresAt! - Date.now()).toBeGreaterThan(7_100_000);
    expect(org.tokens.map((t) => t.kind).sort()).toEqual(['access', 'id', 'refresh']);
    await expect.poll(() => world!.pages.join()).toContain('Signed in to');
    expect((await world.services.handlers.listOrgs(undefined)).map((o) => o.id)).toEqual([org.id]);
  });

  it('reads the expiry of a JWT-based access token from its exp', async () => {
    world = await startWorld({ app: { tokenFormat: 'jwt' } });
    const org = await signIn(world);
    const access = org.tokens.find((t) => t.kind === 'access')!;
    expect(access.format).toBe('jwt');
    expect(Math.abs(access.expiresAt! - (Date.now() + 7_200_000))).toBeLessThan(5000);
    const decoded = await world.services.handlers.inspectOrgToken({ id: org.id, kind: 'access' });
    expect(decoded).toMatchObject({ kind: 'jws', label: 'Salesforce JWT access token' });
    // Both JWTs are signed by the keys the login host publishes at /id/keys.
    expect(await world.services.handlers.verifyOrgToken({ id: org.id, kind: 'access' })).toMatchObject({
      result: 'valid',
      jwksUrl: `${world.double.loginUrl}/id/keys`,
    });
    expect((await world.services.handlers.verifyOrgToken({ id: org.id, kind: 'id' })).result).toBe('valid');
    expect((await world.services.handlers.verifyOrgToken({ id: org.id, kind: 'refresh' })).result).toBe('not-a-jwt');
    const info = await world.services.handlers.getUserInfo({ id: org.id });
    expect(info.claims).toContainEqual({ name: 'preferred_username', value: 'admin@acme.example' });
  });

  it('re-authenticates an org in place, keeping its label and settings', async () => {
    world = await startWorld();
    const first = await signIn(world, world.double.loginUrl, { label: 'Acme prod' });
    await world.services.handlers.updateOrg({ id: first.id, color: '#ff0000', pinned: true });
    const again = await signIn(world, world.double.loginUrl, { orgRef: first.id });
    expect(again).toMatchObject({ id: first.id, label: 'Acme prod', color: '#ff0000', pinned: true });
    expect(again.tokens.find((t) => t.kind === 'access')!.hint).not.toBe(
      first.tokens.find((t) => t.kind === 'access')!.hint,
    );
    expect(await world.services.handlers.listOrgs(undefined)).toHaveLength(1);
  });

  it('says access was denied when the user presses Deny', async () => {
    world = await startWorld();
    world.browser.decision = 'deny';
    expect(await codeOf(signIn(world))).toBe('oauth/access_denied');
    await expect.poll(() => world!.pages.join()).toMatch(/Sign-in did not finish/);
  });

  it('explains an app the user is not approved for', async () => {
    world = await startWorld({ app: { approved: false } });
    const error = await signIn(world).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('oauth/app_not_approved');
    expect((error as AppError).message).toMatch(/admin must pre-authorize/);
  });

  it('can be cancelled while the browser is open', async () => {
    world = await startWorld();
    world.services.onOpen = null;
    const started = await world.services.handlers.beginSignIn({
      profileId: world.profile.id,
      loginHost: world.double.loginUrl,
      method: 'authorization_code',
    });
    const waiting = world.services.handlers.awaitSignIn({ flowId: started.flowId });
    await world.services.handlers.cancelSignIn({ flowId: started.flowId });
    expect(await codeOf(waiting)).toBe('oauth/cancelled');
  });

  it('refuses a login host that is not a server and a typed My Domain that is not a URL', async () => {
    world = await startWorld();
    expect(await codeOf(signIn(world, 'not a host'))).toBe('oauth/invalid_login_host');
    expect(await codeOf(signIn(world, 'http://evil.example'))).toBe('oauth/invalid_login_host');
  });

  it('signs in at a My Domain login host too', async () => {
    world = await startWorld();
    const org = await signIn(world, world.double.orgs[0]!.myDomainUrl);
    expect(org.loginHost).toBe(world.double.orgs[0]!.myDomainUrl);
  });
});

describe('token operations', () => {
  it('refreshes without rotation, keeping the old refresh token, and with rotation, saving the new one', async () => {
    world = await startWorld();
    const org = await signIn(world);
    const refreshHint = org.tokens.find((t) => t.kind === 'refresh')!.hint;
    const refreshed = await world.services.handlers.refreshOrg({ id: org.id });
    expect(refreshed.tokens.find((t) => t.kind === 'refresh')!.hint).toBe(refreshHint);
    expect(refreshed.tokens.find((t) => t.kind === 'access')!.hint).not.toBe(
      org.tokens.find((t) => t.kind === 'access')!.hint,
    );
    await world.close();

    world = await startWorld({ app: { rotateRefreshTokens: true } });
    const rotating = await signIn(world);
    const oldRefresh = (await world.services.handlers.revealToken({ id: rotating.id, kind: 'refresh' })).token;
    await world.services.handlers.refreshOrg({ id: rotating.id });
    const newRefresh = (await world.services.handlers.revealToken({ id: rotating.id, kind: 'refresh' })).token;
    expect(newRefresh).not.toBe(oldRefresh);
    expect(world.double.isTokenActive(oldRefresh)).toBe(false);
    expect(world.double.isTokenActive(newRefresh)).toBe(true);
    await world.services.handlers.refreshOrg({ id: rotating.id });
  });

  it('runs one refresh at a time per org, so parallel refreshes against a rotating server all succeed', async () => {
    world = await startWorld({ app: { rotateRefreshTokens: true } });
    const org = await signIn(world);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => world!.services.handlers.refreshOrg({ id: org.id })),
    );
    expect(world.double.refreshGrants()).toBe(1);
    expect(new Set(results.map((r) => r.tokens.find((t) => t.kind === 'access')!.hint)).size).toBe(1);
    await world.services.handlers.refreshOrg({ id: org.id });
    expect(world.double.refreshGrants()).toBe(2);
  });

  it('refreshes once and retries when an API call gets 401 after the session timed out', async () => {
    world = await startWorld();
    const org = await signIn(world);
    world.double.advance(3 * 3600_000);
    const result = await world.services.handlers.testToken({ id: org.id });
    expect(result).toMatchObject({ ok: true, refreshed: true });
    expect(result.apiVersions).toContain('62.0');
    expect(result.limits.find((l) => l.name === 'DailyApiRequests')).toEqual({
      name: 'DailyApiRequests',
      max: 15000,
      remaining: 14998,
    });
    expect(world.double.refreshGrants()).toBe(1);
  });

  it('revokes the access token for real: introspection and the API say it is gone, the refresh token still works', async () => {
    world = await startWorld();
    const org = await signIn(world);
    const access = (await world.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
    const result = await world.services.handlers.revokeToken({ id: org.id, kind: 'access' });
    expect(result.summary).toMatch(/refresh token still works/);
    expect(world.double.isTokenActive(access)).toBe(false);
    expect((await world.services.handlers.introspectToken({ id: org.id, kind: 'access' })).active).toBe(false);
    const listed = (await world.services.handlers.listOrgs(undefined))[0]!;
    expect(listed.tokens.find((t) => t.kind === 'access')!.status).toBe('revoked');
    expect(result.confirmed).toMatchObject({ active: false });
    expect(result.summary).toMatch(/Introspection right after confirms it is inactive/);
    // No silent undo: the test reports the revoked token as refused, and does not refresh behind the user's back.
    const refused = world.services.handlers.testToken({ id: org.id });
    await expect(refused).rejects.toMatchObject({ code: 'token/revoked', message: expect.stringMatching(/Refresh/) });
    expect(world.double.refreshGrants()).toBe(0);
    await world.services.handlers.refreshOrg({ id: org.id });
    expect((await world.services.handlers.testToken({ id: org.id })).refreshed).toBe(false);
  });

  it('revoking the refresh token takes its access tokens with it', async () => {
    world = await startWorld();
    const org = await signIn(world);
    const access = (await world.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
    const refresh = (await world.services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    const result = await world.services.handlers.revokeToken({ id: org.id, kind: 'refresh' });
    expect(result.summary).toMatch(/access token issued from it stopped too/);
    const listedTokens = (await world.services.handlers.listOrgs(undefined))[0]!.tokens;
    expect(listedTokens.find((t) => t.kind === 'access')!.evidence.revoked).toMatchObject({ by: 'refresh_token' });
    expect(world.double.isTokenActive(refresh)).toBe(false);
    expect(world.double.isTokenActive(access)).toBe(false);
    expect(await codeOf(world.services.handlers.refreshOrg({ id: org.id }))).toBe('oauth/invalid_grant');
    expect((await world.services.handlers.listOrgs(undefined))[0]!.status).toBe('needs-sign-in');
  });

  it('revokes what a racing refresh leaves behind: the rotated refresh token, not the one it replaced', async () => {
    world = await startWorld({ app: { rotateRefreshTokens: true } });
    const org = await signIn(world);
    const [refreshed, revoked] = await Promise.all([
      world.services.handlers.refreshOrg({ id: org.id }),
      world.services.handlers.revokeToken({ id: org.id, kind: 'refresh' }),
    ]);
    expect(refreshed.id).toBe(org.id);
    expect(revoked.revoked).toBe('refresh');
    const latest = (await world.services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    const access = (await world.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
    expect(world.double.isTokenActive(latest)).toBe(false);
    expect(world.double.isTokenActive(access)).toBe(false);
    expect(
      (await world.services.handlers.listOrgs(undefined))[0]!.tokens.find((t) => t.kind === 'refresh')!.status,
    ).toBe('revoked');
  });

  it('signs out: revokes at the server and forgets the org', async () => {
    world = await startWorld();
    const org = await signIn(world);
    const refresh = (await world.services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    const result = await world.services.handlers.signOut({ id: org.id });
    expect(result.revoked).toBe('refresh');
    expect(result.summary).toMatch(/revoked the refresh token/);
    expect(world.double.isTokenActive(refresh)).toBe(false);
    expect(await world.services.handlers.listOrgs(undefined)).toEqual([]);
  });

  it('opens the org through singleaccess, never with the token in the URL', async () => {
    world = await startWorld();
    const org = await signIn(world);
    const access = (await world.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
    await world.services.handlers.openOrgInBrowser({ id: org.id });
    const opened = world.services.opened.at(-1)!;
    expect(opened).toMatch(/\/secur\/frontdoor\.jsp\?otp=/);
    expect(opened).not.toContain(access);
    expect(opened).not.toContain('sid=');
  });

  it('opens the org at a Setup page like `sf org open --path`, or copies the one-time link instead', async () => {
    world = await startWorld();
    const org = await signIn(world);
    await world.services.handlers.openOrgInBrowser({ id: org.id, path: '/lightning/setup/SetupOneHome/home' });
    expect(world.services.opened.at(-1)).toMatch(
      /\/secur\/frontdoor\.jsp\?otp=[\w-]+&startURL=%2Flightning%2Fsetup%2FSetupOneHome%2Fhome$/,
    );
    const opened = world.services.opened.length;
    await world.services.handlers.openOrgInBrowser({ id: org.id, copyLink: true });
    expect(world.services.opened).toHaveLength(opened);
    expect(world.services.clipboard.at(-1)).toMatch(/\/secur\/frontdoor\.jsp\?otp=/);
  });

  it('copies in main and introspects the refresh token', async () => {
    world = await startWorld();
    const org = await signIn(world);
    await world.services.handlers.copyToken({ id: org.id, kind: 'access' });
    expect(world.services.clipboard).toEqual([
      (await world.services.handlers.revealToken({ id: org.id, kind: 'access' })).token,
    ]);
    const view = await world.services.handlers.introspectToken({ id: org.id, kind: 'refresh' });
    expect(view).toMatchObject({ active: true, username: 'admin@acme.example', tokenType: 'refresh_token' });
  });

  it('exports without secrets and imports what it can', async () => {
    world = await startWorld();
    const org = await signIn(world);
    const exported = await world.services.handlers.exportOrgs(undefined);
    expect(exported).toMatchObject({ orgs: 1, profiles: 1 });
    const text = world.services.exported[0]!.content;
    for (const kind of ['access', 'refresh'] as const) {
      expect(text).not.toContain((await world.services.handlers.revealToken({ id: org.id, kind })).token);
    }
    world.services.importText = text;
    const report = await world.services.handlers.importOrgs(undefined);
    expect(report).toMatchObject({ imported: 0 });
    expect(report!.skipped).toHaveLength(2);
  });
});
