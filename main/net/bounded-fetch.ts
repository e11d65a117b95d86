import { AppError } from '../errors';
import { networkError, tooLarge } from './network-error';

export type Fetch = typeof fetch;

/** Limits for every call to an authorization or resource server. */
export interface HttpOptions {
  fetch?: Fetch;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Refuse response bodies larger than this (default 1 MB). */
  maxBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The same options with every request also ended by `signal` (the user's Cancel), for calls that reach the
 * network through code that takes no signal of its own (discovery, a key set).
 */
export function withSignal(http: HttpOptions, signal: AbortSignal): HttpOptions {
  const base: Fetch = http.fetch ?? ((input, init) => fetch(input, init));
  return {
    ...http,
    fetch: (input, init) =>
      base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
  };
}
const DEFAULT_MAX_BYTES = 1_000_000;

/**
 * A fetch that times out (`AbortSignal.timeout`) and refuses huge bodies, for oauth4webapi's
 * `customFetch` and our own calls. The body is read here, with a cap, and handed on as a fresh Response.
 * Redirects are never followed: a token endpoint that redirects is misconfigured, and following it
 * could carry credentials elsewhere.
 */
export function boundedFetch(options: HttpOptions = {}): Fetch {
  const base = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signals = { caller: init?.signal, timeout };
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await base(input, { ...init, signal, redirect: 'manual' });
    } catch (cause) {
      throw networkError(input, cause, signals);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(input, maxBytes);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      if (response.body) {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > maxBytes) throw tooLarge(input, maxBytes);
          chunks.push(chunk);
        }
      }
    } catch (cause) {
      if (cause instanceof AppError) throw cause;
      throw networkError(input, cause, signals);
    }
    const body = response.status === 204 || response.status === 304 ? null : Buffer.concat(chunks);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
