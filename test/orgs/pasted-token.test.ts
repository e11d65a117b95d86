/**
 * Acting on a pasted token where it belongs (main/orgs/pasted-token.ts): which stored org and app profile it
 * names, read without any network, and introspection and revocation at that org, or at a login host with an
 * app profile. Real vault, the Salesforce double and oidc-provider on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ORG_ID, DEFAULT_USER } from '../servers/salesforce-double';
import { SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET, startOidcPeer, type OidcPeer } from '../servers/oidc-peer';
import { signIn, signInVia, startWorld, tokensFor, type World } from '../support/sign-in';
import { testHandlers, type TestServices } from '../support/test-services';

let world: World | null = null;
let peer: OidcPeer | null = null;
let services: TestServices | null = null;
let bare: Server | null = null;
afterEach(async () => {
  await world?.close();
  await services?.close();
  await peer?.close();
  await new Promise((ok) => (bare ? bare.close(ok) : ok(null)));
  world = peer = services = bare = null;
});

const OTHER = { ...DEFAULT_USER, userId: '0055g00000OtHeRAAV', username: 'other@acme.example', displayName: 'Other' };

/** A world with two users in the default org, each signed in once; the first user's tokens are the org's. */
async function twoUsers(app: Parameters<typeof startWorld>[0] = {}) {
  world = await startWorld({
    ...app,
    double: { orgs: [{ orgId: DEFAULT_ORG_ID, name: 'Acme', myDomain: 'acme', users: [DEFAULT_USER, OTHER] }] },
  });
  const admin = await tokensFor(world, DEFAULT_USER.username);
  return { world, admin };
}

describe('matchPastedToken', () => {
  it("finds the org of an opaque access token by its org ID, and knows the org's own token by digest", async () => {
    const { world, admin } = await twoUsers();
    const { handlers } = world.services;
    const match = await handlers.matchPastedToken({ token: `Bearer "${admin.access}"` });
    expect(match).toMatchObject({ orgId: DEFAULT_ORG_ID, issuer: null, clientId: null, profiles: [] });
    expect(match.orgs).toEqual([
      { id: admin.org.id, label: admin.org.label, reason: 'its stored access token; same org ID', sameToken: 'access' },
    ]);
    // An older token of the same org: same org ID, not its stored token.
    await signIn(world);
    const again = await handlers.matchPastedToken({ token: admin.access });
    expect(again.orgs).toEqual([expect.objectContaining({ id: admin.org.id, reason: 'same org ID', sameToken: null })]);
    expect(JSON.stringify(again)).not.toContain(admin.access);
  });

  it('reads a refresh token as naming nothing, yet knows it as the stored one', async () => {
    const { world, admin } = await twoUsers();
    const match = await world.services.handlers.matchPastedToken({ token: admin.refresh });
    expect(match).toMatchObject({ orgId: null, issuer: null, subject: null });
    expect(match.orgs).toEqual([expect.objectContaining({ id: admin.org.id, sameToken: 'refresh' })]);
  });

  it('reads a JWT access token: the org from tnk, the user from sub, the client and its app profile', async () => {
    const { world, admin } = await twoUsers({ app: { tokenFormat: 'jwt' } });
    const theirs = await tokensFor(world, OTHER.username);
    const { handlers } = world.services;
    const match = await handlers.matchPastedToken({ token: admin.access });
    expect(match).toMatchObject({
      orgId: DEFAULT_ORG_ID,
      clientId: world.profile.consumerKey,
      subject: `uid:${DEFAULT_USER.userId}`,
      profiles: [{ id: world.profile.id, name: world.profile.name }],
    });
    // Best first: the admin's org holds this very token; the other user's org is the same org ID only.
    expect(match.orgs.map((o) => [o.id, o.reason])).toEqual([
      [admin.org.id, "its stored access token; same org ID and user; issued to this org's app"],
      [theirs.org.id, "same org ID, another user; issued to this org's app"],
    ]);
  });

  it('matches no org for a token of another org', async () => {
    const { world } = await twoUsers();
    const match = await world.services.handlers.matchPastedToken({ token: `00D000000000001!AR${'x'.repeat(40)}` });
    expect(match.orgs).toEqual([]);
    expect(match.orgId).toBe('00D000000000001EAA');
  });
});

