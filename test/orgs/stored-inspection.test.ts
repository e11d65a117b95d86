/**
 * What the renderer gets of a stored token's inspection: header and claims, never the parts that rebuild the
 * raw token (docs/SECURITY.md, "The renderer holds a raw token"); for an ID token, how it was validated; and
 * the token a renewal replaced, from its header and payload only.
 */
import { describe, expect, it } from 'vitest';
import type { IdTokenValidation } from '../../preload/contract';
import { inspectPreviousToken, inspectStoredToken } from '../../main/orgs/stored-inspection';
import { inspectToken } from '../../main/tokens/inspect-token';
import { sampleMeta } from '../support/vault';
import { encryptedToken, OPAQUE_TOKEN, salesforceJwtAccessToken } from '../support/tokens';

const NOW = Date.now();
const hideRawToken = (token: string) => inspectStoredToken(token, undefined, NOW);
const VALIDATION: IdTokenValidation = {
  at: NOW,
  during: 'sign-in',
  checks: [{ check: 'signature', outcome: 'passed', detail: 'RS256 signature verified with key "k"' }],
};

describe('inspectStoredToken', () => {
  it('drops the signature of a JWS and keeps its header, claims and signature length', async () => {
    const token = await salesforceJwtAccessToken();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const full = inspectToken(token, NOW);
    const hidden = hideRawToken(token);
    expect(hidden).toEqual({
      ...full,
      parts: { header, payload, signature: '' },
      signatureHidden: true,
    });
    expect(hidden.kind === 'jws' && hidden.signatureBytes).toBe(256);
    const text = JSON.stringify(hidden);
    expect(text).not.toContain(signature);
    expect(text).not.toContain(signature.slice(0, 16));
    // The inspection it was given is left as it was.
    expect(full.kind === 'jws' && full.parts.signature).toBe(signature);
  });

  it('keeps only the protected header of a JWE', async () => {
    const token = await encryptedToken();
    const [header, ...rest] = token.split('.');
    const full = inspectToken(token, NOW);
    const hidden = hideRawToken(token);
    expect(hidden).toEqual({
      ...full,
      parts: { header, encryptedKey: '', iv: '', ciphertext: '', tag: '' },
      encryptedPartsHidden: true,
    });
    const text = JSON.stringify(hidden);
    for (const part of rest) expect(text).not.toContain(part);
  });

  it('leaves an opaque token as it was: it never carried more than the org ID', () => {
    const full = inspectToken(OPAQUE_TOKEN, NOW);
    expect(hideRawToken(OPAQUE_TOKEN)).toEqual(full);
    expect(JSON.stringify(full)).not.toContain(OPAQUE_TOKEN.split('!')[1]);
  });

  it('leaves a pasted token to inspectToken, which shows every part', async () => {
    const token = await salesforceJwtAccessToken();
    const full = inspectToken(token);
    expect(full).not.toHaveProperty('signatureHidden');
    expect(full.kind === 'jws' && Object.values(full.parts).join('.')).toBe(token);
  });

  it("adds an ID token's validation, and only to an ID token", async () => {
    const token = await salesforceJwtAccessToken();
    const id = inspectStoredToken(token, sampleMeta('id', { idTokenValidation: VALIDATION }), NOW);
    expect(id.kind === 'jws' && id.idTokenValidation).toEqual(VALIDATION);
    const access = inspectStoredToken(token, sampleMeta('access', { idTokenValidation: VALIDATION }), NOW);
    expect(access).not.toHaveProperty('idTokenValidation');
  });
});

describe('inspectPreviousToken', () => {
  it('reads the replaced token from its header and payload, as the signed token it was, without a signature', async () => {
    const token = await salesforceJwtAccessToken();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const meta = sampleMeta('id', {
      previous: {
        unsigned: `${header}.${payload}`,
        signatureBytes: 256,
        replacedAt: NOW,
        idTokenValidation: VALIDATION,
      },
    });
    const previous = inspectPreviousToken(meta, 'id', NOW);
    expect(previous).toEqual({ ...inspectStoredToken(token, undefined, NOW), idTokenValidation: VALIDATION });
    expect(previous.kind === 'jws' && previous.signatureBytes).toBe(256);
    expect(JSON.stringify(previous)).not.toContain(signature.slice(0, 16));
  });

  it('says there is no earlier token with a typed error', () => {
    expect(() => inspectPreviousToken(sampleMeta('access'), 'access', NOW)).toThrow(
      expect.objectContaining({ code: 'token/unsupported', message: expect.stringMatching(/No earlier access token/) }),
    );
    expect(() => inspectPreviousToken(undefined, 'refresh', NOW)).toThrow(
      expect.objectContaining({ code: 'token/unsupported', message: expect.stringMatching(/refresh token/) }),
    );
  });
});
