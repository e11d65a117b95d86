/**
 * The keys a user pastes to check a token's signature, read into a key set (verify-keys.ts checks with it):
 * PEM (SPKI public key, PKCS #1 RSA public key, X.509 certificate), a JWK, a JWK Set, or the shared secret of
 * an HMAC token. Private keys are refused and not kept: checking a signature never needs one
 * (docs/SECURITY.md). A secret is never repeated in a message.
 */
import { X509Certificate, createPublicKey } from 'node:crypto';
import { base64url, type JWK } from 'jose';
import type { SecretEncoding } from '../../preload/contract';
import { AppError } from '../errors';
import { MAX_KEYS, candidates, count, isPrivateJwk, jwkSetKeys, type KeySet } from './verify-keys';

const PRIVATE_REFUSED = `This is a private key. The app does not take private keys: checking a signature needs only the public key, and a private key can sign tokens in its owner's name. It was not kept. Paste the public key or the certificate instead.`;

const ENCODING_WORDS: Record<SecretEncoding, string> = {
  utf8: 'as text (UTF-8)',
  base64: 'decoded from base64',
  base64url: 'decoded from base64url',
};

/**
 * The key(s) a user pasted: PEM (SPKI public key, PKCS #1 RSA public key or X.509 certificate, one or more
 * blocks), a JWK or a JWK Set. Private keys and shared secrets in JWK form are refused (`key/invalid`).
 */
export function pastedKeySet(text: string): KeySet {
  const trimmed = text.trim();
  if (/PRIVATE KEY-----/.test(trimmed)) throw new AppError('key/invalid', PRIVATE_REFUSED);
  if (trimmed.startsWith('{')) return pastedJwks(trimmed);
  if (trimmed.includes('-----BEGIN')) return pastedPem(trimmed);
  throw new AppError(
    'key/invalid',
    'This is not a key the app can read. Paste a PEM public key (-----BEGIN PUBLIC KEY-----), a certificate (-----BEGIN CERTIFICATE-----), a JWK or a JWK Set.',
  );
}

function pastedJwks(text: string): KeySet {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError(
      'key/invalid',
      'The pasted text starts like JSON but is not valid JSON. Paste the whole JWK or JWK Set, from { to }.',
    );
  }
  const set = jwkSetKeys(value);
  const single = set === null && typeof (value as JWK).kty === 'string';
  const keys = set ?? (single ? [value as JWK] : null);
  if (keys === null)
    throw new AppError('key/invalid', 'This JSON is neither a JWK (it has no "kty") nor a JWK Set (no "keys" array).');
  if (keys.some((k) => k.kty === 'oct')) {
    throw new AppError(
      'key/invalid',
      'This JWK is a shared secret (kty "oct"), not a public key: it checks HS256/384/512 tokens only. For such a token, enter its "k" value as the shared secret, with the base64url encoding.',
    );
  }
  if (keys.some(isPrivateJwk)) throw new AppError('key/invalid', PRIVATE_REFUSED);
  if (keys.length > MAX_KEYS) throw new AppError('key/invalid', `This JWK Set has more than ${MAX_KEYS} keys.`);
  const from = single ? 'the pasted JWK' : `the pasted JWK Set`;
  return { keys: candidates(keys, from), from, jwksUrl: null };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function pastedPem(text: string): KeySet {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) {
    throw new AppError(
      'key/invalid',
      'The PEM text is incomplete: copy everything from the -----BEGIN line to the -----END line, both included.',
    );
  }
  if (blocks.length > MAX_KEYS) throw new AppError('key/invalid', `This paste has more than ${MAX_KEYS} PEM blocks.`);
  const keys: JWK[] = [];
  let subject: string | null = null;
  for (const [pem, label] of blocks) {
    try {
      if (label === 'CERTIFICATE') {
        const cert = new X509Certificate(pem);
        subject ??= /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1] ?? cert.subject.split('\n')[0] ?? null;
        keys.push(cert.publicKey.export({ format: 'jwk' }));
      } else if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') {
        keys.push(createPublicKey(pem).export({ format: 'jwk' }));
      } else {
        throw new AppError(
          'key/invalid',
          `A PEM "${label}" block is not a public key or a certificate. Paste a -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE----- block.`,
        );
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError(
        'key/invalid',
        `The PEM "${label}" block could not be read: its base64 text is damaged or incomplete. Copy it again.`,
      );
    }
  }
  const certs = blocks.filter((b) => b[1] === 'CERTIFICATE').length;
  const from =
    blocks.length > 1
      ? `the ${blocks.length} pasted PEM blocks`
      : certs === 1
        ? `the pasted certificate${subject ? ` (CN=${subject})` : ''}`
        : 'the pasted public key';
  return { keys: candidates(keys, from), from, jwksUrl: null };
}

/** The shared secret of an HMAC token (HS256/384/512), as its bytes; never repeated in a message. */
export function secretKeySet(secret: string, encoding: SecretEncoding): KeySet {
  const bytes = secretBytes(secret, encoding);
  if (bytes.length === 0)
    throw new AppError('key/invalid', 'The secret is empty. Enter the secret the token was signed with.');
  return {
    keys: [{ jwk: { kty: 'oct', k: base64url.encode(bytes) }, name: 'the secret' }],
    from: `the shared secret (${count(bytes.length, 'byte')}, ${ENCODING_WORDS[encoding]})`,
    jwksUrl: null,
  };
}

function secretBytes(secret: string, encoding: SecretEncoding): Uint8Array {
  if (encoding === 'utf8') return new TextEncoder().encode(secret);
  const text = secret.replace(/\s+/g, '');
  const alphabet = encoding === 'base64' ? /^[A-Za-z0-9+/]*={0,2}$/ : /^[A-Za-z0-9_-]*={0,2}$/;
  if (!alphabet.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    const other = encoding === 'base64' ? /[-_]/.test(text) : /[+/]/.test(text);
    throw new AppError(
      'key/invalid',
      other
        ? `The secret is not ${encoding}: it has ${encoding === 'base64' ? '- or _' : '+ or /'}, which is ${encoding === 'base64' ? 'base64url' : 'base64'}. Choose that encoding.`
        : `The secret is not ${encoding} text. Choose the encoding it is written in (text, base64 or base64url).`,
    );
  }
  return Buffer.from(text, encoding);
}