describe('introspecting and revoking a pasted token', () => {
  it("introspects a stored org's token at that org and records it as introspecting it there does", async () => {
    const { world, admin } = await twoUsers();
    const { handlers } = world.services;
    const view = await handlers.introspectPastedToken({ token: admin.access, target: { org: admin.org.id } });
    expect(view).toMatchObject({ active: true, username: DEFAULT_USER.username, clientId: world.profile.consumerKey });
    const history = await handlers.getOrgHistory({ id: admin.org.id });
    expect(history[0]).toMatchObject({ kind: 'introspected', token: 'access' });
  });

  it('revokes a stored token at its org: confirmed, recorded, and the org says so', async () => {
    const { world, admin } = await twoUsers();
    const { handlers } = world.services;
    const result = await handlers.revokePastedToken({ token: admin.access, target: { org: admin.org.id } });
    expect(result).toMatchObject({ revoked: true, confirmed: true });
    expect(result.endpoint).toBe(`${world.double.loginUrl}/services/oauth2/revoke`);
    expect(result.message).toMatch(/Revoked the access token …\S{4} of /);
    expect(result.message).toContain('so the org now shows it as revoked');
    expect(result.message).not.toContain(admin.access);
    expect(world.double.isTokenActive(admin.access)).toBe(false);
    const [org] = await handlers.listOrgs(undefined);
    expect(org!.status).toBe('access-revoked');
    expect(org!.tokens.find((t) => t.kind === 'access')).toMatchObject({ status: 'revoked' });
  });

  it('revokes a stored refresh token pasted at a login host, and the org loses its access token too', async () => {
    const { world, admin } = await twoUsers();
    const { handlers } = world.services;
    const result = await handlers.revokePastedToken({
      token: admin.refresh,
      target: { loginHost: world.double.loginUrl, profileId: world.profile.id },
    });
    expect(result).toMatchObject({ revoked: true, confirmed: true });
    expect(world.double.isTokenActive(admin.access)).toBe(false);
    expect((await handlers.listOrgs(undefined))[0]!.status).toBe('revoked');
  });

  it('revokes a token of an org not in the app, at a login host with an app profile, and confirms it', async () => {
    const { world, admin } = await twoUsers();
    const { handlers } = world.services;
    await signIn(world); // the app now holds a newer token; the pasted one is no stored token
    const result = await handlers.revokePastedToken({
      token: admin.access,
      target: { loginHost: world.double.loginUrl, profileId: world.profile.id },
    });
    expect(result).toMatchObject({ revoked: true, confirmed: true });
    expect(result.message).toMatch(/^Revoked the access token …\S{4} at http:\/\/127\.0\.0\.1:\d+\. Introspection/);
    expect(result.message).toContain("No org in this app stores it, so no org's status changed.");
    expect(world.double.isTokenActive(admin.access)).toBe(false);
    expect((await handlers.listOrgs(undefined))[0]!.status).toBe('connected');
  });

  it('revokes without an app profile where Salesforce allows it, and says it could not confirm', async () => {
    const { world, admin } = await twoUsers();
    await signIn(world);
    const result = await world.services.handlers.revokePastedToken({
      token: admin.access,
      target: { loginHost: world.double.loginUrl, profileId: null },
    });
    expect(result).toMatchObject({ revoked: true, confirmed: null });
    expect(result.message).toContain('Without an app profile it could not be confirmed');
    expect(world.double.isTokenActive(admin.access)).toBe(false);
    await expect(
      world.services.handlers.introspectPastedToken({
        token: admin.refresh,
        target: { loginHost: world.double.loginUrl, profileId: null },
      }),
    ).rejects.toMatchObject({ code: 'oauth/invalid_client', message: expect.stringMatching(/needs a client/) });
  });

  it('says what to do for a deleted app profile, an unreachable host, an ID token and another client', async () => {
    const { world, admin } = await twoUsers({ app: { tokenFormat: 'jwt' } });
    const { handlers } = world.services;
    await expect(
      handlers.revokePastedToken({
        token: admin.access,
        target: { loginHost: world.double.loginUrl, profileId: 'gone' },
      }),
    ).rejects.toMatchObject({
      code: 'profile/not_found',
      message: expect.stringMatching(/Choose another app profile/),
    });
    await expect(
      handlers.introspectPastedToken({
        token: admin.access,
        target: { loginHost: 'http://127.0.0.1:9', profileId: null },
      }),
    ).rejects.toMatchObject({
      code: 'oauth/network',
      message: expect.stringMatching(/Could not reach 127\.0\.0\.1:9\. Check the address/),
    });
    const other = await handlers.saveAppProfile({
      name: 'Another app',
      kind: 'connected-app',
      consumerKey: '3MVG9another',
      callbackUrl: world.callbackUrl,
      scopes: ['api'],
    });
    world.double.apps.push({ clientId: '3MVG9another', callbackUrls: [world.callbackUrl] });
    await expect(
      handlers.introspectPastedToken({
        token: admin.access,
        target: { loginHost: world.double.loginUrl, profileId: other.id },
      }),
    ).rejects.toMatchObject({
      code: 'oauth/foreign_token',
      message: expect.stringMatching(
        /^Salesforce answered "active": false, which is all it says of another app's token: this token was issued to the app 3MVG9double\.consumer\.key, and "Another app" \(3MVG9another\) may introspect only its own tokens unless its app has "Introspect all tokens"\. The token may still be active\..*Setup → App Manager → the app → Edit → API \(Enable OAuth Settings\) → Introspect all tokens/,
      ),
    });
    const idToken = (await world.services.vault.readToken(admin.org.id, 'id'))!;
    await expect(handlers.revokePastedToken({ token: idToken, target: { org: admin.org.id } })).rejects.toMatchObject({
      code: 'oauth/unsupported_token_type',
      message: expect.stringMatching(/revoke the refresh token issued with it/),
    });
    expect(world.double.isTokenActive(admin.access)).toBe(true);
  });
});

