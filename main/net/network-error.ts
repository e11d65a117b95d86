import { AppError } from '../errors';
import { safeCause } from './server-text';

/**
 * The errors a request can end with before any answer is read: cancelled by the caller, timed out,
 * unreachable, or an answer too large to read. They are AppErrors with the codes the bridge contract
 * (preload/contract.ts) has for them, `oauth/cancelled`, `oauth/network` and `oauth/bad_response`, whichever
 * server was called; the message names the host, never the path or query (which may carry a token).
 */

type Input = Parameters<typeof fetch>[0];

/** The host a request went to, for a message. */
function hostOf(input: Input): string {
  try {
    return new URL(input instanceof Request ? input.url : String(input)).host;
  } catch {
    return 'the server';
  }
}

/** An answer whose body is larger than the caller allows. */
export function tooLarge(input: Input, maxBytes: number): AppError {
  const limit = maxBytes >= 1_000_000 ? `${Math.round(maxBytes / 1_000_000)} MB` : `${maxBytes} bytes`;
  return new AppError(
    'oauth/bad_response',
    `${hostOf(input)} sent an answer larger than ${limit}, which no OAuth response is. Check the login host.`,
  );
}

/**
 * What the fetch (or the read of its body) threw, typed by the signals rather than by the error's text:
 * the caller's own signal aborted is a cancellation; the time limit's signal fired (or the platform says
 * `TimeoutError`/`AbortError`) is no answer in time; anything else is an unreachable server.
 */
export function networkError(
  input: Input,
  cause: unknown,
  signals: { caller?: AbortSignal | null | undefined; timeout?: AbortSignal },
): AppError {
  if (signals.caller?.aborted) {
    return new AppError('oauth/cancelled', 'The request was cancelled.', { cause: safeCause(cause) });
  }
  const timedOut =
    signals.timeout?.aborted === true ||
    (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError'));
  return new AppError(
    'oauth/network',
    timedOut
      ? `${hostOf(input)} did not answer in time. Check your network connection (and VPN or proxy), then try again.`
      : `Could not reach ${hostOf(input)}. Check the address and your network connection, then try again.`,
    { cause: safeCause(cause) },
  );
}
