/** Identity URL and userinfo against the Salesforce double, each parsed once into a typed record. */
import { afterEach, describe, expect, it } from 'vitest';
import { fetchIdentity, fetchUserInfo, identityFromIdToken, parseIdentity } from '../../main/salesforce/identity';
import { DEFAULT_CLIENT_ID, DEFAULT_ORG_ID, DEFAULT_USER } from '../servers/salesforce-double';
import { errorOf, signInAtDouble, startDoubleWorld, type DoubleWorld } from '../oauth/support';

let world: DoubleWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('identity', () => {
  it('reads the identity URL from the token response', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const identity = await fetchIdentity(
      { identityUrl: tokens.identityUrl, userinfoUrl: world.as.userinfo_endpoint ?? null },
      tokens.accessToken,
    );
    const myDomain = world.double.orgs[0]!.myDomainUrl;
    expect(identity).toEqual({
      orgId: DEFAULT_ORG_ID,
      userId: DEFAULT_USER.userId,
      username: DEFAULT_USER.username,
      displayName: DEFAULT_USER.displayName,
      email: DEFAULT_USER.email,
      myDomainUrl: myDomain,
      urls: expect.objectContaining({
        rest: `${myDomain}/services/data/v{version}/`,
        custom_domain: myDomain,
      }),
    });
    expect(world.double.requests).toContain(`GET /id/${DEFAULT_ORG_ID}/${DEFAULT_USER.userId}`);
  });

  it('reads userinfo through oauth4webapi, with Salesforce’s extra claims', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    const info = await fetchUserInfo(world.as, DEFAULT_CLIENT_ID, tokens.accessToken, {
      expectedSubject: tokens.identityUrl!,
    });
    expect(info).toMatchObject({
      sub: tokens.identityUrl,
      orgId: DEFAULT_ORG_ID,
      userId: DEFAULT_USER.userId,
      username: DEFAULT_USER.username,
      displayName: DEFAULT_USER.displayName,
      email: DEFAULT_USER.email,
      myDomainUrl: world.double.orgs[0]!.myDomainUrl,
    });
    expect(info.claims).toEqual(expect.arrayContaining([{ name: 'email_verified', value: 'true' }]));
    expect(world.double.requests).toContain('GET /services/oauth2/userinfo');
  });

  it('says the session expired when the token no longer works (403 Bad_OAuth_Token)', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    world.double.advance(3 * 3600_000);
    const viaId = await errorOf(
      fetchIdentity({ identityUrl: tokens.identityUrl, userinfoUrl: null }, tokens.accessToken),
    );
    expect(viaId.code).toBe('sf/session_expired');
    expect(viaId.message).not.toContain(tokens.accessToken);
    const viaUserinfo = await errorOf(fetchUserInfo(world.as, DEFAULT_CLIENT_ID, tokens.accessToken));
    expect(viaUserinfo.code).toBe('sf/session_expired');
  });

  it('maps userinfo faults', async () => {
    world = await startDoubleWorld();
    const { tokens } = await signInAtDouble(world);
    world.double.setFault('userinfo', 'html');
    expect((await errorOf(fetchUserInfo(world.as, DEFAULT_CLIENT_ID, tokens.accessToken))).code).toBe(
      'oauth/bad_response',
    );
    world.double.setFault('userinfo', 'http500');
    expect((await errorOf(fetchUserInfo(world.as, DEFAULT_CLIENT_ID, tokens.accessToken))).code).toBe(
      'oauth/server_error',
    );
  });

  it('parses 15-character org IDs to 18, and refuses what is not an object', () => {
    // 00D5g000004XYZA → case-encoding suffix EA4 (the double's DEFAULT_ORG_ID carries EA2, an invalid suffix).
    expect(parseIdentity({ organization_id: '00D5g000004XYZA', user_id: '005x' }).orgId).toBe('00D5g000004XYZAEA4');
    expect(parseIdentity({ sub: 'abc', preferred_username: 'p', name: 'N', urls: { rest: 1 } })).toEqual({
      orgId: null,
      userId: 'abc',
      username: 'p',
      displayName: 'N',
      email: null,
      myDomainUrl: null,
      urls: {},
    });
    expect(() => parseIdentity([])).toThrow(expect.objectContaining({ code: 'sf/api_error' }));
    expect(identityFromIdToken('not a jwt')).toBeNull();
  });

  it('refuses to send a token to a plain-http identity URL', async () => {
    const error = await errorOf(
      fetchIdentity({ identityUrl: 'http://evil.example/id/00D/005', userinfoUrl: null }, 'token'),
    );
    expect(error.code).toBe('sf/api_error');
  });
});
