/**
 * The API console's request building and answer shaping (main/salesforce/api-console.ts): which paths may be
 * sent, how an answer is shown, what a refusal means, and the copied forms of a token, run through a real
 * POSIX shell to prove their quoting.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { COPY_FORMATS } from '../../preload/contract-tools';
import {
  consoleUrl,
  copyAsText,
  explainStatus,
  newestVersion,
  shapeAnswer,
  type RawAnswer,
} from '../../main/salesforce/api-console';

const INSTANCE = 'https://acme.my.salesforce.com';
const rest = (path: string) => consoleUrl(INSTANCE, { kind: 'rest', path }, '62.0').href;

function answer(status: number, body: string, headers: Record<string, string> = {}): RawAnswer {
  return {
    url: `${INSTANCE}/services/data/v62.0/query`,
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    headers: new Headers({ 'content-type': 'application/json;charset=UTF-8', ...headers }),
    text: body,
    durationMs: 12,
  };
}

const sh = promisify(execFile);
/** Runs `script` in sh with `curl` and `http` standing in: each prints the arguments it was given, one a line. */
async function shellArgs(script: string): Promise<string[]> {
  const stubs = `curl() { printf '%s\\n' curl "$@"; }\nhttp() { printf '%s\\n' http "$@"; }\n`;
  const { stdout } = await sh('sh', ['-c', stubs + script]);
  return stdout.replace(/\n$/, '').split('\n');
}

describe('console URLs', () => {
  it('sends paths under /services/data/ of the instance, with their query string', () => {
    expect(rest('/services/data/')).toBe(`${INSTANCE}/services/data/`);
    expect(rest('/services/data')).toBe(`${INSTANCE}/services/data`);
    expect(rest(' /services/data/v62.0/limits ')).toBe(`${INSTANCE}/services/data/v62.0/limits`);
    expect(rest('/services/data/v62.0/query?q=SELECT Id FROM User')).toBe(
      `${INSTANCE}/services/data/v62.0/query?q=SELECT%20Id%20FROM%20User`,
    );
    const soql = consoleUrl(INSTANCE, { kind: 'soql', query: " SELECT Id FROM Account WHERE Name = 'A&B' " }, '61.0');
    expect(soql.pathname).toBe('/services/data/v61.0/query');
    expect(soql.searchParams.get('q')).toBe("SELECT Id FROM Account WHERE Name = 'A&B'");
  });

  it.each([
    ['https://evil.example/services/data/', /not a full URL/],
    ['//evil.example/services/data/', /not a full URL/],
    ['javascript:alert(1)', /not a full URL/],
    ['/services/oauth2/userinfo', /not under \/services\/data\//],
    ['services/data/', /not under/],
    ['/services/data/../oauth2/token', /"\." or "\.\." segments/],
    ['/services/data/%2e%2e/oauth2/token', /"\." or "\.\." segments/],
    ['/services/data/v62.0/./limits', /"\." or "\.\." segments/],
    ['/services/data/v62.0%2f..%2f..%2fid', /encoded slashes/],
    ['/services/data\\..\\id', /backslash/],
    ['/services/data/%zz', /malformed %-escape/],
    ['/services/data/#frag', /fragment/],
    ['/services/data/\nHost: x', /control characters/],
    ['/services/dataX', /not under/],
  ])('refuses %j', (path, why) => {
    let thrown: unknown;
    try {
      rest(path);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: 'ipc/bad_argument', message: expect.stringMatching(why) });
    expect((thrown as Error).message).toMatch(/GETs to paths under \/services\/data\/ only/);
  });
});

