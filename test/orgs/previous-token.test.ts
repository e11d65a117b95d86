/**
 * The token before the last renewal, and the ID token's validation, through the real handlers, vault and the
 * Salesforce double: a refresh keeps the JWT access and ID tokens it replaces as `header.payload` only (never
 * the signature, so nothing usable is kept), `inspectOrgToken({ previous: true })` shows them, the summary says
 * when they were replaced, and the stored ID token carries how it was validated at sign-in and at refresh.
 */
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { JwsInspection, TokenInspection } from '../../preload/contract';
import { failureOf } from '../support/failure';
import { filesUnder } from '../support/files';
import { signIn, startWorld, type World } from '../support/sign-in';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

function jws(inspection: TokenInspection): JwsInspection {
  expect(inspection.kind).toBe('jws');
  return inspection as JwsInspection;
}

const claim = (inspection: JwsInspection, name: string) => inspection.payload.find((r) => r.name === name)?.display;

describe('the token before the last renewal', () => {
  it('keeps the replaced JWT access and ID tokens without their signatures, and inspects them', async () => {
    world = await startWorld({ app: { tokenFormat: 'jwt' } });
    const { handlers, vault } = world.services;
    const org = await signIn(world);
    expect(org.tokens.map((t) => [t.kind, t.previousReplacedAt])).toEqual([
      ['access', null],
      ['refresh', null],
      ['id', null],
    ]);
    for (const kind of ['access', 'id'] as const) {
      expect(await failureOf(handlers.inspectOrgToken({ id: org.id, kind, previous: true }))).toMatchObject({
        code: 'token/unsupported',
        message: expect.stringMatching(/^No earlier (access|ID) token is kept for this org/),
      });
    }
    const signedIn = jws(await handlers.inspectOrgToken({ id: org.id, kind: 'id' }));
    expect(signedIn.idTokenValidation?.during).toBe('sign-in');
    expect(signedIn.idTokenValidation?.checks.find((c) => c.check === 'signature')?.outcome).toBe('passed');
    const oldAccess = (await handlers.revealToken({ id: org.id, kind: 'access' })).token;
    const oldId = (await handlers.revealToken({ id: org.id, kind: 'id' })).token;

    const before = Date.now();
    const refreshed = await handlers.refreshOrg({ id: org.id });
    for (const kind of ['access', 'id'] as const) {
      expect(refreshed.tokens.find((t) => t.kind === kind)?.previousReplacedAt).toBeGreaterThanOrEqual(before);
    }
    expect(refreshed.tokens.find((t) => t.kind === 'refresh')?.previousReplacedAt).toBeNull();
    // The summary carries neither the validation nor the predecessor's claims.
    expect(JSON.stringify(refreshed)).not.toMatch(/idTokenValidation|unsigned/);

    const previousAccess = jws(await handlers.inspectOrgToken({ id: org.id, kind: 'access', previous: true }));
    expect(claim(previousAccess, 'jti')).toBe(decodeJwt(oldAccess).jti);
    expect(previousAccess.parts).toEqual({
      header: oldAccess.split('.')[0],
      payload: oldAccess.split('.')[1],
      signature: '',
    });
    expect(previousAccess.signatureHidden).toBe(true);
    expect(previousAccess.signatureBytes).toBe(256);
    const current = jws(await handlers.inspectOrgToken({ id: org.id, kind: 'access' }));
    expect(claim(current, 'jti')).not.toBe(claim(previousAccess, 'jti'));

    const previousId = jws(await handlers.inspectOrgToken({ id: org.id, kind: 'id', previous: true }));
    expect(previousId.parts.payload).toBe(oldId.split('.')[1]);
    expect(previousId.idTokenValidation).toEqual(signedIn.idTokenValidation);
    const currentId = jws(await handlers.inspectOrgToken({ id: org.id, kind: 'id' }));
    expect(currentId.idTokenValidation?.during).toBe('refresh');

    // A refresh token is opaque: nothing earlier is kept for it.
    expect(await failureOf(handlers.inspectOrgToken({ id: org.id, kind: 'refresh', previous: true }))).toMatchObject({
      code: 'token/unsupported',
    });
    // No signature of a replaced token is anywhere on disk: what is kept of it is not a usable token.
    const files = await filesUnder(world.services.dataDir);
    for (const token of [oldAccess, oldId]) {
      const signature = token.split('.')[2]!;
      for (const { path, text } of files) expect(text, path).not.toContain(signature.slice(-24));
    }
    // What the vault holds of it: the header and payload only.
    expect(vault.requireOrg(org.id).tokens.find((t) => t.kind === 'access')?.previous?.unsigned).toBe(
      oldAccess.split('.').slice(0, 2).join('.'),
    );
  });

  it('keeps nothing for an opaque access token', async () => {
    world = await startWorld();
    const { handlers } = world.services;
    const org = await signIn(world);
    const refreshed = await handlers.refreshOrg({ id: org.id });
    expect(refreshed.tokens.find((t) => t.kind === 'access')?.previousReplacedAt).toBeNull();
    expect(refreshed.tokens.find((t) => t.kind === 'id')?.previousReplacedAt).not.toBeNull();
    expect(await failureOf(handlers.inspectOrgToken({ id: org.id, kind: 'access', previous: true }))).toMatchObject({
      code: 'token/unsupported',
    });
  });
});
