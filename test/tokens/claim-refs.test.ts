/**
 * What ties a claim row to the rest of the app: its span in the encoded part (in UTF-8 bytes widened to
 * base64 groups, so the coloured token can be lit up), the org, user or app it names, how its value is
 * shown, and a glossary entry for every claim Salesforce documents in its tokens and identity responses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAYLOAD_GLOSSARY } from '../../main/tokens/claim-glossary';
import { inspectToken } from '../../main/tokens/inspect-token';
import { scanJson } from '../../main/tokens/json-shape';
import { to18 } from '../../main/tokens/org-id';
import type { ClaimRow, JwsInspection } from '../../preload/contract';
import { signInAtDouble, startDoubleWorld } from '../oauth/support';
import { salesforceJwtAccessToken } from '../support/tokens';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const HEADER = b64({ alg: 'RS256', typ: 'JWT' });
const SIG = b64('s'.repeat(256));

function jws(raw: string): JwsInspection {
  const r = inspectToken(raw, NOW);
  if (r.kind !== 'jws') throw new Error(`expected a JWS, got ${r.kind}`);
  return r;
}
const rowsOf = (rows: ClaimRow[]) => Object.fromEntries(rows.map((row) => [row.name, row]));

/** The span an independent reading gives: where the member's bytes are in the JSON, widened to groups of 4. */
function expectedSpan(json: string, member: string, partLength: number) {
  const bytes = Buffer.from(json);
  const at = bytes.indexOf(Buffer.from(member));
  expect(at, member).toBeGreaterThanOrEqual(0);
  const end = at + Buffer.byteLength(member);
  return { start: Math.floor(at / 3) * 4, end: Math.min(partLength, Math.ceil(end / 3) * 4) };
}

describe('claim spans', () => {
  it('cover each claim’s key and value in UTF-8 bytes, widened to whole base64 groups', () => {
    const json = '{ "name" : "Zoë 🚀 日本" , "n":1,"after":"x"}';
    const part = b64(json);
    const r = jws(`${HEADER}.${part}.${SIG}`);
    const rows = rowsOf(r.payload);
    expect(rows['name']?.span).toEqual(expectedSpan(json, '"name" : "Zoë 🚀 日本"', part.length));
    // "ë", "🚀" and "日本" are 2, 4 and 6 bytes: the claims after them are 9 bytes further on than in UTF-16.
    expect(rows['n']?.span).toEqual(expectedSpan(json, '"n":1', part.length));
    expect(rows['after']?.span).toEqual({ start: 48, end: part.length });
    const decoded = Buffer.from(part.slice(rows['n']!.span!.start, rows['n']!.span!.end), 'base64url').toString();
    expect(decoded).toContain('"n":1');
    expect(r.header.map((row) => row.span)).toEqual([
      expectedSpan('{"alg":"RS256","typ":"JWT"}', '"alg":"RS256"', HEADER.length),
      expectedSpan('{"alg":"RS256","typ":"JWT"}', '"typ":"JWT"', HEADER.length),
    ]);
  });

  it('match an independent reading for any flat claims set', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
          fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null)),
          { maxKeys: 8 },
        ),
        (claims) => {
          const json = JSON.stringify(claims);
          const part = b64(json);
          const r = jws(`${HEADER}.${part}.${SIG}`);
          for (const row of r.payload) {
            const member = `${JSON.stringify(row.name)}:${JSON.stringify(claims[row.name])}`;
            expect(row.span).toEqual(expectedSpan(json, member, part.length));
          }
        },
      ),
      { numRuns: 500, seed: 3 },
    );
  });

  it('point at the value JSON.parse keeps for a repeated claim, and skip nothing for escaped names', () => {
    const json = '{"a":1,"b\\u0041":2,"a":333}';
    const part = b64(json);
    const rows = rowsOf(jws(`${HEADER}.${part}.${SIG}`).payload);
    expect(rows['a']?.display).toBe('333');
    expect(rows['a']?.span).toEqual(expectedSpan(json, '"a":333', part.length));
    expect(rows['bA']?.span).toEqual(expectedSpan(json, '"b\\u0041":2', part.length));
  });

  it('are left out for a part in an encoding the spans cannot follow (padding)', () => {
    const r = jws(`${HEADER}.${Buffer.from('{"a":1}').toString('base64')}.${SIG}`);
    expect(r.payload[0]).toMatchObject({ name: 'a' });
    expect(r.payload[0]?.span).toBeUndefined();
  });

  it('come from one linear scan that lists the top-level members in bytes', () => {
    expect(scanJson('{"é":[1,{"x":2}], "b" :"}"}', 64).members).toEqual([
      { rawName: 'é', start: 1, end: 17 },
      { rawName: 'b', start: 19, end: 27 },
    ]);
    expect(scanJson('[1,2]', 64).members).toEqual([]);
    expect(scanJson('{"a":"x', 64).unclosed).toBe(true);
  });
});

