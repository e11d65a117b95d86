/**
 * The authorization code grant picks how the callback comes back from the app profile's callback URL: the
 * loopback listener for a URL on this computer, a code by hand for a page elsewhere. Through the bridge
 * handlers against the Salesforce double; the page elsewhere is never requested.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/errors';
import { signIn, startWorld, type World } from '../../support/sign-in';

const SUCCESS_PAGE = 'https://login.salesforce.com/services/oauth2/success';

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

async function handProfile(w: World) {
  w.double.apps[0]!.callbackUrls.push(SUCCESS_PAGE);
  return w.services.handlers.saveAppProfile({
    name: 'Code by hand',
    kind: 'connected-app',
    consumerKey: w.profile.consumerKey,
    callbackUrl: SUCCESS_PAGE,
    scopes: ['api', 'refresh_token'],
  });
}

describe('the authorization code grant', () => {
  it('waits for the listener when the callback URL is on this computer', async () => {
    world = await startWorld();
    const started = await world.services.handlers.beginSignIn({
      profileId: world.profile.id,
      loginHost: world.double.loginUrl,
      method: 'authorization_code',
    });
    expect(started).toMatchObject({ method: 'authorization_code', redirectUri: world.callbackUrl });
    expect('byHand' in started && started.byHand).toBeFalsy();
    const org = await world.services.handlers.awaitSignIn({ flowId: started.flowId });
    expect(org.grant).toBe('authorization_code');
    expect(await codeOf(world.services.handlers.submitSignInCode({ flowId: started.flowId, pasted: 'x' }))).toBe(
      'oauth/flow_not_found',
    );
  });

  it('takes the pasted address when the callback URL is a page elsewhere, and files the org', async () => {
    world = await startWorld();
    const profile = await handProfile(world);
    expect(profile.callbackUrl).toBe(SUCCESS_PAGE);
    const { handlers } = world.services;
    const started = await handlers.beginSignIn({
      profileId: profile.id,
      loginHost: world.double.loginUrl,
      method: 'authorization_code',
    });
    expect(started).toMatchObject({ method: 'authorization_code', redirectUri: SUCCESS_PAGE, byHand: true });
    const waiting = handlers.awaitSignIn({ flowId: started.flowId });
    await expect.poll(() => world!.landed.length).toBe(1);
    const address = world.landed[0]!;
    expect(address.startsWith(`${SUCCESS_PAGE}?code=`)).toBe(true);

    expect(
      await codeOf(handlers.submitSignInCode({ flowId: started.flowId, pasted: 'https://x.example/?state=1' })),
    ).toBe('oauth/no_code');
    await handlers.submitSignInCode({ flowId: started.flowId, pasted: address });
    const org = await waiting;
    expect(org.grant).toBe('authorization_code');
    expect(org.tokens.map((t) => t.kind).sort()).toEqual(['access', 'refresh']);
    // It renews like any other: with the refresh token.
    await handlers.refreshOrg({ id: org.id });
    expect(world.double.refreshGrants()).toBe(1);
  });

  it('stops waiting for a paste on cancel', async () => {
    world = await startWorld();
    const profile = await handProfile(world);
    const { handlers } = world.services;
    const started = await handlers.beginSignIn({
      profileId: profile.id,
      loginHost: world.double.loginUrl,
      method: 'authorization_code',
    });
    const waiting = codeOf(handlers.awaitSignIn({ flowId: started.flowId }));
    await handlers.cancelSignIn({ flowId: started.flowId });
    expect(await waiting).toBe('oauth/cancelled');
  });

  it('refuses the user-agent flow with a callback URL elsewhere, saying why', async () => {
    world = await startWorld({ app: { responseTypes: ['code', 'token'] } });
    const profile = await handProfile(world);
    const begun = world.services.handlers.beginSignIn({
      profileId: profile.id,
      loginHost: world.double.loginUrl,
      method: 'user_agent',
    });
    expect(await codeOf(begun)).toBe('oauth/invalid_redirect_uri');
    // The loopback one still works.
    expect((await signIn(world)).grant).toBe('authorization_code');
  });
});
