/**
 * The bridge handlers as main builds them (createHandlers, through test/support/test-services.ts): the app's
 * own information, token inspection at the handlers' clock, and close() stopping a sign-in still waiting.
 */
import { UnsecuredJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { API_METHODS } from '../../preload/contract';
import { failureOf } from '../support/failure';
import { startWorld, type World } from '../support/sign-in';
import { testHandlers, type TestServices } from '../support/test-services';

let services: TestServices | null = null;
let world: World | null = null;
afterEach(async () => {
  await services?.close();
  await world?.close();
  services = world = null;
});

describe('createHandlers', () => {
  it('has one handler per bridge method, and close besides', async () => {
    services = await testHandlers();
    expect(
      Object.keys(services.handlers)
        .filter((k) => k !== 'close')
        .sort(),
    ).toEqual([...API_METHODS].sort());
  });

  it('answers getAppInfo with the name, version and platform it was given and the vault’s storage status', async () => {
    services = await testHandlers();
    expect(await services.handlers.getAppInfo(undefined)).toEqual({
      name: 'SF Token Inspector',
      version: '0.1.0-test',
      platform: 'linux',
      storage: services.vault.status(),
    });
  });

  it('inspects a token at the handlers’ clock, not the machine’s', async () => {
    const token = new UnsecuredJWT({ sub: 'u' }).setExpirationTime(1_700_000_000).encode();
    const expired = (r: { findings?: { message: string }[] }) =>
      (r.findings ?? []).some((f) => f.message === 'This token has expired.');
    services = await testHandlers({ now: () => 1_600_000_000_000 });
    expect(expired(await services.handlers.inspectToken({ token }))).toBe(false);
    await services.close();
    services = await testHandlers({ now: () => 1_800_000_000_000 });
    expect(expired(await services.handlers.inspectToken({ token }))).toBe(true);
  });

  it('close() cancels a sign-in that is still waiting for the browser', async () => {
    world = await startWorld();
    world.services.onOpen = null;
    const started = await world.services.handlers.beginSignIn({
      profileId: world.profile.id,
      loginHost: world.double.loginUrl,
      method: 'authorization_code',
    });
    const waiting = failureOf(world.services.handlers.awaitSignIn({ flowId: started.flowId }));
    (world.services.handlers as unknown as { close(): void }).close();
    expect(await waiting).toMatchObject({ code: 'oauth/cancelled' });
  });
});
