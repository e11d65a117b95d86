/**
 * Messages follow the server: the same refusal from a Salesforce-shaped server (its token endpoint at
 * `{issuer}/services/oauth2/token`, as the Salesforce double has it) and from another server (an issuer with a
 * path, like Keycloak's) says Salesforce's words in one case and the standard words in the other. Against a
 * loopback token endpoint that answers what each case needs. And the JWT bearer audience at such a server.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import type * as oauth from 'oauth4webapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authorizationResponseError } from '../../main/oauth/http';
import { jwtBearerAudience, jwtBearerGrant } from '../../main/oauth/jwt-bearer';
import { passwordGrant } from '../../main/oauth/password-grant';
import { refreshTokenGrant } from '../../main/oauth/refresh';
import { errorOf } from './support';

let server: Server;
let base: string;
let answer: { status: number; body: string; type: string };
let forms: URLSearchParams[];

beforeEach(async () => {
  forms = [];
  answer = { status: 200, body: '{}', type: 'application/json' };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      forms.push(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});

const salesforce = (): oauth.AuthorizationServer => ({
  issuer: base,
  token_endpoint: `${base}/services/oauth2/token`,
});
const keycloak = (): oauth.AuthorizationServer => ({
  issuer: `${base}/realms/acme`,
  token_endpoint: `${base}/realms/acme/protocol/openid-connect/token`,
});

const refreshAt = (as: oauth.AuthorizationServer) =>
  errorOf(refreshTokenGrant({ as, clientId: 'app', clientSecret: 'secret', refreshToken: 'refresh-token-0123' }));

const says = (error: string, description = '') =>
  (answer = { status: 400, body: JSON.stringify({ error, error_description: description }), type: 'application/json' });

describe('token endpoint errors follow the server', () => {
  it('a refused client: consumer key and secret at Salesforce, client ID and secret elsewhere', async () => {
    says('invalid_client', 'invalid client credentials');
    expect((await refreshAt(salesforce())).message).toBe(
      "The server did not accept the app's credentials while refreshing the token (invalid_client: invalid client credentials, sent with client_secret_post). Check the consumer key and secret in the app profile.",
    );
    const other = await refreshAt(keycloak());
    expect(other.message).toBe(
      "The server did not accept the app's credentials while refreshing the token (invalid_client: invalid client credentials, sent with client_secret_basic). Check the client ID and secret in the app profile.",
    );
  });

  it('an empty 401 to a confidential client: the same split', async () => {
    answer = { status: 401, body: '', type: 'text/plain' };
    expect((await refreshAt(salesforce())).message).toMatch(/Check the app's consumer key and consumer secret/);
    const other = await refreshAt(keycloak());
    expect(other.code).toBe('oauth/invalid_client');
    expect(other.message).toMatch(
      /\(HTTP 401, no details, sent with client_secret_basic\)\. Check the app's client ID and client secret/,
    );
  });

  it('a callback URL mismatch: in Salesforce, or in the client’s registration at the authorization server', async () => {
    says('redirect_uri_mismatch', 'redirect_uri must match');
    expect((await refreshAt(salesforce())).message).toMatch(/in the app profile and in Salesforce\.$/);
    expect((await refreshAt(keycloak())).message).toMatch(
      /in the app profile and in the client's registration at the authorization server\.$/,
    );
  });

  it('a web page or a body that is not OAuth: My Domain at Salesforce, the issuer URL elsewhere', async () => {
    answer = { status: 200, body: '<html>login</html>', type: 'text/html' };
    expect((await refreshAt(salesforce())).message).toMatch(/a My Domain URL looks like/);
    const page = await refreshAt(keycloak());
    expect(page.message).toMatch(/web page instead of JSON.*the issuer URL of the server/);
    answer = { status: 200, body: '"just a string"', type: 'application/json' };
    expect((await refreshAt(salesforce())).message).toMatch(/a Salesforce or OAuth server\.$/);
    expect((await refreshAt(keycloak())).message).toMatch(/the issuer URL of an OAuth or OpenID Connect server\.$/);
  });

  it('a flow’s own hints: Salesforce’s security token, or just the username and password', async () => {
    says('invalid_grant', 'authentication failure');
    const grant = (as: oauth.AuthorizationServer) =>
      errorOf(passwordGrant({ as, clientId: 'app', clientSecret: 'secret', username: 'u', password: 'p' }));
    expect((await grant(salesforce())).message).toMatch(/security token must be added/);
    const other = await grant(keycloak());
    expect(other.message).toBe(
      'The server did not accept the username and password. Check both. (invalid_grant: authentication failure)',
    );
  });

  it('no message for another server says Salesforce, Setup or consumer', async () => {
    const answers: (() => void)[] = [
      () => says('invalid_client'),
      () => says('redirect_uri_mismatch'),
      () => says('something_new'),
      () => (answer = { status: 401, body: '', type: 'text/plain' }),
      () => (answer = { status: 403, body: '', type: 'text/plain' }),
      () => (answer = { status: 404, body: '', type: 'text/plain' }),
      () => (answer = { status: 200, body: '<html></html>', type: 'text/html' }),
      () => (answer = { status: 200, body: '{"token_type":"bearer"}', type: 'application/json' }),
    ];
    for (const set of answers) {
      set();
      expect((await refreshAt(keycloak())).message).not.toMatch(/Salesforce|Setup|consumer|My Domain|org\b/);
    }
  });
});

describe('authorization errors follow the server', () => {
  it('says where the app’s settings are', () => {
    expect(authorizationResponseError('invalid_scope', 'no', undefined, salesforce()).message).toMatch(
      /Check the app's settings in Salesforce and try again\.$/,
    );
    expect(authorizationResponseError('invalid_scope', 'no', undefined, keycloak()).message).toMatch(
      /Check the client's settings at the authorization server and try again\.$/,
    );
    // A caller that names no server keeps Salesforce's words.
    expect(authorizationResponseError('invalid_scope', 'no').message).toMatch(/in Salesforce/);
  });
});

describe('the JWT bearer audience', () => {
  it('is the whole issuer, path included, at a server that is not Salesforce', async () => {
    expect(jwtBearerAudience(`${base}/realms/acme`)).toBe(`${base}/realms/acme`);
    expect(jwtBearerAudience('https://idp.example/oauth2/default')).toBe('https://idp.example/oauth2/default');
    expect(jwtBearerAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');

    answer = {
      status: 200,
      body: JSON.stringify({ access_token: 'an-opaque-access-token', token_type: 'Bearer' }),
      type: 'application/json',
    };
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    await jwtBearerGrant({ as: keycloak(), clientId: 'app', username: 'tess', privateKeyPem: key.toString() });
    const claims = decodeJwt(forms[0]!.get('assertion')!);
    expect(claims).toMatchObject({ iss: 'app', sub: 'tess', aud: `${base}/realms/acme` });
  });

  it('explains a refused audience in the server’s words', async () => {
    says('invalid_grant', 'audience is invalid');
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const error = await errorOf(
      jwtBearerGrant({ as: keycloak(), clientId: 'app', username: 'tess', privateKeyPem: key.toString() }),
    );
    expect(error.message).toMatch(
      /^The server did not accept the assertion's audience .*\/realms\/acme \(the app sends the server's issuer\)/,
    );
    expect(error.message).not.toMatch(/salesforce/i);
  });
});
