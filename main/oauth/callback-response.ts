/**
 * The checks on the parameters the browser brings back to the loopback listener, in the order that keeps
 * a forged or mixed-up response from doing anything: `state` before anything else, `error` included
 * (RFC 9700 §4.7), then no parameter given twice, then `iss` when the server advertises it (RFC 9207 §2.4,
 * a mix-up defence), then `error` (RFC 6749 §4.1.2.1), then a `code` (or, in the user-agent flow, an
 * `access_token`).
 */
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';
import { authorizationResponseError } from './http';
import type { ServerRef } from './server-wording';

/**
 * What a callback is: `foreign` when its state is not ours (it does not end the wait for the real one),
 * `failed` when it ends the flow with an error, `code` when the flow may go on (exchange its code, or, in the
 * user-agent flow, take its tokens).
 */
export type CallbackVerdict = { kind: 'foreign' } | { kind: 'failed'; error: AppError } | { kind: 'code' };

export interface CallbackExpectations {
  /** The `state` sent in the authorization request. */
  state: string;
  /** The `iss` the callback must carry, when the server advertises it; null or absent: not checked. */
  iss?: string | null | undefined;
  /** The server the flow talks to, whose wording an `error=` callback's message uses. */
  server?: ServerRef | undefined;
  /** What a good callback carries: a `code` (default), or an `access_token` (user-agent flow, RFC 6749 §4.2.2). */
  response?: 'code' | 'token' | undefined;
}

/** Tells what a callback with these parameters is, checked in the order above. */
export function judgeCallback(params: URLSearchParams, expected: CallbackExpectations): CallbackVerdict {
  // 1. state, before anything else, error included.
  const states = params.getAll('state');
  if (states.length !== 1 || !sameState(states[0]!, expected.state)) return { kind: 'foreign' };
  // The state is single use from here on: whatever follows ends this flow.
  const carries = expected.response === 'token' ? 'access_token' : 'code';
  const duplicated = [carries, 'error', 'iss'].find((name) => params.getAll(name).length > 1);
  if (duplicated) {
    return failed(
      'oauth/authorization_error',
      `The browser came back with a malformed answer (more than one "${duplicated}"). Start the sign-in again.`,
    );
  }
  // 2. iss, when the server advertises it: a mix-up defence.
  if (expected.iss && params.get('iss') !== expected.iss) {
    return failed(
      'oauth/iss_mismatch',
      params.has('iss')
        ? 'The browser came back from a different server than the one the app asked (the "iss" did not match). The sign-in was stopped; try again.'
        : 'The browser came back without saying which server sent it (no "iss"), although the server promises to. The sign-in was stopped; try again.',
    );
  }
  // 3. error.
  const error = params.get('error');
  if (error !== null)
    return {
      kind: 'failed',
      error: authorizationResponseError(error, params.get('error_description'), undefined, expected.server),
    };
  if (!params.get(carries)) {
    return failed(
      'oauth/bad_response',
      carries === 'code'
        ? 'The browser came back without an authorization code. Start the sign-in again.'
        : 'The browser came back without an access token. Start the sign-in again.',
    );
  }
  return { kind: 'code' };
}

function failed(code: ConstructorParameters<typeof AppError>[0], message: string): CallbackVerdict {
  return { kind: 'failed', error: new AppError(code, message) };
}

/** Compared in constant time: how much of a guess was right must not show in the time the answer takes. */
function sameState(received: string, expected: string): boolean {
  const got = Buffer.from(received, 'utf8');
  const want = Buffer.from(expected, 'utf8');
  return got.length === want.length && timingSafeEqual(got, want);
}
