/**
 * The device flow's two halves called directly against the Salesforce double (Salesforce's variant at the
 * token endpoint): starting it, and polling until a person approves the code at the verification page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import {
  pollDeviceToken,
  SALESFORCE_DEVICE_CODE_LIFETIME_S,
  startDeviceAuthorization,
  type Sleep,
} from '../../main/oauth/device-flow';
import { approveDeviceAtSalesforceDouble } from '../servers/browser-login';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_USER,
  startSalesforceDouble,
  type SalesforceDouble,
} from '../servers/salesforce-double';
import { errorOf } from './support';

let double: SalesforceDouble | null = null;
afterEach(async () => {
  await double?.close();
  double = null;
});

const NOW = 1_800_000_000_000;
const SCOPES = ['api', 'refresh_token'];

async function world(deviceFlow = true, deviceInterval = 3) {
  double = await startSalesforceDouble({
    apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [], deviceFlow }],
    deviceInterval,
  });
  const as = await discoverAuthorizationServer(double.loginUrl);
  return { double, client: { as, clientId: DEFAULT_CLIENT_ID } };
}

/** Records each wait; runs `each` after a wait, before the poll that follows it. */
function sleeper(each: (n: number) => Promise<void> | void = () => undefined) {
  const waits: number[] = [];
  const sleep: Sleep = async (ms) => {
    waits.push(ms);
    await each(waits.length);
  };
  return { sleep, waits };
}

describe('startDeviceAuthorization', () => {
  it('asks Salesforce at its token endpoint, and gives the code a 10-minute life when no expires_in comes', async () => {
    const w = await world();
    const started = await startDeviceAuthorization({ ...w.client, scopes: SCOPES, now: () => NOW });
    expect(started).toMatchObject({
      salesforce: true,
      interval: 3,
      expiresAt: NOW + SALESFORCE_DEVICE_CODE_LIFETIME_S * 1000,
    });
    expect(started.userCode).toMatch(/^[A-Z0-9]+$/);
    expect(started.verificationUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(w.double.lastTokenRequest()).toMatchObject({ grantType: null, responseType: 'device_code', queryKeys: [] });
  });

  it('explains an app without the device flow', async () => {
    const w = await world(false);
    const error = await errorOf(startDeviceAuthorization({ ...w.client, scopes: SCOPES }));
    expect(error).toMatchObject({
      code: 'oauth/unsupported_grant',
      message: expect.stringMatching(/Enable for Device Flow/),
    });
  });
});

describe('pollDeviceToken', () => {
  it('polls at the interval until the code is approved, then returns the tokens', async () => {
    const w = await world();
    const authorization = await startDeviceAuthorization({ ...w.client, scopes: SCOPES });
    const { sleep, waits } = sleeper(async (n) => {
      if (n === 3) {
        await approveDeviceAtSalesforceDouble(authorization.verificationUri, authorization.userCode, DEFAULT_USER);
      }
    });
    const tokens = await pollDeviceToken({ ...w.client, authorization, scopes: SCOPES, sleep });
    expect(w.double.isTokenActive(tokens.accessToken)).toBe(true);
    expect(tokens.refreshToken).not.toBeNull();
    expect(waits).toEqual([3000, 3000, 3000]);
    expect(w.double.devicePolls()).toBe(3);
  });

  it('waits 5 seconds longer after each slow_down and says so', async () => {
    const w = await world();
    const authorization = await startDeviceAuthorization({ ...w.client, scopes: SCOPES });
    w.double.slowDownNextPolls(2);
    const intervals: number[] = [];
    const { sleep, waits } = sleeper(async (n) => {
      if (n === 4)
        await approveDeviceAtSalesforceDouble(authorization.verificationUri, authorization.userCode, DEFAULT_USER);
    });
    await pollDeviceToken({ ...w.client, authorization, scopes: SCOPES, sleep, onInterval: (s) => intervals.push(s) });
    expect(waits).toEqual([3000, 8000, 13000, 13000]);
    expect(intervals).toEqual([8, 13]);
  });

  it('stops with a timeout once the code has expired, without polling again', async () => {
    const w = await world();
    let now = NOW;
    const authorization = await startDeviceAuthorization({ ...w.client, scopes: SCOPES, now: () => now });
    const { sleep } = sleeper((n) => void (n === 2 && (now = authorization.expiresAt)));
    const error = await errorOf(pollDeviceToken({ ...w.client, authorization, scopes: SCOPES, sleep, now: () => now }));
    expect(error).toMatchObject({ code: 'oauth/timeout', message: expect.stringMatching(/code expired/) });
    expect(w.double.devicePolls()).toBe(1);
  });

  it('says the person denied it, and a cancelled wait ends the polling', async () => {
    const w = await world();
    const denied = await startDeviceAuthorization({ ...w.client, scopes: SCOPES });
    const { sleep } = sleeper(async (n) => {
      if (n === 1) {
        await approveDeviceAtSalesforceDouble(denied.verificationUri, denied.userCode, {
          ...DEFAULT_USER,
          decision: 'deny',
        });
      }
    });
    const error = await errorOf(pollDeviceToken({ ...w.client, authorization: denied, scopes: SCOPES, sleep }));
    expect(error).toMatchObject({
      code: 'oauth/access_denied',
      message: expect.stringMatching(/denied on the verification page/),
    });

    const pending = await startDeviceAuthorization({ ...w.client, scopes: SCOPES, now: () => Date.now() });
    const controller = new AbortController();
    const polls = w.double.devicePolls();
    const run = pollDeviceToken({
      ...w.client,
      authorization: { ...pending, interval: 60 },
      scopes: SCOPES,
      signal: controller.signal,
    });
    controller.abort();
    const cancelled = await errorOf(run);
    expect(cancelled).toBeInstanceOf(AppError);
    expect(cancelled.code).toBe('oauth/cancelled');
    expect(w.double.devicePolls()).toBe(polls);
  });
});
