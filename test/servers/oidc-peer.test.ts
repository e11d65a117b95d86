/**
 * The oidc-provider peer's device flow (RFC 8628) and client credentials grant, driven by plain fetch and
 * oauth4webapi (a client nobody here wrote), so the product's own flows can rely on what the peer does.
 */
import * as oauth from 'oauth4webapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ACCOUNT_ID,
  approveDeviceAtOidcPeer,
  DEVICE_CLIENT_ID,
  loginAtOidcPeer,
  NATIVE_CLIENT_ID,
  SERVICE_CLIENT_ID,
  SERVICE_CLIENT_SECRET,
  startOidcPeer,
  type OidcPeer,
  type OidcPeerOptions,
} from './oidc-peer';

const loopback = { [oauth.allowInsecureRequests]: true };
const deviceClient: oauth.Client = { client_id: DEVICE_CLIENT_ID };
const serviceClient: oauth.Client = { client_id: SERVICE_CLIENT_ID };

let peer: OidcPeer | undefined;
let as: oauth.AuthorizationServer;

async function start(options: OidcPeerOptions = { deviceFlow: true, clientCredentials: true }) {
  peer = await startOidcPeer(options);
  const issuer = new URL(peer.issuer);
  as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...loopback }),
  );
  return peer;
}

afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

async function authorizeDevice(scope = 'openid offline_access api') {
  const response = await oauth.deviceAuthorizationRequest(as, deviceClient, oauth.None(), { scope }, loopback);
  return oauth.processDeviceAuthorizationResponse(as, deviceClient, response);
}

async function poll(deviceCode: string) {
  const response = await oauth.deviceCodeGrantRequest(as, deviceClient, oauth.None(), deviceCode, loopback);
  return oauth.processDeviceCodeResponse(as, deviceClient, response);
}

async function refresh(refreshToken: string) {
  const response = await oauth.refreshTokenGrantRequest(as, deviceClient, oauth.None(), refreshToken, loopback);
  return oauth.processRefreshTokenResponse(as, deviceClient, response);
}

async function errorOf(promise: Promise<unknown>): Promise<oauth.ResponseBodyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(oauth.ResponseBodyError);
  return error as oauth.ResponseBodyError;
}