describe('console answers', () => {
  it('keeps every header but Authorization, reads Sforce-Limit-Info, and pretty-prints JSON', () => {
    const shaped = shapeAnswer(
      answer(200, '{"totalSize":1,"done":true,"records":[{"Id":"001"}]}', {
        'Sforce-Limit-Info': 'api-usage=25/15000, per-app-api-usage=3/250(appName=x)',
        authorization: 'Bearer leaked',
        'x-other': 'kept',
      }),
      null,
    );
    expect(shaped.headers.map((h) => h.name)).toEqual(['content-type', 'sforce-limit-info', 'x-other']);
    expect(shaped.limitInfo).toEqual({ used: 25, max: 15000 });
    expect(shaped.body).toBe(
      '{\n  "totalSize": 1,\n  "done": true,\n  "records": [\n    {\n      "Id": "001"\n    }\n  ]\n}',
    );
    expect(shaped).toMatchObject({ json: true, bodyTruncated: false, contentType: 'application/json;charset=UTF-8' });
    expect(shaped).toMatchObject({ status: 200, statusText: 'OK', durationMs: 12, explanation: null });
  });

  it('shows text as it came, no limit info when none was sent, and cuts a huge body saying so', () => {
    const text = shapeAnswer(answer(500, 'Internal Server Error'), 'x');
    expect(text).toMatchObject({ json: false, body: 'Internal Server Error', limitInfo: null, explanation: 'x' });
    const huge = shapeAnswer(answer(200, JSON.stringify({ rows: 'x'.repeat(300_000) })), null);
    expect(huge.bodyTruncated).toBe(true);
    expect(huge.body.length).toBe(200_000);
  });

  it('learns the newest version only from a version list', () => {
    const list = JSON.stringify(['60.0', '62.0', '61.0'].map((v) => ({ version: v, label: v, url: `/v${v}` })));
    expect(newestVersion(answer(200, list))).toBe('62.0');
    expect(newestVersion(answer(200, '{"sobjects":"/x"}'))).toBeNull();
    expect(newestVersion(answer(401, list))).toBeNull();
  });

  it('explains refusals with what Salesforce said', () => {
    const said = (status: number, code: string, message: string) =>
      explainStatus(answer(status, JSON.stringify([{ message, errorCode: code }])), 'The token was revoked.');
    expect(explainStatus(answer(200, '{}'), 'x')).toBeNull();
    expect(said(401, 'INVALID_SESSION_ID', 'Session expired or invalid')).toBe(
      'The token was revoked. Salesforce said: INVALID_SESSION_ID: Session expired or invalid.',
    );
    expect(said(403, 'API_DISABLED_FOR_ORG', 'API is not enabled')).toMatch(
      /accepted the token but refused this request \(HTTP 403\).*API_DISABLED_FOR_ORG/,
    );
    expect(said(400, 'MALFORMED_QUERY', "unexpected token: 'FORM'")).toMatch(
      /could not run this query \(HTTP 400\).*MALFORMED_QUERY: unexpected token: 'FORM'/,
    );
    expect(said(404, 'NOT_FOUND', 'The requested resource does not exist')).toMatch(/Nothing at this path/);
    expect(said(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')).toMatch(/over an API limit/);
    expect(explainStatus(answer(503, '<html><b>down</b></html>'), '')).toMatch(/HTTP 503.*Salesforce said: down\./);
    expect(explainStatus(answer(302, ''), '')).toMatch(/wrong instance URL/);
    // A token in a server's words never reaches the screen.
    const echoed = explainStatus(answer(400, '[{"message":"bad 00D5g000004XYZA!AQ.secretsecret"}]'), '');
    expect(echoed).not.toContain('secretsecret');
  });
});

describe('copy as', () => {
  const odd = `00D5g!AQ'x"$HOME\`id\`\\‘q’`;

  it('writes the header, curl and HTTPie with the token as one shell word, whatever it holds', async () => {
    expect(copyAsText('bearer-header', odd, null, '62.0')).toBe(`Authorization: Bearer ${odd}`);
    expect(await shellArgs(copyAsText('curl', odd, INSTANCE, '62.0'))).toEqual([
      'curl',
      '-H',
      `Authorization: Bearer ${odd}`,
      `${INSTANCE}/services/data/v62.0/`,
    ]);
    expect(await shellArgs(copyAsText('httpie', odd, INSTANCE, '61.0'))).toEqual([
      'http',
      'GET',
      `${INSTANCE}/services/data/v61.0/`,
      `Authorization:Bearer ${odd}`,
    ]);
  });

  it('sets SF_ACCESS_TOKEN and SF_INSTANCE_URL in sh exactly, and doubles every quote PowerShell reads', async () => {
    const script = `${copyAsText('env-posix', odd, `${INSTANCE}/`, '62.0')}\nprintf '%s\\n' "$SF_ACCESS_TOKEN" "$SF_INSTANCE_URL"`;
    expect(await shellArgs(script)).toEqual([odd, INSTANCE]);
    expect(copyAsText('env-powershell', odd, INSTANCE, '62.0')).toBe(
      `$env:SF_ACCESS_TOKEN = '00D5g!AQ''x"$HOME\`id\`\\‘‘q’’'\n$env:SF_INSTANCE_URL = '${INSTANCE}'`,
    );
  });

  it('has a form for every format the contract names', () => {
    for (const format of COPY_FORMATS) expect(copyAsText(format, 'tok', INSTANCE, '62.0')).toContain('tok');
  });
});
