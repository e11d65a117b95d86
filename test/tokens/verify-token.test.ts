import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { fetchIssuerKeys, verifyJwtSignature } from '../../main/tokens/verify-token';
import { OPAQUE_TOKEN } from '../support/tokens';

let server: Server;
let jwksUrl: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let origin: string;
/** What the key server answers on other paths than /id/keys: a status, headers and a body. */
const ANSWERS: Record<string, [number, Record<string, string>, string]> = {
  '/html': [200, { 'content-type': 'text/html' }, '<!doctype html><title>Sign in</title>'],
  '/html-as-json': [200, { 'content-type': 'application/json' }, '  <html><body>proxy</body></html>'],
  '/empty': [200, { 'content-type': 'application/json' }, ''],
  '/huge': [200, { 'content-type': 'application/json' }, `{"keys":[],"pad":"${'x'.repeat(300 * 1024)}"}`],
  '/redirect': [302, { location: 'https://elsewhere.example/keys' }, ''],
  '/not-json': [200, { 'content-type': 'application/json' }, '{keys: nope'],
  '/no-keys': [200, { 'content-type': 'application/json' }, '{"issuer":"x"}'],
  '/secret': [200, { 'content-type': 'application/json' }, '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}'],
};

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const published = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const jwks = { keys: [published] };
  const other = await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey);
  // Two keys without kid: a token that names none is checked against each.
  const unnamed = { keys: [other, { ...published, kid: undefined }] };
  const leaked = { keys: [await exportJWK(pair.privateKey)] };
  server = createServer((req, res) => {
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const answer = ANSWERS[req.url ?? ''];
    if (req.url === '/id/keys') json(jwks);
    else if (req.url === '/unnamed') json(unnamed);
    else if (req.url === '/private') json(leaked);
    else if (answer) res.writeHead(answer[0], answer[1]).end(answer[2]);
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  jwksUrl = `${origin}/id/keys`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const sign = (key: CryptoKey, kid: string | null, exp = Math.floor(Date.now() / 1000) + 600) =>
  new SignJWT({ scp: ['api'] })
    .setProtectedHeader({ alg: 'RS256', ...(kid === null ? {} : { kid }) })
    .setExpirationTime(exp)
    .sign(key);

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

  it('tries every published key when the token names none, and says which one signed it', async () => {
    const answer = await verifyJwtSignature(await sign(signingKey, null), `${origin}/unnamed`);
    expect(answer).toMatchObject({ result: 'valid', kid: null, checkedWith: `the issuer's keys at ${origin}/unnamed` });
    expect(answer.message).toMatch(/made by key 2 of 2 \(an RSA key \(2048 bits\)\) of the issuer's keys/);
    const none = await verifyJwtSignature(await sign(strangerKey, null), `${origin}/unnamed`);
    expect(none).toMatchObject({ result: 'bad-signature', message: expect.stringMatching(/none of the 2 RS256 keys/) });
  });

  it('says what came back instead of a key set, with its URL', async () => {
    const token = await sign(signingKey, 'k1');
    const cases: [string, RegExp][] = [
      ['/html', /web page \(HTML\)/],
      ['/html-as-json', /web page \(HTML\)/],
      ['/empty', /empty/],
      ['/huge', /larger than 256 KB/],
      ['/redirect', /redirects \(HTTP 302 to https:\/\/elsewhere.example\/keys\)/],
      ['/not-json', /not JSON/],
      ['/no-keys', /no "keys" array/],
      ['/missing', /HTTP 404/],
      ['/private', /publishes private key material/],
      ['/secret', /publishes private key material/],
    ];
    for (const [path, message] of cases) {
      const error = await fetchIssuerKeys(`${origin}${path}`, {}).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, path).toBeInstanceOf(AppError);
      expect((error as AppError).code, path).toBe('oauth/bad_response');
      expect((error as AppError).message, path).toMatch(
        new RegExp(`^Could not read the issuer's keys at ${origin}${path}: `),
      );
      expect((error as AppError).message, path).toMatch(message);
      // The stored-token check answers the same sentence as an error result.
      expect(await verifyJwtSignature(token, `${origin}${path}`), path).toMatchObject({
        result: 'error',
        message: (error as AppError).message,
      });
    }
  });

  it('says when the key server cannot be reached or does not answer in time', async () => {
    const closed = await fetchIssuerKeys('http://127.0.0.1:9/id/keys', {}).catch((e: unknown) => e as AppError);
    expect(closed).toMatchObject({
      code: 'oauth/network',
      message: expect.stringMatching(
        /^Could not read the issuer's keys at http:\/\/127.0.0.1:9\/id\/keys: Could not reach/,
      ),
    });
    const slow = await fetchIssuerKeys(jwksUrl, {
      timeoutMs: 50,
      fetch: (_input, init) =>
        new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    }).catch((e: unknown) => e as AppError);
    expect(slow).toMatchObject({ code: 'oauth/network', message: expect.stringMatching(/did not answer in time/) });
  });

  it('does not fetch for a token with nothing to check, nor without a key set', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"a":1}').toString('base64url')}.`;
    expect(await verifyJwtSignature(none, 'http://127.0.0.1:9/never')).toMatchObject({ result: 'bad-signature' });
    expect(await verifyJwtSignature(await sign(signingKey, 'k1'), null)).toMatchObject({
      result: 'error',
      message: expect.stringMatching(/publishes no key set/),
    });
  });
});
