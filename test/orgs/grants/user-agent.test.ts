/**
 * The user-agent flow as a grant, through the bridge handlers against the Salesforce double: the org is filed
 * with grant `user_agent`, and its tokens renew with the refresh token like any other org's, or say why not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/errors';
import { signInVia, startWorld, type World } from '../../support/sign-in';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const signInWithUserAgent = (w: World) =>
  signInVia(w.services.handlers, { profileId: w.profile.id, loginHost: w.double.loginUrl, method: 'user_agent' });

describe('the user-agent grant', () => {
  it('files the org with the fragment’s tokens, and refreshes with its refresh token', async () => {
    world = await startWorld({ app: { responseTypes: ['token'] } });
    const org = await signInWithUserAgent(world);
    const authorize = new URL(world.services.opened[0]!);
    expect(authorize.searchParams.get('response_type')).toBe('token');
    expect(org.grant).toBe('user_agent');
    expect(org.username).toBe('admin@acme.example');
    // The default scopes include openid: Salesforce's fragment then carries an ID token too.
    expect(org.tokens.map((t) => t.kind).sort()).toEqual(['access', 'id', 'refresh']);
    await expect.poll(() => world!.pages.join()).toContain('Signed in to');

    const before = (await world.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
    const refreshed = await world.services.handlers.refreshOrg({ id: org.id });
    const after = (await world.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
    expect(world.double.refreshGrants()).toBe(1);
    expect(after).not.toBe(before);
    expect(world.double.isTokenActive(after)).toBe(true);
    expect(refreshed.status).toBe('connected');
  });

  it('says why it cannot refresh when the app granted no refresh token', async () => {
    world = await startWorld({ app: { responseTypes: ['token'] }, scopes: ['api', 'id'] });
    const org = await signInWithUserAgent(world);
    expect(org.tokens.map((t) => t.kind)).toEqual(['access']);
    const error = await Promise.resolve(world.services.handlers.refreshOrg({ id: org.id })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('oauth/no_refresh_token');
    expect((error as AppError).message).toMatch(/user-agent flow gave no refresh token/);
  });
});
