/**
 * The org handlers' promises about signing out (main/orgs/org-service.ts): what the summary says is what
 * happened at the server. Real vault, real AES-GCM, the Salesforce double on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AesGcmCipher } from '../support/aes-gcm-cipher';
import { DecryptError } from '../../main/vault/cipher';
import { signIn, startWorld, type World } from '../support/sign-in';
import { TEST_KEY } from '../support/vault';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** AES-GCM that can be told to fail opening secrets, as a changed OS keyring would. */
class BreakableCipher extends AesGcmCipher {
  broken = false;
  override decrypt(sealed: string) {
    return this.broken
      ? Promise.reject(new DecryptError('The stored secret could not be opened.'))
      : super.decrypt(sealed);
  }
}

describe('signing out', () => {
  it('says plainly that it could not revoke a token it cannot read, and where to revoke it', async () => {
    const cipher = new BreakableCipher(TEST_KEY);
    world = await startWorld({ cipher });
    const org = await signIn(world);
    const refresh = (await world.services.handlers.revealToken({ id: org.id, kind: 'refresh' })).token;
    cipher.broken = true;
    const result = await world.services.handlers.signOut({ id: org.id });
    expect(result.revoked).toBeNull();
    expect(result.summary).toMatch(/could not be revoked/);
    expect(result.summary).toMatch(/revoke it in/);
    expect(result.summary).not.toMatch(/already invalid/);
    // And that is the truth: the server still accepts the token.
    expect(world.double.isTokenActive(refresh)).toBe(true);
    expect(await world.services.handlers.listOrgs(undefined)).toEqual([]);
  });

  it('keeps the org when the server cannot be reached, so the user can try again', async () => {
    world = await startWorld();
    const org = await signIn(world);
    world.double.setFault('revoke', 'http500');
    await expect(world.services.handlers.signOut({ id: org.id })).rejects.toMatchObject({
      code: 'oauth/server_error',
      message: expect.stringMatching(/Nothing was revoked, and .* stays in the app/),
    });
    expect((await world.services.handlers.listOrgs(undefined)).map((o) => o.id)).toEqual([org.id]);
    world.double.setFault('revoke', null);
    expect((await world.services.handlers.signOut({ id: org.id })).revoked).toBe('refresh');
  });
});

describe('the org list and one org', () => {
  it('lists summaries only, and getOrg gives one org with every token', async () => {
    world = await startWorld();
    const org = await signIn(world);
    const [item] = await world.services.handlers.listOrgs(undefined);
    const whole = await world.services.handlers.getOrg({ id: org.id });
    expect(whole.tokens.map((t) => t.kind)).toEqual(org.tokens.map((t) => t.kind));
    expect(whole.tokens[0]).toHaveProperty('scopes');
    // The list keeps what the badge and the fleet need: the same status, and each token's status facts.
    expect(item).toMatchObject({ id: org.id, label: whole.label, status: whole.status, username: whole.username });
    expect(item!.tokens).toEqual(
      whole.tokens.map(({ kind, status, expiresAt, lastCheckedAt, evidence }) => ({
        kind,
        status,
        expiresAt,
        lastCheckedAt,
        evidence,
      })),
    );
    expect(JSON.stringify(item).length).toBeLessThan(JSON.stringify(whole).length);
    await expect(world.services.handlers.getOrg({ id: 'gone' })).rejects.toMatchObject({ code: 'org/not_found' });
  });
});

describe('callback URLs', () => {
  it('are held to the rule sign-in uses, when a profile or the default is saved', async () => {
    world = await startWorld();
    const { handlers } = world.services;
    const profile = { name: 'App', kind: 'connected-app' as const, consumerKey: 'key', scopes: ['api'] };
    for (const callbackUrl of ['http://u:p@localhost:1717/cb', 'http://localhost:1717/cb#x', 'https://localhost/cb']) {
      await expect(handlers.saveAppProfile({ ...profile, callbackUrl })).rejects.toMatchObject({
        code: 'oauth/invalid_redirect_uri',
      });
      await expect(handlers.saveSettings({ defaultCallbackUrl: callbackUrl })).rejects.toMatchObject({
        code: 'oauth/invalid_redirect_uri',
      });
    }
    expect((await handlers.saveAppProfile({ ...profile, callbackUrl: 'http://127.0.0.1/cb' })).callbackUrl).toBe(
      'http://127.0.0.1/cb',
    );
  });
});

describe('settings', () => {
  it('keeps a setting the window sent as undefined, as structured clone delivers an unset field', async () => {
    world = await startWorld();
    const { handlers } = world.services;
    await handlers.saveSettings({ theme: 'dark' });
    const saved = await handlers.saveSettings({ theme: undefined, defaultScopes: ['api'] });
    expect(saved).toMatchObject({ theme: 'dark', defaultScopes: ['api'] });
    expect(world.services.vault.settings.theme).toBe('dark');
  });
});

describe('history', () => {
  it('keeps every token event with its time, newest first, and exports it as JSON and CSV', async () => {
    world = await startWorld();
    const { handlers } = world.services;
    const org = await signIn(world);
    await handlers.refreshOrg({ id: org.id });
    await handlers.refreshOrg({ id: org.id });
    await handlers.introspectToken({ id: org.id, kind: 'access' });
    await handlers.revokeToken({ id: org.id, kind: 'access' });
    const events = await handlers.getOrgHistory({ id: org.id });
    expect(events.map((e) => `${e.kind}:${e.token ?? ''}`)).toEqual([
      'revoked:access',
      'introspected:access',
      'refreshed:access',
      'refreshed:access',
      'signed_in:',
    ]);
    expect(events.at(-1)!.detail).toBe('grant authorization_code');
    expect(events[0]!.detail).toBe('introspection confirms it is inactive');
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort((a, b) => b - a));
    // Nothing secret is kept in it.
    const raw = JSON.stringify(events);
    for (const kind of ['access', 'refresh'] as const)
      expect(raw).not.toContain((await handlers.revealToken({ id: org.id, kind })).token);

    expect(await handlers.exportOrgHistory({ id: org.id, format: 'csv' })).toMatchObject({ events: 5 });
    const csv = world.services.exported.at(-1)!;
    expect(csv.name).toMatch(/-history\.csv$/);
    const lines = csv.content.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,event,token,detail');
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[^,]+,signed_in,,grant authorization_code$/);
    await handlers.exportOrgHistory({ id: org.id, format: 'json' });
    const json = JSON.parse(world.services.exported.at(-1)!.content) as { events: { kind: string }[] };
    expect(json.events.map((e) => e.kind)).toEqual(events.map((e) => e.kind).reverse());
  });

  it('stays bounded: the oldest events go first', async () => {
    world = await startWorld();
    const org = await signIn(world);
    for (let i = 0; i < 205; i++)
      await world.services.vault.appendOrgEvent(org.id, {
        at: i,
        kind: 'introspected',
        token: 'access',
        detail: `n${i}`,
      });
    const events = await world.services.handlers.getOrgHistory({ id: org.id });
    expect(events).toHaveLength(200);
    expect(events[0]!.detail).toBe('n204');
    expect(events.at(-1)!.detail).toBe('n5');
  });
});