describe('at other servers', () => {
  it("introspects and revokes another server's opaque token with the chosen app profile", async () => {
    peer = await startOidcPeer({ clientCredentials: true });
    services = await testHandlers();
    const { handlers } = services;
    const service = await handlers.saveAppProfile({
      name: 'Service client',
      kind: 'oidc',
      consumerKey: SERVICE_CLIENT_ID,
      consumerSecret: SERVICE_CLIENT_SECRET,
      callbackUrl: 'http://127.0.0.1/callback',
      scopes: [],
    });
    const org = await signInVia(handlers, {
      profileId: service.id,
      loginHost: peer.issuer,
      method: 'client_credentials',
    });
    const token = (await handlers.revealToken({ id: org.id, kind: 'access' })).token;
    await handlers.refreshOrg({ id: org.id }); // the pasted token is no longer the org's
    expect((await handlers.matchPastedToken({ token })).orgs).toEqual([]);
    const target = { loginHost: peer.issuer, profileId: service.id };
    expect(await handlers.introspectPastedToken({ token, target })).toMatchObject({
      active: true,
      clientId: SERVICE_CLIENT_ID,
    });
    // Without a client, a server other than Salesforce is not asked to revoke.
    await expect(
      handlers.revokePastedToken({ token, target: { loginHost: peer.issuer, profileId: null } }),
    ).rejects.toMatchObject({
      code: 'oauth/invalid_client',
      message: expect.stringMatching(/needs a client to revoke/),
    });
    expect(await handlers.revokePastedToken({ token, target })).toMatchObject({ revoked: true, confirmed: true });
    expect(await handlers.introspectPastedToken({ token, target })).toMatchObject({ active: false });
  });

  it('says when a server publishes no introspection endpoint', async () => {
    bare = createServer((req, res) => {
      const origin = `http://127.0.0.1:${(bare!.address() as AddressInfo).port}`;
      if (req.url !== '/.well-known/openid-configuration') return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          issuer: origin,
          authorization_endpoint: `${origin}/authorize`,
          token_endpoint: `${origin}/token`,
          jwks_uri: `${origin}/jwks`,
          response_types_supported: ['code'],
        }),
      );
    });
    await new Promise<void>((ok) => bare!.listen(0, '127.0.0.1', ok));
    services = await testHandlers();
    const profile = await services.handlers.saveAppProfile({
      name: 'Bare',
      kind: 'oidc',
      consumerKey: 'bare-client',
      callbackUrl: 'http://127.0.0.1/callback',
      scopes: [],
    });
    const loginHost = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    await expect(
      services.handlers.introspectPastedToken({
        token: 'an-opaque-token-0123456789',
        target: { loginHost, profileId: profile.id },
      }),
    ).rejects.toMatchObject({
      code: 'oauth/bad_response',
      message: expect.stringMatching(/publishes no introspection endpoint/),
    });
  });
});

describe('introspecting another app\'s token at Salesforce ("Introspect all tokens")', () => {
  it('introspects it with an app profile whose app has the setting, and explains the refusal without it', async () => {
    const { world, admin } = await twoUsers();
    const { handlers } = world.services;
    const auditor = await handlers.saveAppProfile({
      name: 'Token auditor',
      kind: 'connected-app',
      consumerKey: '3MVG9auditor',
      consumerSecret: 'auditor secret',
      callbackUrl: world.callbackUrl,
      scopes: ['api'],
    });
    const app = { clientId: '3MVG9auditor', clientSecret: 'auditor secret', callbackUrls: [world.callbackUrl] };
    world.double.apps.push(app);
    const target = { loginHost: world.double.loginUrl, profileId: auditor.id };
    // An opaque token names no client: the org storing it signed in with another app profile.
    await expect(handlers.introspectPastedToken({ token: admin.refresh, target })).rejects.toMatchObject({
      code: 'oauth/foreign_token',
      message: expect.stringMatching(
        /issued to the app the org Acme signed in with, and "Token auditor" \(3MVG9auditor\)/,
      ),
    });
    expect(world.double.isTokenActive(admin.refresh)).toBe(true);

    world.double.apps.find((a) => a.clientId === '3MVG9auditor')!.introspectAllTokens = true;
    expect(await handlers.introspectPastedToken({ token: admin.refresh, target })).toMatchObject({
      active: true,
      clientId: world.profile.consumerKey,
      username: DEFAULT_USER.username,
      tokenType: 'refresh_token',
    });
    // Revoked, it is inactive: an answer the app cannot tell from a refusal, so it says both.
    await handlers.revokeToken({ id: admin.org.id, kind: 'refresh' });
    await expect(handlers.introspectPastedToken({ token: admin.refresh, target })).rejects.toMatchObject({
      code: 'oauth/foreign_token',
    });
  });
});
