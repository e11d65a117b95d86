/**
 * Every Salesforce token shape recognised as such: a refresh token (the shape the Salesforce double mints),
 * a guest JWT-based access token with its unique visitor ID, and tokens that lost their end explained as
 * cut off rather than as broken; and the decoder warmed up at start.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { inspectToken, normalizePastedToken, warmUpDecoder } from '../../main/tokens/inspect-token';
import type { ErrorCode } from '../../preload/contract';
import { signInAtDouble, startDoubleWorld } from '../oauth/support';
import { salesforceJwtAccessToken } from '../support/tokens';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

function errorOf(input: string): AppError {
  try {
    inspectToken(input, NOW);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('normalizePastedToken', () => {
  it('strips whitespace, a Bearer prefix in any case and matching quotes', () => {
    expect(normalizePastedToken('  BEARER   "abc.def"  \n')).toBe('abc.def');
    expect(normalizePastedToken("'00D!x'")).toBe('00D!x');
    expect(normalizePastedToken('"abc\'')).toBe('"abc\'');
    expect(normalizePastedToken('Bearer')).toBe('');
    expect(normalizePastedToken('Bearertoken')).toBe('Bearertoken');
  });
});

describe('Salesforce refresh tokens', () => {
  it('recognises the refresh token a Salesforce org mints, without echoing it', async () => {
    const world = await startDoubleWorld();
    try {
      const refresh = (await signInAtDouble(world)).tokens.refreshToken ?? '';
      expect(refresh).toMatch(/^5Aep861/);
      const r = inspectToken(`Bearer ${refresh}`, NOW);
      expect(r).toMatchObject({
        kind: 'salesforce-refresh',
        length: refresh.length,
        label: 'Salesforce refresh token',
      });
      const said = r.findings.map((f) => f.message).join(' ');
      expect(said).toMatch(/Opaque.*never sent to an API/);
      expect(said).toMatch(/Introspect it at the org.*revoke it there/);
      expect(JSON.stringify(r)).not.toContain(refresh.slice(7));
    } finally {
      await world.close();
    }
  });

  it('recognises one with dots and padding, as the Salesforce CLI stores them', () => {
    expect(inspectToken('5Aep861abc.def.ghijklmnopqrstuv==', NOW).kind).toBe('salesforce-refresh');
    expect(inspectToken('5Aep861ProdRefreshTokenQwErTy0123456789AbCdEfGhIjKlMnOpQrStUvWxYz', NOW).kind).toBe(
      'salesforce-refresh',
    );
  });
});

describe('Salesforce JWT-based access tokens', () => {
  it('labels a named-user token and a guest token (with "uvid") apart', async () => {
    const named = inspectToken(await salesforceJwtAccessToken({ nowSeconds: NOW / 1000 }), NOW);
    expect(named.label).toBe('Salesforce JWT access token');
    const guest = inspectToken(
      await salesforceJwtAccessToken({
        nowSeconds: NOW / 1000,
        extra: { uvid: '0d4f9c2e-7a51-4f1e-9d0b-4c1b2a3d4e5f' },
      }),
      NOW,
    );
    expect(guest.label).toBe('Salesforce JWT access token (guest)');
    expect(guest.findings.map((f) => f.message).join(' ')).toMatch(/unique visitor ID/);
    if (guest.kind !== 'jws') throw new Error('expected a JWS');
    expect(guest.payload.find((row) => row.name === 'uvid')).toMatchObject({ source: 'Salesforce' });
  });
});

describe('tokens that lost their end', () => {
  const header = b64({ alg: 'RS256', typ: 'JWT' });
  const payload = b64({ sub: 'uid:0055g00000AbCdEAAV', exp: NOW / 1000 + 60 });
  const cases: [string, string, ErrorCode, RegExp][] = [
    [
      'cut after the payload',
      `${header}.${payload}`,
      'token/bad_segment_count',
      /^The signature is missing — the token looks cut off after its payload\. Copy it again, all of it\.$/,
    ],
    [
      'cut inside the payload (its JSON ends early)',
      `${header}.${b64('{"sub":"uid:0055g00000AbCdEAAV","exp":17')}`,
      'token/bad_segment_count',
      /signature is missing and the payload stops early — the token looks cut off/,
    ],
    ['cut after the header', header, 'token/unsupported', /only a JWT's header.*looks cut off/],
    ['cut inside the header', header.slice(0, 14), 'token/unsupported', /start of a JWT, cut off inside its header/],
    [
      'a JWE cut after 4 parts',
      `${b64({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })}.a2V5.aXY.Y3Q`,
      'token/bad_segment_count',
      /encrypted JWT \(JWE\): 4 of its 5 parts.*looks cut off/,
    ],
    [
      'a signature one character into a group of four',
      `${header}.${payload}.${b64('s'.repeat(255))}A`,
      'token/bad_base64url',
      /signature \(part 3\) stops one character into a group of four.*looks cut off/,
    ],
    [
      'a payload whose JSON ends early',
      `${header}.${b64('{"sub":"u","exp":')}.c2ln`,
      'token/bad_json',
      /payload \(part 2\) stops before its JSON does: the token looks cut off/,
    ],
    [
      'a payload cut inside a character',
      `${header}.${Buffer.concat([Buffer.from('{"name":"Zo'), Buffer.from('ë').subarray(0, 1)]).toString('base64url')}.c2ln`,
      'token/bad_json',
      /payload \(part 2\) stops in the middle of a character/,
    ],
  ];
  it.each(cases)('explains a token %s', (_name, input, code, message) => {
    const error = errorOf(input);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('flags a signature shorter than its algorithm makes', async () => {
    const token = await salesforceJwtAccessToken({ nowSeconds: NOW / 1000 });
    const r = inspectToken(token.slice(0, -40), NOW);
    expect(r.kind === 'jws' && r.signatureBytes).toBe(226);
    expect(r.findings).toContainEqual({ severity: 'warning', message: expect.stringMatching(/226 bytes.*cut off/) });
    expect(inspectToken(token, NOW).findings.filter((f) => /cut off/.test(f.message))).toEqual([]);
  });

  it('keeps the other errors of two-part input that is no JWT', () => {
    expect(errorOf('a.b').message).toMatch(/Found 2 parts/);
    expect(errorOf(`${b64({ typ: 'JWT' })}.${payload}`).message).toMatch(/Found 2 parts/);
  });
});

describe('warmUpDecoder', () => {
  it('decodes its sample in the background and leaves the decoder as it was', async () => {
    await expect(warmUpDecoder()).resolves.toBeUndefined();
    expect(inspectToken(await salesforceJwtAccessToken(), NOW).kind).toBe('jws');
  });
});
