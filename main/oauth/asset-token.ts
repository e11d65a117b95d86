import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import type { AssetDevice } from '../../preload/contract';
import type { ClientOptions } from './client';
import type { ErrorHint } from './http';
import { TOKEN_EXCHANGE_GRANT } from './token-exchange';
import { requestTokens } from './token-request';
import type { TokenSet } from './token-set';

const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

/** What to do when the app is not set up for asset tokens, in Salesforce's words and elsewhere. */
const NOT_ENABLED =
  'This app does not issue asset tokens. In Setup, open the app\'s OAuth settings, select "Enable Asset Tokens", give it an asset signing certificate and the asset audiences, and give it the api and openid scopes; then sign in again and retry.';

const HINTS: ErrorHint[] = [
  {
    match: /scope/i,
    code: 'oauth/invalid_grant',
    message:
      'Asset tokens need an access token with the api and openid scopes. Add both to the app profile and to the app in Setup, then re-authenticate the org.',
  },
  {
    match: /asset token/i,
    code: 'oauth/unsupported_grant',
    message: NOT_ENABLED,
    elsewhere: 'This server or client does not issue asset tokens (a token exchange with an actor token).',
  },
  {
    match: /unsupported_grant_type|not supported/i,
    code: 'oauth/unsupported_grant',
    message: NOT_ENABLED,
    elsewhere: 'This server or client does not allow token exchange (RFC 8693), which asset tokens use.',
  },
  {
    match: /actor/i,
    code: 'oauth/invalid_grant',
    message:
      'Salesforce did not accept the actor token: it must be a JWT with the device ID (did), the asset token’s name (Name) and, when signed, the public key it was signed with (cnf). Check the device fields and try again.',
    elsewhere: 'The server did not accept the actor token. Check the device fields and try again.',
  },
  {
    // The subject token is the org's access token: dead, it is renewed once and the request sent again.
    match: /invalid_grant/i,
    code: 'sf/session_expired',
    message: 'Salesforce did not accept the org’s access token as the subject token: it expired or was revoked.',
  },
];

/** The claims of an actor token: the device, and the asset it is registered as. */
export function actorClaims(device: AssetDevice): Record<string, unknown> {
  const asset = Object.fromEntries(
    Object.entries({
      Name: device.assetName,
      SerialNumber: device.serialNumber,
      AccountId: device.accountId,
      ContactId: device.contactId,
    }).filter(([, v]) => v.trim() !== ''),
  );
  return {
    did: device.deviceId,
    Name: device.tokenName,
    ...(Object.keys(asset).length > 0 ? { Asset: asset } : {}),
  };
}

/**
 * The actor token of Salesforce's asset token flow: a JWT whose claims describe the device (`did`, `Name`,
 * `Asset`). Signed, it is signed with a key made for this request (RS256), whose public key goes in `cnf`
 * (RFC 7800 §3.2) so the device's back end can ask for proof of possession; unsigned, its `alg` is `none`.
 */
export async function actorToken(
  device: AssetDevice,
): Promise<{ token: string; claims: Record<string, unknown>; alg: 'none' | 'RS256' }> {
  const base = actorClaims(device);
  if (!device.sign) return { token: new UnsecuredJWT(base).encode(), claims: base, alg: 'none' };
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const claims = { ...base, cnf: { jwk: { ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig' } } };
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(privateKey);
  return { token, claims, alg: 'RS256' };
}

/**
 * Salesforce's asset token flow ("OAuth 2.0 Asset Token Flow for Securing Connected Devices"): a token
 * exchange (RFC 8693 §2.1) of the org's access token (`subject_token`, of type access_token) and an actor
 * token (`actor_token`, of type jwt) for an asset token, a JWT the answer's `access_token` carries with
 * `issued_token_type` jwt. Salesforce's own sample request names no requested token type, so none is sent.
 * The client authenticates as for other grants.
 */
export function assetTokenGrant(
  options: ClientOptions & { subjectToken: string; actorToken: string },
): Promise<TokenSet> {
  const { subjectToken, actorToken: actor, ...client } = options;
  return requestTokens({
    ...client,
    grantType: TOKEN_EXCHANGE_GRANT,
    parameters: {
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      actor_token: actor,
      actor_token_type: JWT_TOKEN_TYPE,
    },
    action: 'requesting the asset token',
    hints: HINTS,
  });
}