describe('claim refs and formats', () => {
  it('ties the org, user and app of a Salesforce JWT access token to what the app stores', async () => {
    const r = jws(await salesforceJwtAccessToken({ extra: { organization_id: '00D5g000004XYZA', azp: 'app2' } }));
    expect(rowsOf(r.header)['tnk']?.ref).toEqual({ kind: 'org', value: '00D5g000004XYZAEA4' });
    const rows = rowsOf(r.payload);
    expect(rows['sub']?.ref).toEqual({ kind: 'user', value: '0055g00000AbCdEAAV' });
    expect(rows['organization_id']?.ref).toEqual({ kind: 'org', value: to18('00D5g000004XYZA') });
    expect(rows['client_id']?.ref).toEqual({ kind: 'client', value: '3MVG9test.consumer.key' });
    expect(rows['azp']?.ref).toEqual({ kind: 'client', value: 'app2' });
    expect(rows['iss']?.format).toBe('url');
    expect(rows['exp']?.ref).toBeUndefined();
  });

  it('reads the user from an identity URL subject and user_id, and formats utcOffset', () => {
    const rows = rowsOf(
      jws(
        `${HEADER}.${b64({
          sub: 'https://login.salesforce.com/id/00D5g000004XYZAEA4/0055g00000AbCdE',
          user_id: '0055g00000AbCdEAAV',
          utcOffset: -28_800_000,
          picture: 'https://c.example.content.force.com/profilephoto/005/F',
          nickname: 'https://not-a-url-claim but text',
        })}.${SIG}`,
      ).payload,
    );
    expect(rows['sub']?.ref).toEqual({ kind: 'user', value: to18('0055g00000AbCdE') });
    expect(rows['sub']?.format).toBe('url');
    expect(rows['user_id']?.ref).toEqual({ kind: 'user', value: '0055g00000AbCdEAAV' });
    expect(rows['utcOffset']).toMatchObject({ format: 'utc-offset-ms', source: 'Salesforce' });
    expect(rows['picture']?.format).toBe('url');
    expect(rows['nickname']?.format).toBeUndefined();
  });

  it('reads Salesforce’s ISO dates, and words a time warning in the terms of the spec that defines it', () => {
    const rows = rowsOf(
      jws(
        `${HEADER}.${b64({
          updated_at: '2024-05-01T10:00:00Z',
          last_modified_date: '2016-12-09T04:02:56.000+0000',
          exp: '1700000000',
          auth_time: 'soon',
        })}.${SIG}`,
      ).payload,
    );
    expect(rows['updated_at']).toMatchObject({ kind: 'time', epochSeconds: Date.UTC(2024, 4, 1, 10) / 1000 });
    expect(rows['updated_at']?.warning).toMatch(/Salesforce’s userinfo.*OpenID Connect Core requires a number/);
    expect(rows['updated_at']?.warning).not.toMatch(/RFC 7519/);
    expect(rows['last_modified_date']).toMatchObject({ kind: 'time', epochSeconds: 1481256176 });
    expect(rows['last_modified_date']?.warning).toBeUndefined();
    expect(rows['exp']?.warning).toMatch(/RFC 7519 requires a number/);
    expect(rows['auth_time']?.warning).toMatch(/as OpenID Connect Core requires/);
  });
});

/** What Salesforce's identity URL answers (its documented fields, as an org sends them). */
const IDENTITY_RESPONSE = {
  id: 'https://login.salesforce.com/id/00D5g000004XYZAEA4/0055g00000AbCdEAAV',
  asserted_user: true,
  user_id: '0055g00000AbCdEAAV',
  organization_id: '00D5g000004XYZAEA4',
  username: 'admin@acme.example',
  nick_name: 'admin',
  display_name: 'Ada Admin',
  email: 'admin@acme.example',
  email_verified: true,
  first_name: 'Ada',
  last_name: 'Admin',
  timezone: 'Europe/London',
  photos: { picture: 'https://acme.file.force.com/profilephoto/005/F', thumbnail: 'https://x/T' },
  addr_street: null,
  addr_city: null,
  addr_state: null,
  addr_country: 'GB',
  addr_zip: null,
  mobile_phone: null,
  mobile_phone_verified: false,
  is_lightning_login_user: false,
  status: { created_date: null, body: null },
  urls: { rest: 'https://acme.my.salesforce.com/services/data/v{version}/' },
  active: true,
  user_type: 'STANDARD',
  language: 'en_US',
  locale: 'en_GB',
  utcOffset: 0,
  last_modified_date: '2016-12-09T04:02:56.000+0000',
  is_app_installed: true,
  custom_attributes: { team: 'blue' },
  custom_permissions: { can_export: true },
};
/** What Salesforce's userinfo endpoint adds to that (OpenID Connect's standard claims and Salesforce's own). */
const USERINFO_EXTRA = {
  sub: IDENTITY_RESPONSE.id,
  preferred_username: 'admin@acme.example',
  nickname: 'admin',
  name: 'Ada Admin',
  given_name: 'Ada',
  family_name: 'Admin',
  zoneinfo: 'Europe/London',
  profile: 'https://acme.my.salesforce.com/0055g00000AbCdEAAV',
  picture: 'https://acme.file.force.com/profilephoto/005/F',
  address: { country: 'GB' },
  phone_number: null,
  phone_number_verified: false,
  is_salesforce_integration_user: false,
  updated_at: '2024-05-01T10:00:00Z',
};

