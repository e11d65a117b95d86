/**
 * What a pasted token names, read without any network (main/orgs/pasted-token-reading.ts): the org, the user,
 * the client and the kind of token, from each shape Salesforce issues and from other servers' tokens.
 */
import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { readPastedToken } from '../../main/orgs/pasted-token-reading';
import { OPAQUE_TOKEN, salesforceJwtAccessToken } from '../support/tokens';

const jwt = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) => {
  const [, payload] = new UnsecuredJWT(claims).encode().split('.');
  const head = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...header })).toString('base64url');
  return `${head}.${payload}.c2lnbmF0dXJl`;
};

describe('readPastedToken', () => {
  it('reads the org of an opaque access token, in 18 characters', () => {
    expect(readPastedToken(OPAQUE_TOKEN)).toEqual({
      issuer: null,
      orgId: '00D5g000004XYZAEA4',
      userId: null,
      clientId: null,
      subject: null,
      kind: 'access',
    });
  });

  it('reads a refresh token as a refresh token that names nothing', () => {
    expect(readPastedToken('5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJrMIsNpVuLjmj8z9eR7uN')).toMatchObject({
      kind: 'refresh',
      orgId: null,
      clientId: null,
    });
  });

  it('reads a Salesforce JWT access token: tnk in its header, uid: in its sub, its client_id', async () => {
    const r = readPastedToken(await salesforceJwtAccessToken());
    expect(r.kind).toBe('access');
    expect(r.orgId).toMatch(/^00D[A-Za-z0-9]{15}$/);
    expect(r.userId).toMatch(/^005[A-Za-z0-9]{15}$/);
    expect(r.clientId).toMatch(/^3MVG9/);
  });

  it('reads a Salesforce ID token: the org and user from its identity URL, the client from aud', () => {
    const r = readPastedToken(
      jwt({
        iss: 'https://acme.my.salesforce.com',
        sub: 'https://login.salesforce.com/id/00D5g000004XYZAEA4/0055g00000AbCdEAAV',
        aud: '3MVG9client',
        at_hash: 'x',
      }),
    );
    expect(r).toEqual({
      issuer: 'https://acme.my.salesforce.com',
      orgId: '00D5g000004XYZAEA4',
      userId: '0055g00000AbCdEAAV',
      clientId: '3MVG9client',
      subject: 'https://login.salesforce.com/id/00D5g000004XYZAEA4/0055g00000AbCdEAAV',
      kind: 'id',
    });
  });

  it('reads organization_id and azp; a URL audience is no client', () => {
    const r = readPastedToken(
      jwt({
        iss: 'https://idp.example',
        organization_id: '00D5g000004XYZA',
        azp: 'spa',
        aud: ['https://api.example'],
        scope: 'api',
      }),
    );
    expect(r).toMatchObject({ orgId: '00D5g000004XYZAEA4', clientId: 'spa', kind: 'access' });
    expect(readPastedToken(jwt({ aud: ['https://api.example'], scope: 'x' })).clientId).toBeNull();
  });

  it("reads nothing from another server's opaque token or a JWT that does not decode", () => {
    for (const token of ['an-opaque-reference-token-0123456789', 'eyJnot.a.jwt']) {
      expect(readPastedToken(token)).toEqual({
        issuer: null,
        orgId: null,
        userId: null,
        clientId: null,
        subject: null,
        kind: 'access',
      });
    }
  });
});
