/**
 * Recognizing what was pasted: a Salesforce opaque access token (only its org ID shown), a JWS or JWE by
 * its number of parts, `Bearer` and quotes around it removed; input that is none of these, or too large,
 * gets its own coded error, and random input never anything but a coded error. An opaque token of another
 * server (oidc-provider's, Okta's, Google's, GitHub's shapes) is told apart from input that is broken.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { clientCredentialsGrant } from '../../main/oauth/client-credentials';
import { inspectToken } from '../../main/tokens/inspect-token';
import { isOrgId, to18 } from '../../main/tokens/org-id';
import type { ErrorCode } from '../../preload/contract';
import { SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET, startOidcPeer } from '../servers/oidc-peer';
import { OPAQUE_TOKEN } from '../support/tokens';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

describe('inspectToken: other kinds', () => {
  it('recognizes a Salesforce opaque access token and gives the org ID in both forms', () => {
    const r = inspectToken(OPAQUE_TOKEN, NOW);
    expect(r).toMatchObject({
      kind: 'salesforce-opaque',
      orgId15: '00D5g000004XYZA',
      orgId18: to18('00D5g000004XYZA'),
    });
    expect(JSON.stringify(r)).not.toContain(OPAQUE_TOKEN.split('!')[1]);
  });

  it('tells a JWS from a JWE by its parts, with Bearer and quotes removed', () => {
    const header = b64({ alg: 'RS256' });
    expect(inspectToken(`Bearer "${header}.${b64({ sub: 'u' })}.${b64('s')}"`, NOW).kind).toBe('jws');
    expect(inspectToken(`'${b64({ alg: 'dir', enc: 'A128GCM' })}..aXY.Y3Q.dGFn'`, NOW).kind).toBe('jwe');
  });
});

describe('inspectToken: malformed input', () => {
  const cases: [string, string, ErrorCode, RegExp?][] = [
    ['empty', '   ', 'token/empty'],
    ['only Bearer', 'Bearer ', 'token/empty'],
    ['no dots', 'hello', 'token/unsupported'],
    ['two parts', 'a.b', 'token/bad_segment_count', /Found 2 parts/],
    ['four parts', 'a.b.c.d', 'token/bad_segment_count'],
    ['too large', 'a'.repeat(1_000_001), 'token/too_large'],
  ];
  it.each(cases)('%s', (_name, input, code, message) => {
    let error: unknown;
    try {
      inspectToken(input, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    if (message) expect((error as AppError).message).toMatch(message);
  });

  it('never throws anything but a coded error on random input', () => {
    const alphabet = 'abcXYZ019-_.!~+/= \u00e9\u{1F680}\u0000';
    for (let i = 0; i < 3000; i++) {
      const bytes = randomBytes(1 + (i % 64));
      const input =
        i % 3 === 0
          ? bytes.toString('latin1')
          : i % 3 === 1
            ? [...bytes].map((b) => alphabet[b % alphabet.length]).join('')
            : `${bytes.subarray(0, 8).toString('base64url')}.${bytes.subarray(8).toString('base64url')}.${b64('s')}`;
      const code = codeOf(() => inspectToken(input, NOW));
      expect(typeof code).toBe('string');
    }
  });
});

describe('org IDs', () => {
  it('converts 15-character IDs to the 18-character form', () => {
    expect(to18('00D000000000062')).toBe('00D000000000062EAA');
    expect(to18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(to18('00D000000000062EAA')).toBe('00D000000000062EAA');
    expect(() => to18('short')).toThrow(RangeError);
    expect(isOrgId('00D000000000062')).toBe(true);
    expect(isOrgId('001A0000006Vm9r')).toBe(false);
  });
});

describe('inspectToken: opaque tokens of other servers', () => {
  const opaque = /^A reference the server that issued it resolves.*introspect it there/;
  const errorOf = (input: string): AppError => {
    try {
      inspectToken(input, NOW);
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
    throw new Error('no error');
  };

  it.each([
    ['base64url, as oidc-provider and Okta issue them', 'Jg7Zq3V0cH1mYnV6kPqT4cL8sWdRrA2eXoNbGhKiM5u'],
    ['with a prefix and dots, as Google issues them', 'ya29.a0AfH6SMBx3Vqk-8bQ1_lD2pYtWcRzNh0LmE4s'],
    ['with a type prefix, as GitHub issues them', 'gho_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['with Bearer and quotes around it', 'Bearer "Jg7Zq3V0cH1mYnV6kPqT4cL8sWdRrA2eXoNbGhKiM5u"'],
  ])('recognises one %s, without echoing it', (_name, token) => {
    const bare = token.replace(/^Bearer "|"$/g, '');
    const inspection = inspectToken(token, NOW);
    expect(inspection).toMatchObject({ kind: 'opaque', length: bare.length, label: 'Opaque token (not a JWT)' });
    expect(inspection.findings[0]!.message).toMatch(opaque);
    expect(JSON.stringify(inspection)).not.toContain(bare);
  });

  it('recognises the opaque access token oidc-provider issues', async () => {
    const peer = await startOidcPeer({ clientCredentials: true });
    try {
      const tokens = await clientCredentialsGrant({
        as: await discoverAuthorizationServer(peer.issuer),
        clientId: SERVICE_CLIENT_ID,
        clientSecret: SERVICE_CLIENT_SECRET,
        scopes: ['api'],
      });
      expect(tokens.tokenFormat).toBe('opaque');
      expect(inspectToken(tokens.accessToken, NOW)).toMatchObject({ kind: 'opaque' });
    } finally {
      await peer.close();
    }
  });

  it.each([
    ['a JWT cut after its payload', `${b64({ alg: 'RS256' })}.${b64({ sub: 'u' })}`, 'token/bad_segment_count'],
    ['a JWT header alone', b64({ alg: 'RS256', typ: 'JWT' }), 'token/unsupported'],
    ['a Salesforce token with a broken org ID', '00D12345!AQ0123456789abcdef', 'token/unsupported'],
    ['dots run together', 'abcdefghij..klmnop.qrstuvwxyz', 'token/bad_segment_count'],
    ['whitespace inside', 'abcdefghijklmno pqrstuvwxyz0123', 'token/unsupported'],
    ['too short', 'abc123', 'token/unsupported'],
  ])('keeps the typed errors for %s', (_name, input, code) => {
    const error = errorOf(input);
    expect(error.code).toBe(code);
    expect(error.message).not.toMatch(/opaque token/);
  });

  it('keeps the typed errors of a three-part token that is not base64url', () => {
    expect(errorOf('not-base64!.also@bad.sig').code).toMatch(/^token\//);
    expect(errorOf('not-base64!.also@bad.sig').message).not.toMatch(/opaque token/);
  });
});
