/** Reading what a user pastes to check a signature with: public keys in every form, secrets, and refusals. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { pastedKeySet, secretKeySet } from '../../main/tokens/pasted-keys';
import { isPrivateJwk } from '../../main/tokens/verify-keys';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = (k: { publicKey: KeyObject }) => k.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const publicJwk = (k: { publicKey: KeyObject }, extra: Partial<JWK> = {}): JWK => ({
  ...(k.publicKey.export({ format: 'jwk' }) as JWK),
  ...extra,
});
function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('pastedKeySet', () => {
  it('reads PEM public keys, a JWK and a JWK Set into keys named for messages', () => {
    expect(pastedKeySet(spki(rsa))).toMatchObject({
      from: 'the pasted public key',
      jwksUrl: null,
      keys: [{ jwk: { kty: 'RSA' }, name: 'the pasted public key' }],
    });
    expect(pastedKeySet(`${spki(rsa)}\n${spki(ec)}`)).toMatchObject({
      from: 'the 2 pasted PEM blocks',
      keys: [
        { jwk: { kty: 'RSA' }, name: 'key 1 of 2' },
        { jwk: { kty: 'EC', crv: 'P-256' }, name: 'key 2 of 2' },
      ],
    });
    expect(pastedKeySet(JSON.stringify(publicJwk(ec, { kid: 'e' })))).toMatchObject({
      from: 'the pasted JWK',
      keys: [{ jwk: { kid: 'e' } }],
    });
    expect(pastedKeySet(JSON.stringify({ keys: [publicJwk(ec), publicJwk(rsa)] })).keys).toHaveLength(2);
  });

  it('refuses private keys in every form, without repeating them', () => {
    const pems = [
      rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string,
      rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string,
      `${spki(rsa)}\n${rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string}`,
    ];
    const privateJwk = rsa.privateKey.export({ format: 'jwk' }) as JWK;
    const jsons = [JSON.stringify(privateJwk), JSON.stringify({ keys: [publicJwk(ec), privateJwk] })];
    for (const text of [...pems, ...jsons]) {
      const error = refusal(() => pastedKeySet(text));
      expect(error.code).toBe('key/invalid');
      expect(error.message).toMatch(/^This is a private key\..*It was not kept/);
      expect(error.message).not.toContain(String(privateJwk.d).slice(0, 12));
    }
    expect(isPrivateJwk(privateJwk)).toBe(true);
    expect(isPrivateJwk(publicJwk(rsa))).toBe(false);
  });

  it('says what is wrong with a paste that is not a key', () => {
    const cases: [string, RegExp][] = [
      ['hello', /not a key the app can read/],
      ['{"kty": "RSA",', /not valid JSON/],
      ['{"n": "abc"}', /neither a JWK .* nor a JWK Set/],
      ['{"kty":"oct","k":"c2VjcmV0"}', /shared secret \(kty "oct"\).*enter its "k" value as the shared secret/],
      ['-----BEGIN PUBLIC KEY-----\nMIIB', /incomplete/],
      [
        '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----',
        /"CERTIFICATE REQUEST" block is not a public key/,
      ],
      ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', /could not be read/],
      [JSON.stringify({ keys: Array.from({ length: 101 }, () => publicJwk(ec)) }), /more than 100 keys/],
    ];
    for (const [text, message] of cases) {
      const error = refusal(() => pastedKeySet(text));
      expect([error.code, error.message], text.slice(0, 40)).toEqual(['key/invalid', expect.stringMatching(message)]);
    }
  });
});

describe('secretKeySet', () => {
  it('reads a secret as text, base64 or base64url into the same bytes', () => {
    const bytes = Buffer.from('a-shared-secret-of-thirty-two-by');
    const k = bytes.toString('base64url');
    expect(secretKeySet(bytes.toString(), 'utf8').keys[0]!.jwk).toEqual({ kty: 'oct', k });
    expect(secretKeySet(bytes.toString('base64'), 'base64').keys[0]!.jwk).toEqual({ kty: 'oct', k });
    expect(secretKeySet(` ${k}\n`, 'base64url')).toMatchObject({
      keys: [{ jwk: { kty: 'oct', k } }],
      from: 'the shared secret (32 bytes, decoded from base64url)',
    });
  });

  it('says which encoding a secret is in when the chosen one does not read it', () => {
    const cases: [string, 'base64' | 'base64url', RegExp][] = [
      ['ab-_cd', 'base64', /it has - or _, which is base64url/],
      ['ab+/cd', 'base64url', /it has \+ or \/, which is base64/],
      ['not base64!', 'base64', /not base64 text/],
      ['abcde', 'base64url', /not base64url text/],
    ];
    for (const [text, encoding, message] of cases) {
      expect(refusal(() => secretKeySet(text, encoding)).message).toMatch(message);
    }
    expect(refusal(() => secretKeySet('==', 'base64')).message).toMatch(/empty/);
  });
});
