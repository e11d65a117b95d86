/** "Test the token" against the double's REST API: versions, limits, and 401 INVALID_SESSION_ID. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseApiVersions, parseLimits, testToken } from '../../main/salesforce/rest';
import { errorOf, signInAtDouble, startDoubleWorld, type DoubleWorld } from '../oauth/support';

let world: DoubleWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('testToken', () => {
  it('lists the API versions and the newest version’s limits', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const result = await testToken(tokens.instanceUrl!, tokens.accessToken);
    expect(result).toMatchObject({
      ok: true,
      httpStatus: 200,
      refreshed: false,
      apiVersions: ['60.0', '61.0', '62.0'],
    });
    expect(result.limits).toContainEqual({ name: 'DailyApiRequests', max: 15000, remaining: 14998 });
    expect(result.message).toBe('The token works: API v62.0, 14,998 of 15,000 daily API requests left.');
    expect(world.double.requests).toEqual(
      expect.arrayContaining(['GET /services/data/', 'GET /services/data/v62.0/limits']),
    );
  });

  it('says the session expired on 401 INVALID_SESSION_ID', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    world.double.advance(2 * 3600_000 + 1);
    const error = await errorOf(testToken(tokens.instanceUrl!, tokens.accessToken));
    expect(error.code).toBe('sf/session_expired');
    expect(error.message).toMatch(/INVALID_SESSION_ID/);
    expect(error.message).toMatch(/Refresh the token or sign in again/);
    expect(error.message).not.toContain(tokens.accessToken);
  });

  it('reports calling the login host instead of the instance (URL_NOT_RESET)', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const error = await errorOf(testToken(world.double.loginUrl, tokens.accessToken));
    expect(error.code).toBe('sf/api_error');
    expect(error.message).toMatch(/URL_NOT_RESET/);
  });

  it('parses versions and limits defensively', () => {
    expect(
      parseApiVersions([{ version: '9.0' }, { version: '62.0', label: 'W', url: '/v62' }, { version: 'x' }, 5]).map(
        (v) => v.version,
      ),
    ).toEqual(['9.0', '62.0']);
    expect(() => parseApiVersions({})).toThrow(expect.objectContaining({ code: 'sf/api_error' }));
    expect(parseLimits({ A: { Max: 1, Remaining: 0 }, B: { Max: 'x' }, C: null })).toEqual([
      { name: 'A', max: 1, remaining: 0 },
    ]);
  });
});
