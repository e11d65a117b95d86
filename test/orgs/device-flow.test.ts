/**
 * The device flow end to end: the app gets a code, a "person" enters it at the verification page and logs
 * in (a real HTTP client), and the app's polling brings the tokens home. Against the Salesforce double
 * (Salesforce's own variant at the token endpoint) and against oidc-provider (RFC 8628).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppProfile, SignInStart } from '../../preload/contract';
import { approveDeviceAtSalesforceDouble } from '../servers/browser-login';
import {
  approveDeviceAtOidcPeer,
  ACCOUNT_ID,
  DEVICE_CLIENT_ID,
  startOidcPeer,
  type OidcPeer,
} from '../servers/oidc-peer';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type DoubleApp,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { recordingSleep } from '../support/sleep';
import { failureOf } from '../support/failure';
import { testHandlers, type TestServices } from '../support/test-services';

let double: SalesforceDouble | null = null;
let peer: OidcPeer | null = null;
let services: TestServices;
afterEach(async () => {
  await services?.close();
  await double?.close();
  await peer?.close();
  double = peer = null;
});

async function setup(app: Partial<DoubleApp> = {}, config: { deviceInterval?: number } = {}) {
  double = await startSalesforceDouble({
    apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [], deviceFlow: true, ...app }],
    deviceInterval: config.deviceInterval ?? 5,
  });
  const timing = recordingSleep();
  services = await testHandlers({ sleep: timing.sleep });
  const profile = await services.handlers.saveAppProfile({
    name: 'Device app',
    kind: 'external-client-app',
    consumerKey: DEFAULT_CLIENT_ID,
    callbackUrl: 'http://localhost:1717/OauthRedirect',
    scopes: ['api', 'refresh_token', 'openid'],
  });
  return { profile, timing };
}

function begin(profile: AppProfile, loginHost: string) {
  return services.handlers.beginSignIn({ profileId: profile.id, loginHost, method: 'device', label: 'On the TV' });
}

function deviceStart(start: SignInStart) {
  if (start.method !== 'device') throw new Error(`expected a device start, got ${start.method}`);
  return start;
}

describe('device flow against the Salesforce double', () => {
  it('shows a code, polls at the interval, and files the org once the person approves it', async () => {
    const { profile, timing } = await setup();
    const start = deviceStart(await begin(profile, double!.loginUrl));
    expect(start.userCode).toMatch(/^[A-Z0-9]{8}$/);
    expect(start.verificationUri).toBe(`${double!.loginUrl}/setup/connect`);
    expect(start.interval).toBe(5);
    // Salesforce sends no expires_in: the app takes 10 minutes.
    expect(start.expiresAt - Date.now()).toBeGreaterThan(590_000);
    expect(double!.lastTokenRequest()).toMatchObject({ grantType: null, responseType: 'device_code', queryKeys: [] });

    const waiting = services.handlers.awaitSignIn({ flowId: start.flowId });
    await expect.poll(() => double!.devicePolls()).toBeGreaterThanOrEqual(2);
    const { page } = await approveDeviceAtSalesforceDouble(start.verificationUri, start.userCode, {
      username: DEFAULT_USER.username,
      password: DEFAULT_USER.password,
    });
    expect(page).toContain("You're connected");
    const org = await waiting;

    expect(org).toMatchObject({ label: 'On the TV', username: DEFAULT_USER.username, grant: 'device' });
    expect(org.tokens.map((t) => t.kind).sort()).toEqual(['access', 'id', 'refresh']);
    expect(timing.waits.every((ms) => ms === 5000)).toBe(true);
    expect(double!.lastTokenRequest()).toMatchObject({ grantType: 'device', queryKeys: [] });
    expect(double!.lastTokenRequest()!.bodyKeys).toEqual(expect.arrayContaining(['code', 'client_id']));

    // The refresh token works like any other.
    const refreshed = await services.handlers.refreshOrg({ id: org.id });
    expect(refreshed.status).toBe('connected');
    expect(double!.refreshGrants()).toBe(1);
  });

  it('waits 5 seconds longer after each slow_down (RFC 8628 §3.5)', async () => {
    const { profile, timing } = await setup({}, { deviceInterval: 2 });
    double!.slowDownNextPolls(2);
    const start = deviceStart(await begin(profile, double!.loginUrl));
    const waiting = services.handlers.awaitSignIn({ flowId: start.flowId });
    await expect.poll(() => double!.devicePolls()).toBeGreaterThanOrEqual(4);
    await approveDeviceAtSalesforceDouble(start.verificationUri, start.userCode, {
      username: DEFAULT_USER.username,
      password: DEFAULT_USER.password,
    });
    await waiting;
    expect(timing.waits.slice(0, 4)).toEqual([2000, 7000, 12000, 12000]);
  });

  it('says so when the person denies, when the code expires, and stops on Cancel', async () => {
    const { profile } = await setup();
    const denied = deviceStart(await begin(profile, double!.loginUrl));
    const deniedWait = services.handlers.awaitSignIn({ flowId: denied.flowId });
    await approveDeviceAtSalesforceDouble(denied.verificationUri, denied.userCode, {
      username: DEFAULT_USER.username,
      password: DEFAULT_USER.password,
      decision: 'deny',
    });
    expect((await failureOf(deniedWait))?.message).toMatch(/denied on the verification page/);

    const late = deviceStart(await begin(profile, double!.loginUrl));
    const lateWait = services.handlers.awaitSignIn({ flowId: late.flowId });
    double!.advance(11 * 60_000);
    expect(await failureOf(lateWait)).toMatchObject({
      code: 'oauth/timeout',
      message: expect.stringMatching(/code expired before it was approved/),
    });

    const cancelled = deviceStart(await begin(profile, double!.loginUrl));
    const cancelledWait = services.handlers.awaitSignIn({ flowId: cancelled.flowId });
    await expect.poll(() => double!.devicePolls()).toBeGreaterThan(0);
    await services.handlers.cancelSignIn({ flowId: cancelled.flowId });
    expect((await failureOf(cancelledWait))?.code).toBe('oauth/cancelled');
    const polls = double!.devicePolls();
    await new Promise((r) => setTimeout(r, 50));
    expect(double!.devicePolls()).toBe(polls);
    expect(services.vault.listOrgs()).toEqual([]);
  });

  it('opens the verification page in the system browser, and explains an app without the device flow', async () => {
    const { profile } = await setup();
    const start = deviceStart(await begin(profile, double!.loginUrl));
    await services.handlers.openDeviceVerification({ flowId: start.flowId });
    expect(services.opened).toEqual([start.verificationUri]);
    await services.handlers.cancelSignIn({ flowId: start.flowId });
    await services.close();
    await double!.close();

    const off = await setup({ deviceFlow: false });
    const error = await failureOf(begin(off.profile, double!.loginUrl));
    expect(error).toMatchObject({
      code: 'oauth/unsupported_grant',
      message: expect.stringMatching(/Enable for Device Flow/),
    });
  });
});

describe('device flow against oidc-provider (RFC 8628)', () => {
  it('uses the device authorization endpoint, and the refresh token it issues', async () => {
    peer = await startOidcPeer({ deviceFlow: true });
    const timing = recordingSleep();
    services = await testHandlers({ sleep: timing.sleep });
    const profile = await services.handlers.saveAppProfile({
      name: 'Peer device client',
      kind: 'oidc',
      consumerKey: DEVICE_CLIENT_ID,
      callbackUrl: 'http://127.0.0.1/callback',
      scopes: ['openid', 'offline_access', 'email', 'profile'],
    });
    const start = deviceStart(await begin(profile, peer.issuer));
    expect(start.verificationUri).toBe(`${peer.issuer}/device`);
    // oidc-provider sends no interval: RFC 8628 says to wait 5 seconds.
    expect(start.interval).toBe(5);
    const waiting = services.handlers.awaitSignIn({ flowId: start.flowId });
    await approveDeviceAtOidcPeer(start.verificationUri, start.userCode);
    const org = await waiting;
    expect(org).toMatchObject({ username: ACCOUNT_ID, grant: 'device' });
    expect(org.tokens.map((t) => t.kind).sort()).toEqual(['access', 'id', 'refresh']);
    // oidc-provider rotates refresh tokens; the new one is kept.
    const before = org.tokens.find((t) => t.kind === 'refresh')!.hint;
    const refreshed = await services.handlers.refreshOrg({ id: org.id });
    expect(refreshed.tokens.find((t) => t.kind === 'refresh')!.hint).not.toBe(before);
  });
});
