import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJwtSignature } from '../../main/tokens/verify-token';
import { OPAQUE_TOKEN } from '../support/tokens';

let server: Server;
let jwksUrl: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  server = createServer((req, res) => {
    if (req.url === '/id/keys') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/id/keys`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const sign = (key: CryptoKey, kid: string, exp = Math.floor(Date.now() / 1000) + 600) =>
  new SignJWT({ scp: ['api'] }).setProtectedHeader({ alg: 'RS256', kid }).setExpirationTime(exp).sign(key);

describe('verifyJwtSignature against a JWKS', () => {
  it('says valid for a token signed by a published key', async () => {
    expect(await verifyJwtSignature(await sign(signingKey, 'k1'), jwksUrl)).toMatchObject({
      result: 'valid',
      kid: 'k1',
    });
  });

  it('says bad signature for a changed token, and unknown key for a stranger', async () => {
    const [h, , s] = (await sign(signingKey, 'k1')).split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ scp: ['full'], exp: 4102444800 })).toString('base64url');
    expect((await verifyJwtSignature(`${h}.${forgedPayload}.${s}`, jwksUrl)).result).toBe('bad-signature');
    expect((await verifyJwtSignature(await sign(strangerKey, 'k1'), jwksUrl)).result).toBe('bad-signature');
    const unknown = await verifyJwtSignature(await sign(strangerKey, 'other'), jwksUrl);
    expect(unknown.result).toBe('unknown-key');
    expect(unknown.message).toMatch(/kid "other"/);
  });

  it('checks the signature before calling a token expired', async () => {
    const expired = await sign(signingKey, 'k1', Math.floor(Date.now() / 1000) - 60);
    expect((await verifyJwtSignature(expired, jwksUrl)).result).toBe('expired');
  });

  it('explains opaque tokens, unsigned tokens and unreachable keys', async () => {
    expect((await verifyJwtSignature(OPAQUE_TOKEN, jwksUrl)).result).toBe('not-a-jwt');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"a":1}').toString('base64url')}.`;
    expect((await verifyJwtSignature(none, jwksUrl)).result).toBe('bad-signature');
    const gone = await verifyJwtSignature(await sign(signingKey, 'k1'), jwksUrl.replace('/id/keys', '/missing'));
    expect(gone).toMatchObject({ result: 'error', message: expect.stringMatching(/Could not read the issuer's keys/) });
  });
});
