import { randomBytes } from 'node:crypto';
import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { inspectToken } from '../../main/tokens/inspect-token';
import { isOrgId, to18 } from '../../main/tokens/org-id';
import type { ErrorCode, JwsInspection } from '../../preload/contract';
import { encryptedToken, OPAQUE_TOKEN, salesforceJwtAccessToken } from '../support/tokens';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const NOW_S = NOW / 1000;

function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

function jws(raw: string): JwsInspection {
  const r = inspectToken(raw, NOW);
  if (r.kind !== 'jws') throw new Error(`expected a JWS, got ${r.kind}`);
  return r;
}

describe('inspectToken: JWS', () => {
  it('decodes a Salesforce JWT access token with claims, meanings, scopes and times', async () => {
    const token = await salesforceJwtAccessToken({ nowSeconds: NOW_S, expiresInSeconds: 840 });
    const r = jws(`  Bearer ${token}\n`);
    expect(r.label).toBe('Salesforce JWT access token');
    expect(r.alg).toBe('RS256');
    expect(r.expiresAt).toBe(NOW_S + 840);
    expect(r.issuedAt).toBe(NOW_S);
    expect(r.signatureBytes).toBe(256);
    expect(r.parts.header + '.' + r.parts.payload + '.' + r.parts.signature).toBe(token);
    const header = Object.fromEntries(r.header.map((row) => [row.name, row]));
    expect(header['tty']?.meaning).toMatch(/Salesforce JWT-based access token/);
    expect(header['tnk']?.source).toBe('Salesforce');
    const payload = Object.fromEntries(r.payload.map((row) => [row.name, row]));
    expect(payload['scp']).toMatchObject({ kind: 'scopes', scopes: ['api', 'refresh_token', 'openid'] });
    expect(payload['exp']).toMatchObject({ kind: 'time', epochSeconds: NOW_S + 840 });
    expect(payload['client_id']?.meaning).toMatch(/consumer key/);
    expect(payload['mty']?.meaning).toBeTruthy();
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('flags alg none as dangerous and labels it unsigned', () => {
    const token = new UnsecuredJWT({ sub: 'x' }).setExpirationTime(NOW_S + 60).encode();
    const r = jws(token);
    expect(r.alg).toBe('none');
    expect(r.findings).toContainEqual(
      expect.objectContaining({ severity: 'danger', message: expect.stringMatching(/unsigned/) }),
    );
  });

  it('warns about HS256, unusual algorithms, header-supplied keys and an empty signature', () => {
    const hs = jws(`${b64({ alg: 'HS256' })}.${b64({ sub: 'a', exp: NOW_S + 10 })}.${b64('sig')}`);
    expect(hs.findings.some((f) => f.severity === 'warning' && /shared-secret/.test(f.message))).toBe(true);
    const odd = jws(
      `${b64({ alg: 'RS1', jku: 'https://evil.example/jwks' })}.${b64({ exp: NOW_S + 10 })}.${b64('sig')}`,
    );
    expect(odd.findings.map((f) => f.message).join(' ')).toMatch(/Unusual algorithm "RS1".*names its own key/);
    const empty = jws(`${b64({ alg: 'RS256' })}.${b64({ exp: NOW_S + 10 })}.`);
    expect(empty.findings).toContainEqual(
      expect.objectContaining({ severity: 'danger', message: expect.stringMatching(/signature part is empty/) }),
    );
  });

  it('says when a token expired, is not valid yet, or never expires', () => {
    expect(
      jws(`${b64({ alg: 'RS256' })}.${b64({ exp: NOW_S - 7200 })}.${b64('s')}`).findings.map((f) => f.message),
    ).toContain('This token has expired.');
    expect(
      jws(`${b64({ alg: 'RS256' })}.${b64({ nbf: NOW_S + 600, exp: NOW_S + 900 })}.${b64('s')}`)
        .findings.map((f) => f.message)
        .join(),
    ).toMatch(/not valid yet/);
    expect(
      jws(`${b64({ alg: 'RS256' })}.${b64({ sub: 'x' })}.${b64('s')}`)
        .findings.map((f) => f.message)
        .join(),
    ).toMatch(/does not expire/);
  });

  it('accepts numeric claims sent as strings but warns on the row', () => {
    const r = jws(`${b64({ alg: 'RS256' })}.${b64({ exp: String(NOW_S + 60), iat: 'yesterday' })}.${b64('s')}`);
    const exp = r.payload.find((row) => row.name === 'exp');
    expect(exp).toMatchObject({
      kind: 'time',
      epochSeconds: NOW_S + 60,
      warning: expect.stringMatching(/requires a number/),
    });
    expect(r.payload.find((row) => row.name === 'iat')?.warning).toMatch(/Not a time/);
    expect(r.expiresAt).toBe(NOW_S + 60);
  });

  it('labels an OpenID Connect ID token', () => {
    const r = jws(
      `${b64({ alg: 'RS256', kid: '1' })}.${b64({ iss: 'https://login.salesforce.com', sub: 'u', aud: 'c', nonce: 'n', exp: NOW_S + 5 })}.${b64('s')}`,
    );
    expect(r.label).toBe('OpenID Connect ID token');
    expect(r.payload.find((row) => row.name === 'nonce')?.source).toBe('OpenID Connect Core');
  });

  it('keeps unicode and enormous claims, cutting only the table display', () => {
    const r = jws(`${b64({ alg: 'RS256' })}.${b64({ name: 'Zoë 🚀 日本', blob: 'x'.repeat(100_000) })}.${b64('s')}`);
    expect(r.payload.find((row) => row.name === 'name')?.display).toBe('Zoë 🚀 日本');
    const blob = r.payload.find((row) => row.name === 'blob');
    expect(blob?.display.length).toBeLessThan(2100);
    expect(blob?.display).toMatch(/more characters\)$/);
    expect(r.payloadJson.length).toBeGreaterThan(100_000);
  });

  it('decodes a 100 KB token quickly enough for typing', async () => {
    const big = await salesforceJwtAccessToken({ extra: { blob: 'y'.repeat(100_000) } });
    const t0 = performance.now();
    expect(inspectToken(big, NOW).kind).toBe('jws');
    // A generous bound: this guards against accidental quadratic work, not a benchmark.
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('inspectToken: other kinds', () => {
  it('recognizes a JWE and decodes only its protected header', async () => {
    const r = inspectToken(await encryptedToken(), NOW);
    expect(r.kind).toBe('jwe');
    if (r.kind !== 'jwe') return;
    expect(r.alg).toBe('RSA-OAEP-256');
    expect(r.enc).toBe('A256GCM');
    expect(r.findings[0]?.message).toMatch(/encrypted.*private key/);
  });

  it('recognizes a Salesforce opaque access token and gives the org ID in both forms', () => {
    const r = inspectToken(OPAQUE_TOKEN, NOW);
    expect(r).toMatchObject({
      kind: 'salesforce-opaque',
      orgId15: '00D5g000004XYZA',
      orgId18: to18('00D5g000004XYZA'),
    });
    expect(JSON.stringify(r)).not.toContain(OPAQUE_TOKEN.split('!')[1]);
  });
});

describe('inspectToken: malformed input', () => {
  const header = b64({ alg: 'RS256' });
  const cases: [string, string, ErrorCode, RegExp?][] = [
    ['empty', '   ', 'token/empty'],
    ['only Bearer', 'Bearer ', 'token/empty'],
    ['no dots', 'hello', 'token/unsupported'],
    ['two parts', 'a.b', 'token/bad_segment_count', /Found 2 parts/],
    ['four parts', 'a.b.c.d', 'token/bad_segment_count'],
    ['bad base64url payload', `${header}.@@@.c2ln`, 'token/bad_base64url', /payload \(part 2\)/],
    ['bad base64url header', `@@@.${b64({})}.c2ln`, 'token/bad_base64url', /header \(part 1\)/],
    ['bad base64url signature', `${header}.${b64({ a: 1 })}.@@@`, 'token/bad_base64url', /signature \(part 3\)/],
    [
      'payload not JSON',
      `${header}.${b64('not json')}.c2ln`,
      'token/bad_json',
      /payload \(part 2\) decodes, but not to JSON/,
    ],
    ['header not JSON', `${b64('{"alg":')}.${b64({})}.c2ln`, 'token/bad_json', /header/],
    ['payload an array', `${header}.${b64([1, 2])}.c2ln`, 'token/not_an_object', /an array/],
    ['header a number', `${b64(42)}.${b64({})}.c2ln`, 'token/not_an_object', /a number/],
    ['empty payload', `${header}..c2ln`, 'token/bad_json', /empty/],
    [
      'JWE with bad ciphertext',
      `${b64({ alg: 'dir', enc: 'A128GCM' })}..aXY.@@@.dGFn`,
      'token/bad_base64url',
      /ciphertext/,
    ],
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
