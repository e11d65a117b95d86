/**
 * What a server says, made fit for a message, and the causes kept on errors: no token, no control
 * characters, nothing long. The texts come from a real loopback server where a server would send them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { boundedFetch } from '../../main/net/bounded-fetch';
import { safeCause, sanitizeServerText } from '../../main/net/server-text';
import { startLoopback, type Loopback } from './loopback';

let server: Loopback | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMDUifQ.c2lnbmF0dXJl-part_2';
const SF_TOKEN = '00D5g000004XYZA!AQ0AQH0dMHZfz972Szmpkb58urFRkgeBGsxL_QJWwYMfAbUeeG7c1EXAMPLE';

describe('sanitizeServerText', () => {
  it('redacts JWTs, Salesforce opaque tokens and long secrets in an error page from a server', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`bad token ${JWT} or ${SF_TOKEN} or ${'r'.repeat(45)}\r\n\tend`);
    });
    const said = await (await boundedFetch()(server.origin)).text();
    const clean = sanitizeServerText(said);
    expect(clean).toBe('bad token [redacted] or [redacted] or [redacted] end');
  });

  it('removes control characters, folds white space and cuts at the limit with an ellipsis', () => {
    expect(sanitizeServerText('a\u0000b\u001b[31mc\u007f  \n d')).toBe('a b [31mc d');
    const long = sanitizeServerText('word '.repeat(100), 20);
    expect(long).toHaveLength(20);
    expect(long.endsWith('…')).toBe(true);
    expect(sanitizeServerText('short')).toBe('short');
  });
});

describe('safeCause', () => {
  it('keeps the name, code and a sanitized message, and drops the cause (which may hold a body)', () => {
    const library = Object.assign(new Error(`failed for ${JWT}`, { cause: { body: { access_token: SF_TOKEN } } }), {
      code: 'OAUTH_INVALID_RESPONSE',
    });
    library.name = 'OperationProcessingError';
    const kept = safeCause(library)!;
    expect(kept.name).toBe('OperationProcessingError');
    expect(kept.message).toBe('OperationProcessingError [OAUTH_INVALID_RESPONSE]: failed for [redacted]');
    expect(kept.cause).toBeUndefined();
    expect(JSON.stringify(kept) + kept.message).not.toContain('00D5g');
  });

  it('keeps an AppError as it is, and nothing for what is not an Error', () => {
    const own = new AppError('oauth/network', 'Could not reach the server.');
    expect(safeCause(own)).toBe(own);
    expect(safeCause('a string')).toBeUndefined();
    expect(safeCause({ message: 'not an error' })).toBeUndefined();
  });

  it('is what a failed request keeps: the platform error of a refused connection, nothing more', async () => {
    server = await startLoopback(() => undefined);
    const origin = server.origin;
    await server.close();
    server = null;
    const error = await boundedFetch()(`${origin}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const cause = (error as AppError).cause as Error;
    expect(cause.name).toBe('TypeError');
    expect(cause.cause).toBeUndefined();
  });
});
