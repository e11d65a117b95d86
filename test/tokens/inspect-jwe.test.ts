/** Encrypted JWTs: only the protected header is decoded, the other parts checked, findings about it. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/errors';
import { inspectJwe } from '../../main/tokens/inspect-jwe';
import { inspectToken } from '../../main/tokens/inspect-token';
import { encryptedToken } from '../support/tokens';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('inspectJwe', () => {
  it('recognizes a JWE and decodes only its protected header', async () => {
    const r = inspectToken(await encryptedToken(), NOW);
    expect(r.kind).toBe('jwe');
    if (r.kind !== 'jwe') return;
    expect(r.alg).toBe('RSA-OAEP-256');
    expect(r.enc).toBe('A256GCM');
    expect(r.findings[0]?.message).toMatch(/encrypted.*private key/);
  });

  it('refuses a part that is not base64url by its name', () => {
    let error: unknown;
    try {
      inspectToken(`${b64({ alg: 'dir', enc: 'A128GCM' })}..aXY.@@@.dGFn`, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('token/bad_base64url');
    expect((error as AppError).message).toMatch(/ciphertext/);
  });

  it('warns about a missing "enc" and RSA1_5 key encryption', () => {
    const r = inspectJwe(`${b64({ alg: 'RSA1_5' })}.a2V5.aXY.Y3Q.dGFn`);
    expect(r).toMatchObject({ kind: 'jwe', alg: 'RSA1_5', enc: null, label: 'Encrypted JWT (JWE)' });
    expect(r.findings.map((f) => f.severity)).toEqual(['info', 'warning', 'warning']);
    expect(r.findings.map((f) => f.message).join(' ')).toMatch(/no "enc".*RSA1_5 key encryption is deprecated/);
    expect(r.header.map((row) => row.name)).toEqual(['alg']);
  });
});