describe('the glossary', () => {
  const unknown = (rows: ClaimRow[]) => rows.filter((row) => row.meaning === null).map((row) => row.name);

  it('knows every claim of a JWT access token, ID token and identity response the Salesforce double issues', async () => {
    const world = await startDoubleWorld({ app: { tokenFormat: 'jwt' } });
    try {
      const { tokens } = await signInAtDouble(world);
      const access = jws(tokens.accessToken);
      expect(access.label).toBe('Salesforce JWT access token');
      expect(unknown(access.header)).toEqual([]);
      expect(unknown(access.payload)).toEqual([]);
      const id = jws(tokens.idToken ?? '');
      expect(id.label).toBe('OpenID Connect ID token');
      expect(unknown(id.payload)).toEqual([]);
      const userinfo = (await (
        await fetch(new URL('/services/oauth2/userinfo', world.double.loginUrl), {
          headers: { authorization: `Bearer ${tokens.accessToken}` },
        })
      ).json()) as Record<string, unknown>;
      expect(Object.keys(userinfo).filter((name) => !Object.hasOwn(PAYLOAD_GLOSSARY, name))).toEqual([]);
    } finally {
      await world.close();
    }
  });

  it('knows every field Salesforce documents for the identity URL and userinfo responses', () => {
    const names = Object.keys({ ...IDENTITY_RESPONSE, ...USERINFO_EXTRA });
    expect(names.filter((name) => !Object.hasOwn(PAYLOAD_GLOSSARY, name))).toEqual([]);
    const rows = rowsOf(jws(`${HEADER}.${b64({ ...IDENTITY_RESPONSE, ...USERINFO_EXTRA })}.${SIG}`).payload);
    for (const name of ['custom_attributes', 'custom_permissions', 'utcOffset', 'urls', 'user_type'])
      expect(rows[name]?.source, name).toBe('Salesforce');
    for (const name of ['updated_at', 'zoneinfo', 'nickname', 'locale'])
      expect(rows[name]?.source).toBe('OpenID Connect Core');
  });

  it('knows the claims of a real-shaped Salesforce JWT access token and an ID token with custom attributes', () => {
    const access = jws(
      `${b64({ tnk: 'core/falcontest1-core4sdb6/00DSG000009FYVd2AO', ver: '1.0', kid: 'CORE_ATJWT.00DSG000009FYVd.1725579420125', tty: 'sfdc-core-token', typ: 'JWT', alg: 'RS256' })}.${b64({ scp: 'refresh_token web api', aud: ['https://acme.my.salesforce.com'], sub: 'uid:005SG000008eiAbYAI', nbf: 1730386620, mty: 'oauth', roles: [], iss: 'https://acme.my.salesforce.com', exp: 1730386695, iat: 1730386635, client_id: '3MVG9.Agwto' })}.${SIG}`,
    );
    expect(unknown(access.header)).toEqual([]);
    expect(unknown(access.payload)).toEqual([]);
    expect(rowsOf(access.header)['tnk']?.ref).toEqual({ kind: 'org', value: '00DSG000009FYVd2AO' });
    const id = jws(
      `${b64({ alg: 'RS256', kid: '246' })}.${b64({ at_hash: 'x', sub: IDENTITY_RESPONSE.id, aud: '3MVG9', iss: 'https://login.salesforce.com', exp: 1, iat: 1, auth_time: 1, nonce: 'n', email: 'a@b', email_verified: true, name: 'A', preferred_username: 'a@b', given_name: 'A', family_name: 'B', locale: 'en_US', zoneinfo: 'Europe/London', nickname: 'a', picture: 'https://x', profile: 'https://y', updated_at: '2024-05-01T10:00:00Z', address: {}, phone_number: null, phone_number_verified: false, custom_attributes: { a: '1' }, custom_permissions: { p: true }, c_hash: 'y' })}.${SIG}`,
    );
    expect(unknown(id.payload)).toEqual([]);
  });
});
