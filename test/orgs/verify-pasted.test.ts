/**
 * Checking a pasted token's signature through the bridge handler, against real servers on loopback: the
 * Salesforce double (discovery, then its /id/keys), oidc-provider (discovery, then its jwks_uri), and a small
 * server answering what key servers should not (HTML, nothing, 404, too much).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers, VerifyKey } from '../../preload/contract';
import { keySourceOf } from '../../main/tokens/key-source';
import { SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET, startOidcPeer, type OidcPeer } from '../servers/oidc-peer';
import { startWorld, tokensFor, type World } from '../support/sign-in';
import { testHandlers, type TestServices } from '../support/test-services';

const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
const published: JWK = { ...(signer.publicKey.export({ format: 'jwk' }) as JWK), kid: 'small-1', alg: 'RS256' };

/**
 * A key server whose first path segment says how it answers: `/good` publishes `published`, `/html` a web
 * page, `/empty` nothing, `/missing` 404, `/huge` too much, `/no-jwks` a discovery document without
 * `jwks_uri`, `/no-discovery` nothing at all. Each serves its discovery document at
 * `/{mode}/.well-known/openid-configuration` naming `/{mode}` as the issuer.
 */
async function startKeyServer(): Promise<{ origin: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const [, mode = '', ...rest] = (req.url ?? '').split('/');
    const path = `/${rest.join('/')}`;
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === '/.well-known/openid-configuration' && mode !== 'no-discovery') {
      return json({
        issuer: `${origin}/${mode}`,
        ...(mode === 'no-jwks' ? {} : { jwks_uri: `${origin}/${mode}/jwks` }),
      });
    }
    if (path === '/jwks' || path === '/id/keys') {
      if (mode === 'good') return json({ keys: [published] });
      if (mode === 'html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in</html>');
      if (mode === 'empty') return res.writeHead(200, { 'content-type': 'application/json' }).end();
      if (mode === 'huge') return json({ keys: [], pad: 'x'.repeat(400 * 1024) });
      if (mode === 'hang') return; // Never answers: only Cancel (or the timeout) ends the wait.
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, requests, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

const mint = (iss: string, kid = 'small-1') =>
  new SignJWT({ sub: 'tester' })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(iss)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(signer.privateKey);
const tamper = (token: string) => {
  const [h, p = '', s] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  return `${h}.${Buffer.from(JSON.stringify({ ...claims, scp: ['full'] })).toString('base64url')}.${s}`;
};
const issuerKey = (token: string): Extract<VerifyKey, { kind: 'issuer' }> => {
  const iss = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iss: string };
  return { kind: 'issuer', url: keySourceOf(iss.iss)!.url };
};
const failure = (p: unknown) =>
  Promise.resolve(p).then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );

