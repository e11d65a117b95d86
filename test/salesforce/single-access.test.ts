/** Opening the org through `/services/oauth2/singleaccess`: a single-use front-door URL, never `sid=`. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseSingleAccess, requestSingleAccess, singleAccessUrl } from '../../main/salesforce/single-access';
import { errorOf, signInAtDouble, startDoubleWorld, type DoubleWorld } from '../oauth/support';

let world: DoubleWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('singleaccess', () => {
  it('returns a single-use front-door URL on the instance, with no token in it', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const { frontdoorUrl } = await requestSingleAccess(tokens.instanceUrl!, tokens.accessToken);
    const url = new URL(frontdoorUrl);
    expect(url.origin).toBe(world.double.orgs[0]!.myDomainUrl);
    expect(url.pathname).toBe('/secur/frontdoor.jsp');
    expect(url.searchParams.get('otp')).toBeTruthy();
    expect(url.searchParams.has('sid')).toBe(false);
    expect(frontdoorUrl).not.toContain(tokens.accessToken);
    expect(frontdoorUrl).not.toContain(tokens.accessToken.split('!')[1]!);
    expect(world.double.requests).toContain('GET /services/oauth2/singleaccess');
    // Single use: the browser gets in once.
    expect((await fetch(frontdoorUrl)).status).toBe(200);
    expect((await fetch(frontdoorUrl)).status).toBe(400);
  });

  it('passes a start page inside the org', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const url = await singleAccessUrl(
      tokens.instanceUrl!,
      tokens.accessToken,
      {},
      '/lightning/setup/SetupOneHome/home',
    );
    expect(new URL(url).searchParams.get('startURL')).toBe('/lightning/setup/SetupOneHome/home');
    const error = await errorOf(
      singleAccessUrl(tokens.instanceUrl!, tokens.accessToken, {}, 'https://evil.example/phish'),
    );
    expect(error.code).toBe('sf/api_error');
  });

  it('answers an expired session with sf/forbidden (Salesforce sends 403 here) and says what to do', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    world.double.advance(2 * 3600_000 + 1);
    const error = await errorOf(requestSingleAccess(tokens.instanceUrl!, tokens.accessToken));
    expect(error.code).toBe('sf/forbidden');
    expect(error.message).toMatch(/session expired — refresh the token or sign in again/);
  });

  it('refuses a front-door URL that is not https', () => {
    expect(() => parseSingleAccess({ frontdoor_uri: 'http://evil.example/secur/frontdoor.jsp' })).toThrow(
      expect.objectContaining({ code: 'sf/api_error' }),
    );
    expect(() => parseSingleAccess({})).toThrow(expect.objectContaining({ code: 'sf/api_error' }));
    expect(parseSingleAccess({ frontdoor_uri: 'https://acme.my.salesforce.com/secur/frontdoor.jsp?otp=x' })).toEqual({
      frontdoorUrl: 'https://acme.my.salesforce.com/secur/frontdoor.jsp?otp=x',
    });
  });
});
