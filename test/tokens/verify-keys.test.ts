import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { CompactEncrypt, generateKeyPair, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SignatureCheck } from '../../preload/contract';
import { pastedKeySet, secretKeySet } from '../../main/tokens/pasted-keys';
import { issuerKeySet, jwkSetKeys, nothingToCheck, verifyWithKeySet, type KeySet } from '../../main/tokens/verify-keys';
import { OPAQUE_TOKEN } from '../support/tokens';

const NOW = Date.UTC(2030, 0, 1);
const nowS = Math.floor(NOW / 1000);
const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

function derOf(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const size: number[] = [];
  for (let n = body.length; n > 0; n >>= 8) size.unshift(n & 0xff);
  const length = body.length < 128 ? [body.length] : [0x80 | size.length, ...size];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

/** A self-signed X.509 v3 certificate for `keys` (sha256WithRSAEncryption), DER built by hand. */
function selfSignedCertificate(keys: { publicKey: KeyObject; privateKey: KeyObject }, cn: string): string {
  const seq = (...c: Buffer[]) => derOf(0x30, ...c);
  const oid = (hex: string) => derOf(0x06, Buffer.from(hex, 'hex'));
  const name = seq(derOf(0x31, seq(oid('550403'), derOf(0x0c, Buffer.from(cn)))));
  const algorithm = seq(oid('2a864886f70d01010b'), derOf(0x05));
  const validity = seq(derOf(0x17, Buffer.from('250101000000Z')), derOf(0x17, Buffer.from('450101000000Z')));
  const tbs = seq(
    derOf(0xa0, derOf(0x02, Buffer.from([2]))),
    derOf(0x02, Buffer.from([1])),
    algorithm,
    name,
    validity,
    name,
    keys.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = nodeSign('sha256', tbs, keys.privateKey);
  const der = seq(tbs, algorithm, derOf(0x03, Buffer.from([0]), signature));
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const spki = (k: { publicKey: KeyObject }) => k.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const publicJwk = (k: { publicKey: KeyObject }, extra: Partial<JWK> = {}): JWK => ({
  ...(k.publicKey.export({ format: 'jwk' }) as JWK),
  ...extra,
});

function mint(
  alg: string,
  key: KeyObject | Uint8Array,
  options: { kid?: string; exp?: number; nbf?: number; iss?: string } = {},
): Promise<string> {
  const jwt = new SignJWT({ sub: 'tester' })
    .setProtectedHeader({ alg, ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuedAt(nowS - 60)
    .setExpirationTime(options.exp ?? nowS + 600);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(key);
}

const check = (token: string, set: KeySet) => verifyWithKeySet(token, set, NOW);
const tamper = (token: string) => {
  const [h, , s] = token.split('.');
  return `${h}.${enc({ sub: 'admin', exp: nowS + 600 })}.${s}`;
};

describe('pasted public keys', () => {
  let certificate: string;
  beforeAll(() => (certificate = selfSignedCertificate(rsa, 'Test Issuer')));

  it('checks with an SPKI PEM, a PKCS #1 RSA key and an X.509 certificate, naming the key', async () => {
    const token = await mint('RS256', rsa.privateKey, { kid: 'k1' });
    const pem = await check(token, pastedKeySet(spki(rsa)));
    expect(pem).toMatchObject({ result: 'valid', kid: 'k1', jwksUrl: null, checkedWith: 'the pasted public key' });
    expect(pem.message).toBe('It was made by the pasted public key (an RSA key (2048 bits)).');

    const pkcs1 = rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    expect(pkcs1).toMatch(/BEGIN RSA PUBLIC KEY/);
    expect((await check(token, pastedKeySet(pkcs1))).result).toBe('valid');

    const cert = await check(token, pastedKeySet(`\n  ${certificate}  `));
    expect(cert).toMatchObject({ result: 'valid', checkedWith: 'the pasted certificate (CN=Test Issuer)' });
  });

  it('checks PS256, ES256 and EdDSA with the keys they need', async () => {
    expect((await check(await mint('PS256', rsa.privateKey), pastedKeySet(spki(rsa)))).result).toBe('valid');
    expect((await check(await mint('ES256', ec.privateKey), pastedKeySet(spki(ec)))).result).toBe('valid');
    expect((await check(await mint('EdDSA', ed.privateKey), pastedKeySet(spki(ed)))).result).toBe('valid');
  });

  it('finds the key in a pasted JWK Set by kid, or tries each key when the token names none', async () => {
    const set = JSON.stringify({ keys: [publicJwk(otherEc, { kid: 'a' }), publicJwk(ec, { kid: 'b' })] });
    const named = await check(await mint('ES256', ec.privateKey, { kid: 'b' }), pastedKeySet(set));
    expect(named).toMatchObject({ result: 'valid', kid: 'b', checkedWith: 'the pasted JWK Set' });
    expect(named.message).toContain('key "b" (an EC key on curve P-256) from the pasted JWK Set');

    const unnamed = await check(await mint('ES256', ec.privateKey), pastedKeySet(set));
    expect(unnamed).toMatchObject({ result: 'valid', kid: 'b' });

    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const none = await check(await mint('ES256', stranger.privateKey), pastedKeySet(set));
    expect(none.result).toBe('bad-signature');
    expect(none.message).toMatch(/matches none of the 2 ES256 keys in the pasted JWK Set \(the token names no key/);

    const single = await check(await mint('ES256', ec.privateKey), pastedKeySet(JSON.stringify(publicJwk(ec))));
    expect(single).toMatchObject({ result: 'valid', checkedWith: 'the pasted JWK' });
  });

  it('says which key type the alg needs when the pasted key cannot have signed it', async () => {
    const rs = await mint('RS256', rsa.privateKey);
    const wrongType = await check(rs, pastedKeySet(spki(ec)));
    expect(wrongType.result).toBe('unknown-key');
    expect(wrongType.message).toBe(
      'The pasted public key is an EC key on curve P-256, but RS256 needs an RSA public key. It cannot have signed this RS256 token: use an RSA public key of its issuer.',
    );

    const es384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const wrongCurve = await check(await mint('ES384', es384.privateKey), pastedKeySet(spki(ec)));
    expect(wrongCurve.message).toMatch(/curve P-256, but ES384 needs an EC public key on curve P-384/);

    const forOtherAlg = pastedKeySet(JSON.stringify(publicJwk(rsa, { kid: 'r', alg: 'RS512' })));
    expect((await check(rs, forOtherAlg)).message).toMatch(/Key "r" is for RS512 \(its "alg"\), not RS256/);
    const forEncryption = pastedKeySet(JSON.stringify(publicJwk(rsa, { use: 'enc' })));
    expect((await check(rs, forEncryption)).message).toMatch(/"use": "enc", not signatures/);
  });

  it('tells a changed token or another key apart from a missing kid', async () => {
    const token = await mint('RS256', rsa.privateKey, { kid: 'k1' });
    const changed = await check(tamper(token), pastedKeySet(spki(rsa)));
    expect(changed.result).toBe('bad-signature');
    expect(changed.message).toMatch(
      /does not match the pasted public key \(an RSA key \(2048 bits\)\): the token was changed/,
    );
    expect((await check(token, pastedKeySet(spki(otherRsa)))).result).toBe('bad-signature');

    const jwks = issuerKeySet(
      [publicJwk(rsa, { kid: 'k2' }), publicJwk(otherRsa, { kid: 'k3' })],
      'https://idp.example/keys',
    );
    const missing = await check(token, jwks);
    expect(missing).toMatchObject({ result: 'unknown-key', kid: 'k1', jwksUrl: 'https://idp.example/keys' });
    expect(missing.message).toMatch(
      /None of the 2 keys in the issuer's keys at https:\/\/idp.example\/keys has kid "k1" \(theirs are "k2", "k3"\)/,
    );
    const empty = await check(token, issuerKeySet([], 'https://idp.example/keys'));
    expect(empty).toMatchObject({
      result: 'unknown-key',
      message: expect.stringMatching(/^No keys at all in the issuer's keys at https:\/\/idp.example\/keys/),
    });
  });

  it('calls a token expired or not yet valid only once its signature is valid', async () => {
    const key = pastedKeySet(spki(rsa));
    const expired = await mint('RS256', rsa.privateKey, { exp: nowS - 5 });
    expect(await check(expired, key)).toMatchObject({
      result: 'expired',
      message: expect.stringMatching(/^The signature is valid .*expired on 2029-12-31T23:59:55/),
    });
    expect((await check(expired, pastedKeySet(spki(otherRsa)))).result).toBe('bad-signature');

    const early = await mint('RS256', rsa.privateKey, { nbf: nowS + 3600 });
    const notYet = await check(early, key);
    expect(notYet.result).toBe('not-yet-valid');
    expect(notYet.message).toMatch(/^The signature is valid .*not valid before 2030-01-01T01:00:00.000Z \(its nbf\)/);
    expect((await check(early, pastedKeySet(spki(otherRsa)))).result).toBe('bad-signature');
  });

  it('explains a pasted JWK that does not make a key', async () => {
    const broken = pastedKeySet(JSON.stringify({ kty: 'RSA', kid: 'b', n: '@@@', e: 'AQAB' }));
    const answer = await check(await mint('RS256', rsa.privateKey, { kid: 'b' }), broken);
    expect(answer).toMatchObject({ result: 'error', kid: 'b' });
    expect(answer.message).toMatch(
      /^Key "b" \(an RSA key\) from the pasted JWK cannot check RS256: .*Use another key\.$/,
    );
  });

  it('explains a key jose will not use (RSA under 2048 bits)', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const input = `${enc({ alg: 'RS256', kid: 's' })}.${enc({ sub: 'x' })}`;
    const token = `${input}.${nodeSign('sha256', Buffer.from(input), small.privateKey).toString('base64url')}`;
    const answer = await check(token, pastedKeySet(spki(small)));
    expect(answer.result).toBe('error');
    expect(answer.message).toMatch(/an RSA key \(1024 bits\).*cannot check RS256: .*2048 bits/);
  });
});

describe('shared secrets', () => {
  const secret = 'a-shared-secret-of-thirty-two-by';
  const bytes = Buffer.from(secret);

  it('checks HS256 with the secret as text, base64 or base64url, never repeating it', async () => {
    const token = await mint('HS256', bytes, { kid: 'hs' });
    for (const [text, encoding] of [
      [secret, 'utf8'],
      [bytes.toString('base64'), 'base64'],
      [bytes.toString('base64url'), 'base64url'],
    ] as const) {
      const answer = await check(token, secretKeySet(text, encoding));
      expect(answer, encoding).toMatchObject({ result: 'valid', kid: 'hs' });
      expect(JSON.stringify(answer)).not.toContain(text);
    }
    expect((await check(token, secretKeySet(secret, 'utf8'))).checkedWith).toBe(
      'the shared secret (32 bytes, as text (UTF-8))',
    );
    const wrong = await check(token, secretKeySet('another-shared-secret-of-32-byte', 'utf8'));
    expect(wrong).toMatchObject({ result: 'bad-signature', message: expect.stringMatching(/another secret/) });
  });

  it('refuses a secret shorter than RFC 7518 §3.2 allows, saying whether it matched', async () => {
    const short = new TextEncoder().encode('only-sixteen-byt');
    const matched = await check(await mint('HS256', short), secretKeySet('only-sixteen-byt', 'utf8'));
    expect(matched.result).toBe('error');
    expect(matched.message).toMatch(
      /matches the secret, but it is only 16 bytes, and RFC 7518 §3.2 asks at least 32 bytes \(256 bits\)/,
    );
    const hs384 = await check(await mint('HS384', bytes), secretKeySet(secret, 'utf8'));
    expect(hs384.message).toMatch(/only 32 bytes, .* at least 48 bytes/);
    const neither = await check(await mint('HS256', bytes), secretKeySet('only-sixteen-xxx', 'utf8'));
    expect(neither.result).toBe('bad-signature');
    expect(neither.message).toMatch(/also too short/);
  });

  it('says which box an HMAC or a public-key token needs', async () => {
    const hs = await check(await mint('HS256', bytes), pastedKeySet(spki(rsa)));
    expect(hs).toMatchObject({
      result: 'unknown-key',
      message: expect.stringMatching(/HS256: it is signed with a shared secret/),
    });
    const rs = await check(await mint('RS256', rsa.privateKey), secretKeySet(secret, 'utf8'));
    expect(rs).toMatchObject({
      result: 'unknown-key',
      message: expect.stringMatching(/RSA public key, not with a shared secret/),
    });
  });
});

describe('tokens with nothing to check', () => {
  let encrypted: string;
  beforeAll(async () => {
    const { publicKey } = await generateKeyPair('RSA-OAEP-256');
    encrypted = await new CompactEncrypt(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })
      .encrypt(publicKey);
  });

  it('answers without any key for JWE, opaque, cut-off, unsigned and unsupported tokens', async () => {
    const signed = await mint('RS256', rsa.privateKey);
    const [h, p] = signed.split('.');
    const cases: [string, SignatureCheck['result'], RegExp][] = [
      [encrypted, 'not-a-jwt', /encrypted JWT \(JWE\)/],
      [OPAQUE_TOKEN, 'not-a-jwt', /opaque/],
      [`${h}.${p}`, 'not-a-jwt', /it has 2 parts, a signed JWT has 3/],
      [`${enc({ alg: 'none' })}.${enc({ sub: 'x' })}.`, 'bad-signature', /unsigned \(alg "none"\)/],
      [`${enc({ alg: 'ES256K' })}.${enc({ sub: 'x' })}.c2ln`, 'error', /cannot check "ES256K" signatures/],
      [`${h}.${p}.`, 'error', /no signature .* looks cut off/],
    ];
    for (const [token, result, message] of cases) {
      expect(nothingToCheck(token, null), result).toMatchObject({ result, message: expect.stringMatching(message) });
      // The full check answers the same, before looking at any key.
      expect((await check(token, pastedKeySet(spki(rsa)))).result).toBe(result);
    }
    expect(nothingToCheck(signed, null)).toBeNull();
  });

  it('reads the keys of a JWK Set and ignores entries that are not JWKs', () => {
    expect(jwkSetKeys({ keys: [{ kty: 'RSA', n: 'x', e: 'AQAB' }, 'junk', { no: 'kty' }] })).toHaveLength(1);
    expect(jwkSetKeys({ key: [] })).toBeNull();
    expect(jwkSetKeys('x')).toBeNull();
  });
});
