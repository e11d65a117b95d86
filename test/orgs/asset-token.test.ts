/**
 * Asset tokens through the bridge handlers (main/orgs/asset-token.ts): a real vault, the Salesforce double's
 * asset token flow on 127.0.0.1, the recorded clipboard. The asset token is checked against the double's
 * published keys with jose, here as the device's back end would.
 */
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssetDevice, OrgSummary } from '../../preload/contract';
import { failureOf } from '../support/failure';
import { signIn, startWorld, type World } from '../support/sign-in';
import type { DoubleApp } from '../servers/salesforce-double';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const AUDIENCE = 'https://devices.acme.example';
const DEVICE: AssetDevice = {
  deviceId: 'c0ffee00-1111-4222-8333-444455556666',
  tokenName: 'Thermostat in the hall',
  assetName: 'Thermostat T-1000',
  serialNumber: 'SN-0042',
  accountId: '0015g00000AbCdEAAV',
  contactId: '',
  sign: false,
};

async function signedIn(
  app: Partial<DoubleApp> = { assetTokens: { audiences: [AUDIENCE], validForSeconds: 900 } },
  scopes?: string[],
): Promise<{ w: World; org: OrgSummary }> {
  world = await startWorld({ app, ...(scopes ? { scopes } : {}) });
  return { w: world, org: await signIn(world) };
}

