import { describe, expect, it } from 'vitest';
import { inspectToken } from '../../main/tokens/inspect-token';
import { diffTokens } from '../../renderer/lib/claim-diff';
import { OPAQUE_TOKEN, salesforceJwtAccessToken } from '../support/tokens';

describe('two tokens compared claim by claim', () => {
  it('finds the claims a refresh changed, added and removed, with time shifts in words', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = inspectToken(
      await salesforceJwtAccessToken({ nowSeconds: now, expiresInSeconds: 3600, extra: { old: 1 } }),
    );
    const after = inspectToken(
      await salesforceJwtAccessToken({ nowSeconds: now + 3600, expiresInSeconds: 2 * 3600, extra: { fresh: 'x' } }),
    );
    const [header, payload] = diffTokens(before, after);
    expect(header?.part).toBe('Header');
    expect(header?.changes).toBe(0);
    const row = (name: string) => payload?.rows.find((r) => r.name === name);
    expect(row('exp')).toMatchObject({ status: 'changed', shift: '2 h later' });
    expect(row('iat')).toMatchObject({ status: 'changed', shift: '1 h later' });
    expect(row('sub')?.status).toBe('same');
    expect(row('old')).toMatchObject({ status: 'removed', right: null });
    expect(row('fresh')).toMatchObject({ status: 'added', left: null });
    expect(payload?.changes).toBe(5);
  });

  it('compares a JWT with a token that has no claims against nothing', async () => {
    const jwt = inspectToken(await salesforceJwtAccessToken());
    const opaque = inspectToken(OPAQUE_TOKEN);
    const parts = diffTokens(jwt, opaque);
    expect(parts.map((p) => p.part)).toEqual(['Header', 'Payload']);
    expect(parts.every((p) => p.rows.every((r) => r.status === 'removed'))).toBe(true);
    expect(diffTokens(opaque, opaque)).toEqual([]);
  });
});
