/**
 * Signed JWTs decoded end to end: a Salesforce JWT access token with its claims, meanings, scopes and
 * times, the kind of token a JWS looks like, and decoding staying fast on a large token.
 */
import { describe, expect, it } from 'vitest';
import { inspectJws } from '../../main/tokens/inspect-jws';
import { inspectToken } from '../../main/tokens/inspect-token';
import type { JwsInspection } from '../../preload/contract';
import { salesforceJwtAccessToken } from '../support/tokens';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const NOW_S = NOW / 1000;

function jws(raw: string): JwsInspection {
  const r = inspectToken(raw, NOW);
  if (r.kind !== 'jws') throw new Error(`expected a JWS, got ${r.kind}`);
  return r;
}

describe('inspectJws', () => {
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

  it('labels an OpenID Connect ID token', () => {
    const r = jws(
      `${b64({ alg: 'RS256', kid: '1' })}.${b64({ iss: 'https://login.salesforce.com', sub: 'u', aud: 'c', nonce: 'n', exp: NOW_S + 5 })}.${b64('s')}`,
    );
    expect(r.label).toBe('OpenID Connect ID token');
    expect(r.payload.find((row) => row.name === 'nonce')?.source).toBe('OpenID Connect Core');
  });

  it('decodes a 100 KB token quickly enough for typing', async () => {
    const big = await salesforceJwtAccessToken({ extra: { blob: 'y'.repeat(100_000) } });
    const t0 = performance.now();
    expect(inspectToken(big, NOW).kind).toBe('jws');
    // A generous bound: this guards against accidental quadratic work, not a benchmark.
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('labels JWT access tokens (RFC 9068), unsigned and plain JWTs', () => {
    const sig = b64('s');
    expect(inspectJws(`${b64({ alg: 'RS256', typ: 'at+jwt' })}.${b64({ sub: 'u' })}.${sig}`, NOW).label).toBe(
      'JWT access token (RFC 9068)',
    );
    expect(inspectJws(`${b64({ alg: 'none' })}.${b64({ sub: 'u' })}.`, NOW).label).toBe('Unsigned JWT');
    expect(inspectJws(`${b64({ alg: 'RS256' })}.${b64({ sub: 'u', scope: 'api' })}.${sig}`, NOW).label).toBe('JWT');
  });
});