describe('requestAssetToken', () => {
  it('exchanges the access token and an actor token for an asset token: decoded, verified, not stored', async () => {
    const { w, org } = await signedIn();
    const access = (await w.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
    const result = await w.services.handlers.requestAssetToken({ id: org.id, device: DEVICE });

    // The request is Salesforce's: a token exchange with the access token as subject and a JWT actor token.
    const shape = w.double.lastTokenRequest()!;
    expect(shape.grantType).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(shape.bodyKeys).toEqual(
      expect.arrayContaining(['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type']),
    );
    expect(shape.bodyKeys).not.toContain('requested_token_type');
    expect(shape.queryKeys).toEqual([]);

    expect(result.inspection.label).toBe('Salesforce asset token');
    const claims = Object.fromEntries(result.inspection.payload.map((r) => [r.name, r]));
    expect(claims['did']!.display).toBe(DEVICE.deviceId);
    expect(claims['Name']!.display).toBe(DEVICE.tokenName);
    expect(claims['Name']!.meaning).toMatch(/name of the asset token/);
    expect(JSON.parse(claims['Asset']!.display)).toMatchObject({
      Id: expect.stringMatching(/^02i/),
      Name: 'Thermostat T-1000',
      SerialNumber: 'SN-0042',
      AccountId: '0015g00000AbCdEAAV',
    });
    expect(JSON.parse(claims['Asset']!.display)).not.toHaveProperty('ContactId');
    expect(claims['aud']!.note).toMatch(/One audience: the app's "Asset Audiences"/);
    expect(claims['exp']!.note).toMatch(/Valid for 15 minutes after it was issued .*"Token Valid for"/);
    expect(result.signature).toMatchObject({ result: 'valid', kid: 'double-1' });
    expect(result.actor.alg).toBe('none');
    expect(JSON.parse(result.actor.claims)).toEqual({
      did: DEVICE.deviceId,
      Name: DEVICE.tokenName,
      Asset: { Name: 'Thermostat T-1000', SerialNumber: 'SN-0042', AccountId: '0015g00000AbCdEAAV' },
    });
    expect(result.endpoint).toBe(`${w.double.loginUrl}/services/oauth2/token`);
    expect(result.refreshed).toBe(false);

    // The raw token does not come back: no signature part, and Copy puts it on the clipboard from main.
    expect(result.inspection.parts.signature).toBe('');
    expect(result.inspection.signatureHidden).toBe(true);
    await w.services.handlers.copyAssetToken({ id: org.id });
    const token = w.services.clipboard.at(-1)!;
    expect(JSON.stringify(result)).not.toContain(token.split('.')[2]);
    expect(token.slice(-4)).toBe(result.hint);
    expect(result.inspection.expiresAt).toBe(decodeJwt(token).exp);
    // A back end checks it with the org's keys and its own audience.
    const keys = createRemoteJWKSet(new URL(`${w.double.loginUrl}/id/keys`));
    const { payload } = await jwtVerify(token, keys, { audience: AUDIENCE, issuer: w.double.loginUrl });
    expect(payload['did']).toBe(DEVICE.deviceId);

    // The org's own tokens are what they were.
    expect((await w.services.handlers.revealToken({ id: org.id, kind: 'access' })).token).toBe(access);
    const [summary] = await w.services.handlers.listOrgs(undefined);
    expect(summary!.tokens.map((t) => t.kind).sort()).toEqual(['access', 'id', 'refresh']);
  });

  it('signs the actor token with a new device key whose public key travels in cnf and into the asset token', async () => {
    const { w, org } = await signedIn();
    const result = await w.services.handlers.requestAssetToken({ id: org.id, device: { ...DEVICE, sign: true } });
    expect(result.actor.alg).toBe('RS256');
    const jwk = (JSON.parse(result.actor.claims) as { cnf: { jwk: JWK } }).cnf.jwk;
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect(jwk).not.toHaveProperty('d');
    await w.services.handlers.copyAssetToken({ id: org.id });
    const token = w.services.clipboard.at(-1)!;
    expect((decodeJwt(token)['cnf'] as { jwk: JWK }).jwk).toEqual(jwk);
    expect(await importJWK(jwk, 'RS256')).toBeTruthy();
    expect(decodeProtectedHeader(token).kid).toBe('double-1');
  });

  it('explains an app without asset tokens, and has nothing to copy', async () => {
    const { w, org } = await signedIn({});
    const failure = await failureOf(w.services.handlers.requestAssetToken({ id: org.id, device: DEVICE }));
    expect(failure?.code).toBe('oauth/unsupported_grant');
    expect(failure?.message).toMatch(/does not issue asset tokens.*"Enable Asset Tokens"/);
    expect(failure?.message).toMatch(/asset tokens are not enabled for this connected app/);
    const copy = await failureOf(w.services.handlers.copyAssetToken({ id: org.id }));
    expect(copy).toMatchObject({ code: 'token/unsupported', message: /request one first/ });
  });

  it('explains an actor token the server refuses', async () => {
    const { w, org } = await signedIn();
    const failure = await failureOf(
      w.services.handlers.requestAssetToken({ id: org.id, device: { ...DEVICE, deviceId: '' } }),
    );
    expect(failure?.code).toBe('oauth/invalid_grant');
    expect(failure?.message).toMatch(
      /did not accept the actor token.*\(invalid_request: invalid actor token: did is required\)/,
    );
  });

  it('explains an access token without the openid scope', async () => {
    const { w, org } = await signedIn(undefined, ['api', 'refresh_token']);
    const failure = await failureOf(w.services.handlers.requestAssetToken({ id: org.id, device: DEVICE }));
    expect(failure?.message).toMatch(/need an access token with the api and openid scopes/);
  });

  it('renews an expired access token once through the token lifecycle, then asks again', async () => {
    const { w, org } = await signedIn();
    const before = (await w.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
    w.double.advance(3 * 3600_000);
    const result = await w.services.handlers.requestAssetToken({ id: org.id, device: DEVICE });
    expect(result.refreshed).toBe(true);
    expect(w.double.refreshGrants()).toBe(1);
    const after = (await w.services.handlers.revealToken({ id: org.id, kind: 'access' })).token;
    expect(after).not.toBe(before);
    // The double's clock is 3 hours ahead of the app's now: the check says the token is not valid yet.
    expect(result.signature.result).toBe('not-yet-valid');
  });

  it('is cancelled with cancelSignIn while the server does not answer', async () => {
    const { w, org } = await signedIn();
    w.double.setFault('token', 'hang');
    const pending = failureOf(w.services.handlers.requestAssetToken({ id: org.id, device: DEVICE, flowId: 'a-1' }));
    await new Promise((r) => setTimeout(r, 50));
    await w.services.handlers.cancelSignIn({ flowId: 'a-1' });
    expect(await pending).toMatchObject({ code: 'oauth/cancelled' });
  });
});
