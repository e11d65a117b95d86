import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { AppError } from '../errors';
import { isSalesforceHost } from './authorization-server';
import type { ErrorHint } from './http';
import { orgTypeFromHost, PRODUCTION_LOGIN, SANDBOX_LOGIN } from './login-host';
import type { ClientOptions } from './client';
import { requestTokens } from './token-request';
import type { TokenSet } from './token-set';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Salesforce refuses an assertion whose `exp` is more than 3 minutes away ("OAuth 2.0 JWT Bearer Flow"). */
const ASSERTION_LIFETIME_S = 150;

/**
 * Reads a PEM private key for signing assertions: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1
 * (`BEGIN RSA PRIVATE KEY`, what `openssl genrsa` writes), RSA only (the assertion is RS256). Returns
 * the key as PKCS#8 PEM, the form it is stored in. Every other input is `key/invalid` with the fix.
 */
export function normalizePrivateKeyPem(pem: string): string {
  return readPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' }).toString();
}

function readPrivateKey(pem: string): KeyObject {
  const text = pem.trim();
  if (/BEGIN CERTIFICATE|BEGIN PUBLIC KEY/.test(text)) {
    throw new AppError(
      'key/invalid',
      'This is a certificate or public key. The app needs the private key (the .key file made with it); the certificate is what you upload to the app in Salesforce.',
    );
  }
  if (/ENCRYPTED/.test(text)) {
    throw new AppError(
      'key/invalid',
      'This private key is protected by a passphrase. Remove it first (openssl pkey -in server.key -out server-plain.key) and choose that file; the app stores the key encrypted.',
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new AppError(
      'key/invalid',
      'This is not a PEM private key. Choose the .key file that begins with "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----".',
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AppError(
      'key/invalid',
      `This is an ${key.asymmetricKeyType ?? 'unknown'} key. Salesforce's JWT bearer flow signs with RS256, so it needs an RSA key (openssl genrsa -out server.key 2048).`,
    );
  }
  return key;
}

/**
 * The `aud` of an assertion for a login host ("OAuth 2.0 JWT Bearer Flow for Server-to-Server
 * Integration", Salesforce Help): https://login.salesforce.com for production and Developer Edition
 * orgs, https://test.salesforce.com for sandboxes, also when the request goes to a My Domain. Any other
 * server's audience is its issuer, whole, path included (`https://idp.example/realms/acme`): RFC 7523 §3
 * lets the audience be the issuer or the token endpoint, and the issuer is the one identifier discovery
 * checked (the token endpoint is only where the issuer says to send requests).
 */
export function jwtBearerAudience(issuer: string): string {
  if (!isSalesforceHost(issuer)) return issuer;
  return orgTypeFromHost(issuer) === 'sandbox' ? SANDBOX_LOGIN : PRODUCTION_LOGIN;
}

const hints = (username: string, audience: string): ErrorHint[] => [
  {
    match: /hasn.t approved|not approved/i,
    code: 'oauth/app_not_approved',
    message: `Salesforce says ${username} has not approved this app. For the JWT bearer flow, pre-authorize the user: in the app's policies set Permitted Users to "Admin approved users are pre-authorized" and add the user's profile or a permission set (or sign in once with the browser with this app and choose Allow).`,
    elsewhere: `The server says ${username} has not approved this client. Have the server's administrator grant the client to the user, or sign in once with the browser with this client and choose Allow.`,
  },
  {
    match: /audience/i,
    code: 'oauth/invalid_grant',
    message: `Salesforce did not accept the assertion's audience ${audience}. Use https://login.salesforce.com for production and Developer Edition orgs and https://test.salesforce.com for sandboxes.`,
    elsewhere: `The server did not accept the assertion's audience ${audience} (the app sends the server's issuer). Check which audience the server expects in JWT bearer assertions.`,
  },
  {
    match: /invalid_client_id|client identifier/i,
    code: 'oauth/invalid_client',
    message:
      'Salesforce does not know this consumer key, or the app has no certificate for the JWT bearer flow. Check the consumer key and that "Use digital signatures" is on in the app with your certificate.',
    elsewhere:
      "The server does not know this client ID, or has no key of the client to verify JWT bearer assertions with. Check the client ID and that the key's certificate (or public key) is registered with the client.",
  },
  {
    match: /expired/i,
    code: 'oauth/invalid_grant',
    message:
      "The assertion had expired when Salesforce read it. Check that this computer's clock is right, then try again.",
    elsewhere:
      "The assertion had expired when the server read it. Check that this computer's clock is right, then try again.",
  },
  {
    match: /user not found|invalid user|inactive/i,
    code: 'oauth/invalid_grant',
    message: `Salesforce has no active user ${username} at this login host. Check the username, and choose Sandbox for a sandbox user.`,
    elsewhere: `The server has no active user ${username}. Check the username (the assertion's subject).`,
  },
  {
    match: /invalid assertion|signature/i,
    code: 'oauth/invalid_grant',
    message:
      "Salesforce could not verify the assertion with the app's certificate: the private key does not belong to the certificate uploaded to the app. Upload the certificate made from this key (openssl req -new -x509 -key server.key -out server.crt), or choose the matching key.",
    elsewhere:
      'The server could not verify the assertion: the private key does not belong to the certificate or public key registered with the client. Register the one made from this key, or choose the matching key.',
  },
];

export interface JwtBearerOptions extends Omit<ClientOptions, 'clientSecret'> {
  username: string;
  privateKeyPem: string;
  /** The `aud`; default {@link jwtBearerAudience} of the issuer. */
  audience?: string;
}

/**
 * The JWT bearer grant (RFC 7523 §2.1; Salesforce "OAuth 2.0 JWT Bearer Flow for Server-to-Server
 * Integration"): an RS256 assertion with `iss` = consumer key, `sub` = username, `aud` = login host and
 * an `exp` under 3 minutes away, signed with the key whose certificate is uploaded to the app. No refresh
 * token is issued: a new token comes from a new assertion.
 */
export async function jwtBearerGrant(options: JwtBearerOptions): Promise<TokenSet> {
  const { username, privateKeyPem, audience: chosen, ...client } = options;
  const now = client.now ?? Date.now;
  const audience = chosen ?? jwtBearerAudience(client.as.issuer);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(client.clientId)
    .setSubject(username)
    .setAudience(audience)
    .setExpirationTime(Math.floor(now() / 1000) + ASSERTION_LIFETIME_S)
    .sign(readPrivateKey(privateKeyPem));
  return requestTokens({
    ...client,
    grantType: JWT_BEARER_GRANT,
    parameters: { assertion },
    action: 'signing in with the JWT bearer flow',
    hints: hints(username, audience),
  });
}
