import { setTimeout as delay } from 'node:timers/promises';
import * as oauth from 'oauth4webapi';
import { AppError } from '../errors';
import { clientAt } from './client-auth';
import { isSafeTransport } from '../net/transport';
import type { ClientOptions } from './client';
import { oauthOptions, toOAuthError, type ErrorHint } from './http';
import { sendTokenRequest } from './token-request';
import type { TokenSet } from './token-set';

/** Salesforce sends no `expires_in` with a device code; its codes last 10 minutes (unconfirmed: the docs are silent). */
export const SALESFORCE_DEVICE_CODE_LIFETIME_S = 600;
/** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
const DEFAULT_INTERVAL_S = 5;
/** RFC 8628 §3.5: on `slow_down` the interval grows by 5 seconds for this and every later request. */
export const SLOW_DOWN_STEP_S = 5;

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string | null;
  /** Seconds between polls. */
  interval: number;
  /** Epoch ms when the code expires. */
  expiresAt: number;
  /** Salesforce's own variant: started and polled at the token endpoint (`grant_type=device`). */
  salesforce: boolean;
}

const HINTS: ErrorHint[] = [
  {
    match: /device flow|unsupported_response_type|unauthorized_client/i,
    code: 'oauth/unsupported_grant',
    message:
      'This app does not allow the device flow. Turn on "Enable for Device Flow" in the app\'s OAuth settings (changes can take a few minutes), then try again.',
    elsewhere:
      'This client may not use the device flow. Allow the device authorization grant (RFC 8628) for the client at the server, then try again.',
  },
];

/**
 * Starts the device authorization grant (RFC 8628 §3.1-3.2). Where the server publishes a
 * `device_authorization_endpoint` this is the standard request; Salesforce instead takes
 * `response_type=device_code` at its token endpoint and answers without `expires_in`
 * ("OAuth 2.0 Device Flow for IoT Integration"), which is then taken as {@link SALESFORCE_DEVICE_CODE_LIFETIME_S}.
 */
export async function startDeviceAuthorization(
  options: ClientOptions & { scopes: readonly string[] },
): Promise<DeviceAuthorization> {
  const now = options.now ?? Date.now;
  const salesforce = typeof options.as.device_authorization_endpoint !== 'string';
  const as: oauth.AuthorizationServer =
    salesforce && options.as.token_endpoint !== undefined
      ? { ...options.as, device_authorization_endpoint: options.as.token_endpoint }
      : options.as;
  const { client, auth, method } = clientAt(as, 'device_authorization', options.clientId, options.clientSecret);
  try {
    const response = await oauth.deviceAuthorizationRequest(
      as,
      client,
      auth,
      { scope: options.scopes.join(' '), ...(salesforce ? { response_type: 'device_code' } : {}) },
      oauthOptions(as.device_authorization_endpoint, options.http ?? {}, options.signal),
    );
    const body = await oauth.processDeviceAuthorizationResponse(
      as,
      client,
      salesforce ? await withLifetime(response, SALESFORCE_DEVICE_CODE_LIFETIME_S) : response,
    );
    for (const url of [body.verification_uri, body.verification_uri_complete]) {
      // The user is sent there to log in: it must be a web address over https (loopback http in tests).
      if (url !== undefined && (!URL.canParse(url) || !isSafeTransport(url))) {
        throw new AppError(
          'oauth/bad_response',
          'The server sent a verification address that is not an https web address, so the app will not show it. Check the login host.',
        );
      }
    }
    return {
      deviceCode: body.device_code,
      userCode: body.user_code,
      verificationUri: body.verification_uri,
      verificationUriComplete: body.verification_uri_complete ?? null,
      interval: Math.max(1, body.interval ?? DEFAULT_INTERVAL_S),
      expiresAt: now() + body.expires_in * 1000,
      salesforce,
    };
  } catch (e) {
    throw toOAuthError(e, 'starting the device flow', HINTS, { server: options.as, clientAuth: method });
  }
}

/** A Salesforce start response, given the `expires_in` oauth4webapi requires and Salesforce leaves out. */
async function withLifetime(response: Response, seconds: number): Promise<Response> {
  if (response.status !== 200) return response;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'expires_in' in body) return response;
  return new Response(JSON.stringify({ ...body, expires_in: seconds }), {
    status: response.status,
    headers: response.headers,
  });
}

/** Waits `ms`, or rejects with `oauth/cancelled` when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

const realSleep: Sleep = async (ms, signal) => {
  try {
    await delay(ms, undefined, signal ? { signal } : {});
  } catch {
    throw new AppError('oauth/cancelled', 'Cancelled.');
  }
};

/**
 * Polls the token endpoint until the user approves or denies the code, or it expires (RFC 8628 §3.4-3.5):
 * one request per `interval` seconds, 5 seconds more after each `slow_down`, on through
 * `authorization_pending`; `access_denied` and `expired_token` end it with their own errors, and so does
 * `signal`. Salesforce is polled with `grant_type=device&code=<device_code>`.
 */
export async function pollDeviceToken(
  options: ClientOptions & {
    authorization: DeviceAuthorization;
    scopes: readonly string[];
    sleep?: Sleep;
    /** Called with the interval in seconds whenever it changes (a `slow_down`). */
    onInterval?: (seconds: number) => void;
  },
): Promise<TokenSet> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const { authorization } = options;
  let interval = authorization.interval;
  for (;;) {
    await sleep(interval * 1000, options.signal);
    if (now() >= authorization.expiresAt) throw expired();
    try {
      return await requestDeviceToken(options);
    } catch (e) {
      const error = e instanceof oauth.ResponseBodyError ? e.error : null;
      if (error === 'authorization_pending') continue;
      if (error === 'slow_down') {
        interval += SLOW_DOWN_STEP_S;
        options.onInterval?.(interval);
        continue;
      }
      if (error === 'expired_token') throw expired();
      if (error === 'access_denied') {
        throw new AppError(
          'oauth/access_denied',
          'Access was denied on the verification page. Start again and choose Allow if you want to connect this org.',
        );
      }
      throw toOAuthError(e, 'waiting for the device code to be approved', [], { server: options.as });
    }
  }
}

/**
 * One poll; oauth4webapi's errors come through untranslated, so the waiting answers can be told apart.
 * RFC 8628 §3.4 posts `grant_type=urn:ietf:params:oauth:grant-type:device_code&device_code=…`;
 * Salesforce takes `grant_type=device&code=…`. Otherwise the request and its answer are the same.
 */
function requestDeviceToken(
  options: ClientOptions & { authorization: DeviceAuthorization; scopes: readonly string[] },
): Promise<TokenSet> {
  const { deviceCode, salesforce } = options.authorization;
  return sendTokenRequest({
    ...options,
    grantType: salesforce ? 'device' : DEVICE_CODE_GRANT,
    parameters: salesforce ? { code: deviceCode } : { device_code: deviceCode },
  });
}

function expired(): AppError {
  return new AppError(
    'oauth/timeout',
    'The code expired before it was approved. Start the device flow again and enter the new code soon after it appears.',
  );
}
