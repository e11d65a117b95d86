/** Adopting an org from a Salesforce CLI auth URL (force://client:secret:refresh@host) against the double. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../main/errors';
import { signIn, startWorld, type World } from '../support/sign-in';
import { testHandlers, type TestServices } from '../support/test-services';

let world: World | null = null;
let other: TestServices | null = null;
afterEach(async () => {
  await other?.close();
  await world?.close();
  other = world = null;
});

async function authUrl(): Promise<{ url: string; refresh: string }> {
  world = await startWorld();
  const org = await signIn(world);
  const refresh = (await world.services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
  return { url: `force://${world.profile.consumerKey}::${refresh}@${new URL(world.double.loginUrl).host}`, refresh };
}

describe('import from a Salesforce CLI auth URL', () => {
  it('refreshes once, fills the identity, stores the tokens and creates the app profile', async () => {
    const { url, refresh } = await authUrl();
    other = await testHandlers();
    const org = await other.handlers.importSfdxAuthUrl({ url, label: 'From the CLI' });
    expect(org).toMatchObject({ label: 'From the CLI', username: 'admin@acme.example', status: 'connected' });
    expect(org.tokens.map((t) => t.kind).sort()).toEqual(['access', 'id', 'refresh']);
    expect((await other.handlers.revealToken({ id: org.id, kind: 'refresh' })).token).toBe(refresh);
    const profiles = await other.handlers.listAppProfiles(undefined);
    expect(profiles).toEqual([expect.objectContaining({ consumerKey: world!.profile.consumerKey, hasSecret: false })]);
    expect((await other.handlers.testToken({ id: org.id })).ok).toBe(true);
    // Importing again updates the same org instead of adding a second one.
    await other.handlers.importSfdxAuthUrl({ url });
    expect(await other.handlers.listOrgs(undefined)).toHaveLength(1);
  });

  it('refuses what is not an auth URL without echoing it, and a dead refresh token with the fix', async () => {
    other = await testHandlers();
    const error = await Promise.resolve(
      other.handlers.importSfdxAuthUrl({ url: 'https://secret-looking-thing.example/abc' }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'import/invalid' });
    expect((error as AppError).message).not.toContain('secret-looking-thing');

    const { url } = await authUrl();
    const dead = url.replace(/::[^@]+@/, '::5Aep861notarealtoken@');
    const refused = await Promise.resolve(other.handlers.importSfdxAuthUrl({ url: dead })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'oauth/invalid_grant' });
  });
});
