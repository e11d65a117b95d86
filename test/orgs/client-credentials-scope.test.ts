/**
 * The client credentials grant sends the app profile's scopes as `scope` (RFC 6749 §4.4.2): against panva's
 * oidc-provider's service client, behind a token endpoint that refuses a request without `scope` (as some
 * servers do), and at the Salesforce double, which ignores it like Salesforce.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServer } from '../../main/oauth/authorization-server';
import { clientCredentialsGrant } from '../../main/oauth/client-credentials';
import { SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET, startOidcPeer, type OidcPeer } from '../servers/oidc-peer';
import { DEFAULT_USER, startSalesforceDouble, type SalesforceDouble } from '../servers/salesforce-double';

let peer: OidcPeer | null = null;
let front: Server | null = null;
let double: SalesforceDouble | null = null;
afterEach(async () => {
  if (front) {
    front.closeAllConnections();
    await new Promise((ok) => front!.close(ok));
  }
  await peer?.close();
  await double?.close();
  peer = front = double = null;
});

/**
 * A token endpoint in front of the peer's that answers a request without `scope` with 400 `invalid_scope`
 * and passes the others on. (A `provider.use` after `startOidcPeer` would never run: the peer's HTTP server
 * already has the composed middleware.)
 */
async function tokenEndpointRequiringScope(target: string): Promise<{ url: string; seen: URLSearchParams[] }> {
  const seen: URLSearchParams[] = [];
  front = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const form = new URLSearchParams(body);
      seen.push(form);
      if (!form.get('scope')) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_scope', error_description: 'scope is required' }));
        return;
      }
      void fetch(target, {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        body,
      }).then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
        res.end(await r.text());
      });
    });
  });
  await new Promise<void>((ok) => front!.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(front.address() as AddressInfo).port}/token`, seen };
}

const service = { clientId: SERVICE_CLIENT_ID, clientSecret: SERVICE_CLIENT_SECRET };

describe('client credentials with scope', () => {
  it("sends the profile's scopes to oidc-provider and gets a token with that scope", async () => {
    peer = await startOidcPeer({ clientCredentials: true });
    const as = await discoverAuthorizationServer(peer.issuer);
    const tokens = await clientCredentialsGrant({ as, ...service, scopes: ['api'] });
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.scopes).toEqual(['api']);
  });

  it('signs in at a server that refuses a request without scope', async () => {
    peer = await startOidcPeer({ clientCredentials: true });
    const discovered = await discoverAuthorizationServer(peer.issuer);
    const endpoint = await tokenEndpointRequiringScope(discovered.token_endpoint!);
    const as = { ...discovered, token_endpoint: endpoint.url };
    const tokens = await clientCredentialsGrant({ as, ...service, scopes: ['api'] });
    expect(tokens.scopes).toEqual(['api']);
    expect(endpoint.seen.map((f) => f.get('scope'))).toEqual(['api']);

    // Without scopes in the profile nothing is sent, and such a server refuses it.
    await expect(clientCredentialsGrant({ as, ...service, scopes: [] })).rejects.toMatchObject({
      name: 'AppError',
    });
    expect(endpoint.seen[1]!.has('scope')).toBe(false);
  });

  it('keeps Salesforce working: the double ignores the scope and grants api', async () => {
    double = await startSalesforceDouble({
      apps: [
        {
          clientId: '3MVG9cc.integration',
          clientSecret: 'cc-secret',
          callbackUrls: [],
          clientCredentialsUser: DEFAULT_USER.username,
        },
      ],
    });
    const as = await discoverAuthorizationServer(double.orgs[0]!.myDomainUrl);
    const tokens = await clientCredentialsGrant({
      as,
      clientId: '3MVG9cc.integration',
      clientSecret: 'cc-secret',
      scopes: ['api', 'refresh_token', 'openid'],
    });
    expect(tokens.accessToken).toMatch(/!/);
    expect(tokens.scopes).toEqual(['api']);
    expect(tokens.refreshToken).toBeNull();
  });
});