describe('the device flow', () => {
  beforeEach(async () => {
    await start();
  });

  it('is advertised and gives device_code, user_code, verification_uri and expires_in, but no interval', async () => {
    expect(as.device_authorization_endpoint).toBe(`${peer!.issuer}/device/auth`);
    expect(as.grant_types_supported).toContain('urn:ietf:params:oauth:grant-type:device_code');
    const da = await authorizeDevice();
    expect(da.device_code).toEqual(expect.any(String));
    expect(da.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(da.verification_uri).toBe(`${peer!.issuer}/device`);
    expect(da.verification_uri_complete).toBe(`${peer!.issuer}/device?user_code=${encodeURIComponent(da.user_code)}`);
    expect(da.expires_in).toBeGreaterThan(0);
    // oidc-provider leaves interval out; RFC 8628 §3.2 says clients then wait 5 seconds between polls.
    expect(da.interval).toBeUndefined();
  });

  it('answers authorization_pending before the person approves, then tokens with a refresh token', async () => {
    const da = await authorizeDevice();
    const pending = await errorOf(poll(da.device_code));
    expect(pending.error).toBe('authorization_pending');
    expect(pending.status).toBe(400);

    const { page } = await approveDeviceAtOidcPeer(da.verification_uri, da.user_code);
    expect(page).toContain('Sign-in Success');

    const tokens = await poll(da.device_code);
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.id_token).toMatch(/^eyJ/);
    expect(tokens.scope?.split(' ').sort()).toEqual(['api', 'offline_access', 'openid']);
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(ACCOUNT_ID);

    const refreshed = await refresh(tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  });

  it('gives invalid_grant for a replayed device code and revokes the grant it gave', async () => {
    const da = await authorizeDevice();
    await approveDeviceAtOidcPeer(da.verification_uri, da.user_code);
    const tokens = await poll(da.device_code);
    expect((await errorOf(poll(da.device_code))).error).toBe('invalid_grant');
    expect((await errorOf(refresh(tokens.refresh_token!))).error).toBe('invalid_grant');
  });

  it('signs in the account the person chose', async () => {
    const da = await authorizeDevice('openid');
    await approveDeviceAtOidcPeer(da.verification_uri, da.user_code, { accountId: 'other@example.com' });
    const tokens = await poll(da.device_code);
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe('other@example.com');
    // Without offline_access there is no refresh token.
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('gives access_denied when the person aborts', async () => {
    const da = await authorizeDevice();
    const { page } = await approveDeviceAtOidcPeer(da.verification_uri, da.user_code, { deny: true });
    expect(page).toContain('The Sign-in request was interrupted');
    const denied = await errorOf(poll(da.device_code));
    expect(denied.error).toBe('access_denied');
  });

  it('says clearly when the user code is wrong or already used', async () => {
    const da = await authorizeDevice();
    await expect(approveDeviceAtOidcPeer(da.verification_uri, 'BCDF-GHJK')).rejects.toThrow(
      /no op\.deviceConfirmForm form after entering BCDF-GHJK \(200\): "The code you entered is incorrect/,
    );
    await approveDeviceAtOidcPeer(da.verification_uri, da.user_code);
    await expect(approveDeviceAtOidcPeer(da.verification_uri, da.user_code)).rejects.toThrow(
      /no op\.deviceConfirmForm form/,
    );
  });
});

describe('the client credentials grant', () => {
  beforeEach(async () => {
    await start();
  });

  const grant = (secret: string, parameters: Record<string, string> = {}) =>
    oauth.clientCredentialsGrantRequest(as, serviceClient, oauth.ClientSecretPost(secret), parameters, loopback);

  it('gives the service client an opaque access token without a scope parameter', async () => {
    expect(as.grant_types_supported).toContain('client_credentials');
    const tokens = await oauth.processClientCredentialsResponse(as, serviceClient, await grant(SERVICE_CLIENT_SECRET));
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.access_token).not.toMatch(/^eyJ/);
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(tokens.scope).toBeUndefined();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it("grants the client's allowed scope and refuses others", async () => {
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      serviceClient,
      await grant(SERVICE_CLIENT_SECRET, { scope: 'api' }),
    );
    expect(tokens.scope).toBe('api');
    const refused = await errorOf(
      oauth.processClientCredentialsResponse(
        as,
        serviceClient,
        await grant(SERVICE_CLIENT_SECRET, { scope: 'openid' }),
      ),
    );
    expect(refused.error).toBe('invalid_scope');
  });

  it('refuses a wrong secret with invalid_client', async () => {
    const response = await grant('not-the-secret-not-the-secret-not-the-secret');
    expect(response.status).toBe(401);
    const refused = await errorOf(oauth.processClientCredentialsResponse(as, serviceClient, response));
    expect(refused.error).toBe('invalid_client');
  });
});

describe('the options', () => {
  it('leave the device flow and client credentials off by default', async () => {
    await start({});
    expect(as.device_authorization_endpoint).toBeUndefined();
    expect(as.grant_types_supported).not.toContain('client_credentials');
    expect(as.grant_types_supported).not.toContain('urn:ietf:params:oauth:grant-type:device_code');
    const response = await fetch(`${peer!.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: SERVICE_CLIENT_ID,
        client_secret: SERVICE_CLIENT_SECRET,
      }),
    });
    // The service and device clients are always configured, but oidc-provider validates a static client when it
    // is first used: with its grant's feature off, that client is refused as invalid_client_metadata.
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client_metadata');
    const device = await fetch(`${peer!.issuer}/device/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: DEVICE_CLIENT_ID }),
    });
    expect(device.status).toBe(404);
  });

  it('add interval to the device authorization response when deviceInterval is set', async () => {
    await start({ deviceFlow: true, deviceInterval: 1 });
    const da = await authorizeDevice();
    expect(da.interval).toBe(1);
    expect(da.device_code).toEqual(expect.any(String));
  });

  it('keep the sign-in through loginAtOidcPeer working', async () => {
    await start({ deviceFlow: true, clientCredentials: true });
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: NATIVE_CLIENT_ID,
      redirect_uri: 'http://127.0.0.1:1234/callback',
      response_type: 'code',
      scope: 'openid',
      state: 'st',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const { callbackUrl } = await loginAtOidcPeer(url.href);
    const callback = new URL(callbackUrl);
    expect(callback.origin + callback.pathname).toBe('http://127.0.0.1:1234/callback');
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
    expect(callback.searchParams.get('iss')).toBe(peer!.issuer);
  });
});
