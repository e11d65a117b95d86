/** Real tokens for tests, signed or encrypted with jose. */
import { CompactEncrypt, SignJWT, generateKeyPair, type CryptoKey } from 'jose';

let keys: Promise<{ publicKey: CryptoKey; privateKey: CryptoKey }> | null = null;
const rsa = () => (keys ??= generateKeyPair('RS256', { extractable: true }));

/** A Salesforce-style JWT access token (tty, tnk, ver in the header; scp, client_id, mty, sty in the payload). */
export async function salesforceJwtAccessToken(
  options: { expiresInSeconds?: number; nowSeconds?: number; extra?: Record<string, unknown> } = {},
): Promise<string> {
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const { privateKey } = await rsa();
  return new SignJWT({
    scp: ['api', 'refresh_token', 'openid'],
    client_id: '3MVG9test.consumer.key',
    mty: 'oauth',
    sty: 'web',
    ...options.extra,
  })
    .setProtectedHeader({
      alg: 'RS256',
      typ: 'JWT',
      kid: '246',
      tty: 'sfdc-core-token',
      tnk: 'core/prod/00D5g000004XYZAEA4',
      ver: '1.0',
    })
    .setIssuer('https://acme.my.salesforce.com')
    .setSubject('uid:0055g00000AbCdEAAV')
    .setAudience('https://acme.my.salesforce.com')
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 14 * 60))
    .setJti('1c2d3e4f')
    .sign(privateKey);
}

let encKeys: Promise<{ publicKey: CryptoKey; privateKey: CryptoKey }> | null = null;

export async function encryptedToken(): Promise<string> {
  const { publicKey } = await (encKeys ??= generateKeyPair('RSA-OAEP-256'));
  return new CompactEncrypt(new TextEncoder().encode('{"sub":"secret"}'))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'enc-1' })
    .encrypt(publicKey);
}

export const OPAQUE_TOKEN = '00D5g000004XYZA!AQ8AQLm2x4JHk9Jq0Wv3bXc1pL6s.yT_hG5fK2eR7uN9mB4vZ0aQwE3sD8cF1gH6jK';
