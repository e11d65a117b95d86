/**
 * What the renderer gets of a stored token's inspection: header and claims, never the parts that rebuild the
 * raw token (docs/SECURITY.md, "The renderer holds a raw token").
 */
import { describe, expect, it } from 'vitest';
import { hideRawToken } from '../../main/orgs/stored-inspection';
import { inspectToken } from '../../main/tokens/inspect-token';
import { encryptedToken, OPAQUE_TOKEN, salesforceJwtAccessToken } from '../support/tokens';

describe('hideRawToken', () => {
  it('drops the signature of a JWS and keeps its header, claims and signature length', async () => {
    const token = await salesforceJwtAccessToken();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const full = inspectToken(token);
    const hidden = hideRawToken(full);
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
    const full = inspectToken(token);
    const hidden = hideRawToken(full);
    expect(hidden).toEqual({
      ...full,
      parts: { header, encryptedKey: '', iv: '', ciphertext: '', tag: '' },
      encryptedPartsHidden: true,
    });
    const text = JSON.stringify(hidden);
    for (const part of rest) expect(text).not.toContain(part);
  });

  it('leaves an opaque token as it was: it never carried more than the org ID', () => {
    const full = inspectToken(OPAQUE_TOKEN);
    expect(hideRawToken(full)).toBe(full);
    expect(JSON.stringify(full)).not.toContain(OPAQUE_TOKEN.split('!')[1]);
  });

  it('leaves a pasted token to inspectToken, which shows every part', async () => {
    const token = await salesforceJwtAccessToken();
    const full = inspectToken(token);
    expect(full).not.toHaveProperty('signatureHidden');
    expect(full.kind === 'jws' && Object.values(full.parts).join('.')).toBe(token);
  });
});
