/**
 * The double answers what the real Salesforce CLI calls at an org (seen with `@salesforce/cli` from the npm
 * registry, test/interop/): the `/services/data` version list and a version resource, `sobjects/User/<id>`
 * for the username after each login, its `Organization` query, paths that start with `//`, and all of it
 * over https with a self-signed certificate made at start (test/servers/self-signed.ts) when asked.
 */
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAtDouble, startDoubleWorld, type DoubleWorld } from '../oauth/support';
import { DEFAULT_ORG_ID, DEFAULT_USER, startSalesforceDouble, type SalesforceDouble } from './salesforce-double';
import { selfSignedCertificate } from './self-signed';

let world: DoubleWorld;
let instance: string;
let token: string;
beforeAll(async () => {
  world = await startDoubleWorld();
  const { tokens } = await signInAtDouble(world);
  instance = tokens.instanceUrl!;
  token = tokens.accessToken;
});
afterAll(() => world?.close());

async function get(path: string) {
  // A path, not a URL: `//services/…` must reach the server as it is, not as a host name.
  const r = await fetch(`${instance}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> & unknown[] };
}

describe('what the Salesforce CLI calls at an org', () => {
  it('lists the API versions and answers a version resource (the CLI reads it before org display)', async () => {
    const list = await get('/services/data');
    expect(list.status).toBe(200);
    expect(list.body.at(-1)).toEqual({ label: 'Release 62.0', url: '/services/data/v62.0', version: '62.0' });
    const version = await get('/services/data/v62.0');
    expect(version.status).toBe(200);
    expect(version.body).toMatchObject({
      sobjects: '/services/data/v62.0/sobjects',
      query: '/services/data/v62.0/query',
    });
    expect((await get('/services/data/v99.0')).status).toBe(404);
  });

  it('gives a User record by its 18- or 15-character Id, with Username, and NOT_FOUND otherwise', async () => {
    const user = await get(`/services/data/v51.0/sobjects/User/${DEFAULT_USER.userId}`);
    expect(user.status).toBe(200);
    expect(user.body).toEqual({
      attributes: { type: 'User', url: `/services/data/v51.0/sobjects/User/${DEFAULT_USER.userId}` },
      Id: DEFAULT_USER.userId,
      Name: DEFAULT_USER.displayName,
      Username: DEFAULT_USER.username,
      Email: DEFAULT_USER.email,
      IsActive: true,
    });
    expect((await get(`/services/data/v51.0/sobjects/user/${DEFAULT_USER.userId.slice(0, 15)}`)).body).toMatchObject({
      Username: DEFAULT_USER.username,
    });
    expect((await get(`/services/data/v62.0/sobjects/Organization/${DEFAULT_ORG_ID}`)).body).toMatchObject({
      attributes: { type: 'Organization' },
      Name: 'Acme',
    });
    for (const missing of ['User/0055g00000ZzZzZAAV', 'User/005', 'Widget__c/a005g00000AbCdEAAV']) {
      const r = await get(`/services/data/v62.0/sobjects/${missing}`);
      expect(r.status).toBe(404);
      expect(r.body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    }
  });

  it("answers the CLI's Organization query", async () => {
    const q =
      'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization';
    const r = await get(`/services/data/v62.0/query?q=${encodeURIComponent(q)}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      totalSize: 1,
      done: true,
      records: [
        {
          Name: 'Acme',
          InstanceName: 'NA224',
          IsSandbox: false,
          TrialExpirationDate: null,
          NamespacePrefix: null,
          OrganizationType: 'Enterprise Edition',
        },
      ],
    });
  });

  it('answers paths that start with // as Salesforce does, and records them as single-slash paths', async () => {
    const before = world.double.requests.length;
    expect((await get('//services/data/v62.0')).body).toMatchObject({ limits: '/services/data/v62.0/limits' });
    expect((await get(`///services/data/v51.0/sobjects/User/${DEFAULT_USER.userId}`)).body).toMatchObject({
      Username: DEFAULT_USER.username,
    });
    expect(world.double.requests.slice(before)).toEqual([
      'GET /services/data/v62.0',
      `GET /services/data/v51.0/sobjects/User/${DEFAULT_USER.userId}`,
    ]);
  });
});

/** A request over https that trusts only `ca` (Node's own roots are not used). */
function httpsCall(
  url: string,
  ca: string | null,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ...(ca ? { ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('the double over https', () => {
  let double: SalesforceDouble;
  beforeAll(async () => {
    double = await startSalesforceDouble({
      https: true,
      apps: [
        {
          clientId: 'cc-app',
          clientSecret: 'cc-secret',
          callbackUrls: [],
          clientCredentialsUser: DEFAULT_USER.username,
        },
      ],
    });
  });
  afterAll(() => double?.close());

  it('serves every host over https with a certificate it made for 127.0.0.1, ::1 and localhost', () => {
    for (const url of [double.loginUrl, double.sandboxLoginUrl, double.orgs[0]!.myDomainUrl]) {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    }
    const cert = new X509Certificate(double.certificate!);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.subjectAltName).toContain('IP Address:0:0:0:0:0:0:0:1');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.ca).toBe(true);
    expect(Date.parse(cert.validFrom)).toBeLessThan(Date.now());
    expect(Date.parse(cert.validTo)).toBeGreaterThan(Date.now() + 86400_000);
  });

  it('is refused by a client that does not trust the certificate, and works for one that does', async () => {
    const discovery = `${double.loginUrl}/.well-known/openid-configuration`;
    await expect(httpsCall(discovery, null)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    await expect(httpsCall(discovery, selfSignedCertificate().cert)).rejects.toBeInstanceOf(Error);
    const r = await httpsCall(discovery, double.certificate);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ token_endpoint: `${double.loginUrl}/services/oauth2/token` });
  });

  it('issues tokens whose instance URL is https, and answers the REST API there', async () => {
    const ca = double.certificate;
    // Salesforce runs the client credentials flow on the org's My Domain only.
    const issued = await httpsCall(`${double.orgs[0]!.myDomainUrl}/services/oauth2/token`, ca, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'cc-app',
        client_secret: 'cc-secret',
      }).toString(),
    });
    expect(issued.status).toBe(200);
    const tokens = JSON.parse(issued.body) as { access_token: string; instance_url: string };
    expect(tokens.instance_url).toBe(double.orgs[0]!.myDomainUrl);
    const user = await httpsCall(
      `${tokens.instance_url}//services/data/v51.0/sobjects/User/${DEFAULT_USER.userId}`,
      ca,
      {
        headers: { Authorization: `Bearer ${tokens.access_token}` },
      },
    );
    expect(user.status).toBe(200);
    expect(JSON.parse(user.body)).toMatchObject({ Username: DEFAULT_USER.username });
  });

  it('stays plain http by default, with no certificate', () => {
    expect(world.double.loginUrl).toMatch(/^http:\/\//);
    expect(world.double.certificate).toBeNull();
  });
});
