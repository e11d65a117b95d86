/**
 * The asset token request (main/oauth/asset-token.ts) called directly against the Salesforce double's asset
 * token flow: the actor token it builds, unsigned or signed with a device key, and the double's checks of an
 * actor token's shape, each refusal explained.
 */
import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  exportJWK,
  importJWK,
  SignJWT,
  UnsecuredJWT,
  type JWK,
} from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { actorClaims, actorToken, assetTokenGrant } from '../../main/oauth/asset-token';
import type { AssetDevice } from '../../preload/contract';
import { DEFAULT_CLIENT_ID, type DoubleConfig } from '../servers/salesforce-double';
import { errorOf, errorText, signInAtDouble, startDoubleWorld, type DoubleWorld } from './support';

const DEVICE: AssetDevice = {
  deviceId: 'dev-1',
  tokenName: 'Kitchen sensor',
  assetName: '',
  serialNumber: ' ',
  accountId: '',
  contactId: '0035g00000AbCdEAAV',
  sign: false,
};

let world: DoubleWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

async function withAccessToken(assetTokens = true, double: DoubleConfig = {}) {
  world = await startDoubleWorld({
    app: assetTokens ? { assetTokens: { audiences: ['https://a.example', 'https://b.example'] } } : {},
    double,
  });
  const { tokens } = await signInAtDouble(world, { scopes: ['api', 'openid'] });
  const w = world;
  const ask = (actor: string, subjectToken = tokens.accessToken) =>
    assetTokenGrant({ as: w.as, clientId: DEFAULT_CLIENT_ID, subjectToken, actorToken: actor });
  return { ask, access: tokens.accessToken };
}

describe('the actor token', () => {
  it('carries did, Name and only the Asset fields given', async () => {
    expect(actorClaims(DEVICE)).toEqual({
      did: 'dev-1',
      Name: 'Kitchen sensor',
      Asset: { ContactId: '0035g00000AbCdEAAV' },
    });
    expect(actorClaims({ ...DEVICE, contactId: '' })).toEqual({ did: 'dev-1', Name: 'Kitchen sensor' });
    const unsigned = await actorToken(DEVICE);
    expect(unsigned.alg).toBe('none');
    expect(decodeProtectedHeader(unsigned.token)).toEqual({ alg: 'none' });
    expect(unsigned.token.endsWith('.')).toBe(true);
    expect(decodeJwt(unsigned.token)).toEqual(unsigned.claims);
  });

  it('signed, verifies with the public key it carries in cnf, and carries no private part', async () => {
    const signed = await actorToken({ ...DEVICE, sign: true });
    const jwk = (signed.claims['cnf'] as { jwk: JWK }).jwk;
    expect(Object.keys(jwk).sort()).toEqual(['alg', 'e', 'kty', 'n', 'use']);
    const { protectedHeader } = await compactVerify(signed.token, await importJWK(jwk, 'RS256'));
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT' });
  });
});

describe('assetTokenGrant at the double', () => {
  it('answers an asset token for the audiences the app sets', async () => {
    const { ask } = await withAccessToken();
    const set = await ask((await actorToken({ ...DEVICE, sign: true })).token);
    const claims = decodeJwt(set.accessToken);
    expect(claims).toMatchObject({
      did: 'dev-1',
      Name: 'Kitchen sensor',
      aud: ['https://a.example', 'https://b.example'],
    });
    expect(set.expiresAt).not.toBeNull();
    expect(set.refreshToken).toBeNull();
  });

  it('refuses actor tokens of the wrong shape, each explained', async () => {
    const { ask } = await withAccessToken();
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const other = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const cases: [string, RegExp][] = [
      ['not-a-jwt', /not a JWT/],
      [new UnsecuredJWT({ did: 'd' }).encode(), /Name is required/],
      [
        new UnsecuredJWT({ did: 'd', Name: 'n', Asset: { SerialNumber: 7 } }).encode(),
        /Asset must be an object of strings/,
      ],
      [new UnsecuredJWT({ did: 'd', Name: 'n', cnf: { jwk } }).encode(), /must be signed with it/],
      [
        await new SignJWT({ did: 'd', Name: 'n' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey),
        /carry its public key in cnf/,
      ],
      [
        await new SignJWT({ did: 'd', Name: 'n', cnf: { jwk } })
          .setProtectedHeader({ alg: 'RS256' })
          .sign(other.privateKey),
        /signature does not match the key in cnf/,
      ],
    ];
    for (const [actor, why] of cases) {
      const e = await errorOf(ask(actor));
      expect(e.code).toBe('oauth/invalid_grant');
      expect(e.message).toMatch(/did not accept the actor token/);
      expect(e.message).toMatch(why);
    }
  });

  it('refuses an app without asset tokens with what to turn on, and a dead subject token as expired', async () => {
    const { ask, access } = await withAccessToken(false);
    const actor = (await actorToken(DEVICE)).token;
    const e = await errorOf(ask(actor));
    expect(e.code).toBe('oauth/unsupported_grant');
    expect(e.message).toMatch(/"Enable Asset Tokens"/);
    expect(errorText(e)).not.toContain(access);
    const dead = await errorOf(ask(actor, `${access.slice(0, 20)}nope`));
    expect(dead.code).toBe('sf/session_expired');
    expect(dead.message).toMatch(/did not accept the org’s access token/);
  });

  it('explains the refusal as well when the server words it as an unsupported grant', async () => {
    const refusal = { error: 'unsupported_grant_type', description: 'grant type not supported' };
    const { ask } = await withAccessToken(false, { assetTokenRefusal: refusal });
    const e = await errorOf(ask((await actorToken(DEVICE)).token));
    expect(e.code).toBe('oauth/unsupported_grant');
    expect(e.message).toMatch(/does not issue asset tokens.*\(unsupported_grant_type: grant type not supported\)$/);
  });
});