describe('verifyPastedToken with the issuer keys', () => {
  let world: World;
  let keys: Awaited<ReturnType<typeof startKeyServer>>;
  let services: TestServices;
  let handlers: Handlers;
  beforeAll(async () => {
    world = await startWorld({ app: { tokenFormat: 'jwt' } });
    keys = await startKeyServer();
    // Requests to the Salesforce host go to the key server's /good, as a Salesforce org's would to it.
    services = await testHandlers({
      http: {
        fetch: (input, init) =>
          fetch(String(input).replace('https://acme.my.salesforce.com', `${keys.origin}/good`), init),
      },
    });
    handlers = services.handlers;
  });
  afterAll(async () => {
    await services?.close();
    await keys?.close();
    await world?.close();
  });

  it('checks a token of the Salesforce double against its discovered /id/keys, naming the key', async () => {
    const { access } = await tokensFor(world, world.double.orgs[0]!.users[0]!.username);
    const key = issuerKey(access);
    expect(key.url).toBe(`${world.double.loginUrl}/.well-known/openid-configuration`);
    const before = world.double.requests.length;
    const answer = await world.services.handlers.verifyPastedToken({ token: ` Bearer ${access}\n`, key });
    expect(answer).toMatchObject({
      result: 'valid',
      kid: 'double-1',
      jwksUrl: `${world.double.loginUrl}/id/keys`,
      checkedWith: `the issuer's keys at ${world.double.loginUrl}/id/keys`,
    });
    expect(world.double.requests.slice(before)).toEqual(['GET /.well-known/openid-configuration', 'GET /id/keys']);

    const changed = await world.services.handlers.verifyPastedToken({ token: tamper(access), key });
    expect(changed).toMatchObject({ result: 'bad-signature', kid: 'double-1' });
    expect(changed.message).toMatch(/does not match key "double-1"/);
  });

  it('fetches a Salesforce issuer’s /id/keys directly, without discovery', async () => {
    const token = await mint('https://acme.my.salesforce.com');
    const key = issuerKey(token);
    expect(key).toEqual({ kind: 'issuer', url: 'https://acme.my.salesforce.com/id/keys' });
    const before = keys.requests.length;
    expect(await handlers.verifyPastedToken({ token: `"${token}"`, key })).toMatchObject({
      result: 'valid',
      kid: 'small-1',
      jwksUrl: 'https://acme.my.salesforce.com/id/keys',
    });
    expect(keys.requests.slice(before)).toEqual(['/good/id/keys']);
    const rotated = await handlers.verifyPastedToken({
      token: await mint('https://acme.my.salesforce.com', 'gone'),
      key,
    });
    expect(rotated).toMatchObject({
      result: 'unknown-key',
      message: expect.stringMatching(/None of the 1 key .* has kid "gone"/),
    });
  });

  it('checks a JWT access token of oidc-provider against the jwks_uri of its discovery document', async () => {
    let peer: OidcPeer | undefined;
    try {
      peer = await startOidcPeer({ clientCredentials: true, jwtResource: true });
      const response = await fetch(`${peer.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: SERVICE_CLIENT_ID,
          client_secret: SERVICE_CLIENT_SECRET,
        }),
      });
      const { access_token: token } = (await response.json()) as { access_token: string };
      expect(token).toMatch(/^eyJ/);
      const answer = await handlers.verifyPastedToken({ token, key: issuerKey(token) });
      expect(answer).toMatchObject({ result: 'valid', kid: 'peer-1' });
      expect(answer.jwksUrl).toMatch(new RegExp(`^${peer.issuer}/`));
    } finally {
      await peer?.close();
    }
  });

  it('fetches nothing from a URL that is not the one the token leads to, nor for a token without https issuer', async () => {
    const token = await mint(`${keys.origin}/good`);
    const before = keys.requests.length;
    const elsewhere = await failure(
      handlers.verifyPastedToken({
        token,
        key: { kind: 'issuer', url: `${keys.origin}/html/.well-known/openid-configuration` },
      }),
    );
    expect(elsewhere).toMatchObject({
      code: 'ipc/bad_argument',
      message: expect.stringMatching(/nothing was fetched/),
    });
    for (const iss of ['http://idp.example.com', 'acme']) {
      const error = await failure(
        handlers.verifyPastedToken({ token: await mint(iss), key: { kind: 'issuer', url: 'x' } }),
      );
      expect(error, iss).toMatchObject({
        code: 'key/invalid',
        message: expect.stringMatching(/names no https issuer/),
      });
    }
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"iss":"${keys.origin}/good"}`).toString('base64url')}.`;
    expect(await handlers.verifyPastedToken({ token: unsigned, key: issuerKey(unsigned) })).toMatchObject({
      result: 'bad-signature',
    });
    expect(keys.requests.length).toBe(before);
    expect(await handlers.verifyPastedToken({ token, key: issuerKey(token) })).toMatchObject({ result: 'valid' });
  });

  it('is cancelled with cancelSignIn while the key server does not answer', async () => {
    const token = await mint(`${keys.origin}/hang`);
    const url = keySourceOf(`${keys.origin}/hang`)!.url;
    const started = Date.now();
    const check = handlers.verifyPastedToken({ token, key: { kind: 'issuer', url }, flowId: 'verify-1' });
    await expect.poll(() => keys.requests.some((r) => r.startsWith('/hang/jwks'))).toBe(true);
    await handlers.cancelSignIn({ flowId: 'verify-1' });
    await expect(check).rejects.toMatchObject({ code: 'oauth/cancelled' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('says what the issuer answered instead of keys, with the URL', async () => {
    const cases: [mode: string, code: string, message: RegExp][] = [
      ['html', 'oauth/bad_response', /jwks: it answered with a web page \(HTML\)/],
      ['empty', 'oauth/bad_response', /jwks: the answer is empty/],
      ['missing', 'oauth/bad_response', /jwks: it answered HTTP 404/],
      ['huge', 'oauth/bad_response', /jwks: the answer is larger than 256 KB/],
      ['no-jwks', 'oauth/bad_response', /names no key set \(jwks_uri\)/],
      [
        'no-discovery',
        'oauth/invalid_login_host',
        /^Could not find the issuer's keys through .*\/no-discovery\/.well-known\/openid-configuration: /,
      ],
    ];
    for (const [mode, code, message] of cases) {
      const token = await mint(`${keys.origin}/${mode}`);
      const error = await failure(handlers.verifyPastedToken({ token, key: issuerKey(token) }));
      expect(error, mode).toMatchObject({ code, message: expect.stringMatching(message) });
      expect(error!.message, mode).toContain(`${keys.origin}/${mode}/`);
    }
  });
});

describe('verifyPastedToken with a pasted key or secret', () => {
  let services: TestServices;
  beforeAll(async () => (services = await testHandlers()));
  afterAll(() => services?.close());

  it('checks with a pasted PEM and a shared secret, and refuses a private key', async () => {
    const token = await mint('https://idp.example.com');
    const pem = signer.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(await services.handlers.verifyPastedToken({ token, key: { kind: 'key', text: pem } })).toMatchObject({
      result: 'valid',
      kid: 'small-1',
      jwksUrl: null,
      checkedWith: 'the pasted public key',
    });
    const privatePem = signer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const refused = await failure(
      services.handlers.verifyPastedToken({ token, key: { kind: 'key', text: privatePem } }),
    );
    expect(refused).toMatchObject({ code: 'key/invalid', message: expect.stringMatching(/private key/) });

    const secret = 'correct horse battery staple, 32+';
    const hs = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
    const key = (s: string): VerifyKey => ({ kind: 'secret', secret: s, encoding: 'utf8' });
    expect(
      (await services.handlers.verifyPastedToken({ token: hs, key: key('wrong secret, also 32 bytes long') })).result,
    ).toBe('bad-signature');
    expect((await services.handlers.verifyPastedToken({ token: hs, key: key(secret) })).result).toBe('valid');
  });
});
