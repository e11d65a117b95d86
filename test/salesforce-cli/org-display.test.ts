/**
 * `sf org display --verbose` and the `sf org auth show-…` commands' results read into credentials: bad
 * shapes and unsafe instance URLs refused without quoting a token, redacted secrets left for the caller
 * to ask for.
 */
import { describe, expect, it } from 'vitest';
import { parseOrgDisplay, parseShowAccessToken, parseShowSfdxAuthUrl } from '../../main/salesforce-cli/org-display';
import { errorText } from '../oauth/support';
import { PROD_REFRESH, PROD_TOKEN } from './support';

const REDACTED_ACCESS = "[REDACTED] Use 'sf org auth show-access-token' to view";
const REDACTED_AUTH_URL = "[REDACTED] Use 'sf org auth show-sfdx-auth-url' to view";
const AUTH_URL = `force://PlatformCLI::${PROD_REFRESH}@acme.my.salesforce.com`;

/** The AppError a parser threw, or undefined. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('parseOrgDisplay', () => {
  const display = {
    id: '00D5g000004AbCdEAB',
    apiVersion: '62.0',
    accessToken: PROD_TOKEN,
    instanceUrl: 'https://acme.my.salesforce.com',
    username: 'zoe@acme.com',
    clientId: 'PlatformCLI',
    connectedStatus: 'Connected',
  };

  it('reads an org without alias, client id or auth URL', () => {
    expect(parseOrgDisplay({ ...display, clientId: undefined })).toEqual({
      username: 'zoe@acme.com',
      alias: null,
      orgId: '00D5g000004AbCdEAB',
      instanceUrl: 'https://acme.my.salesforce.com',
      clientId: null,
      accessToken: PROD_TOKEN,
      sfdxAuthUrl: null,
      sfdxAuthUrlRedacted: false,
      isScratch: false,
    });
  });

  it('reads the alias, the auth URL and a scratch org', () => {
    expect(
      parseOrgDisplay({ ...display, alias: 'prod', sfdxAuthUrl: AUTH_URL, devHubId: 'hub@acme.com' }),
    ).toMatchObject({ alias: 'prod', sfdxAuthUrl: AUTH_URL, sfdxAuthUrlRedacted: false, isScratch: true });
  });

  it('rejects bad shapes and unsafe instance URLs without quoting the token', () => {
    for (const bad of [
      null,
      { ...display, accessToken: '' },
      { ...display, username: undefined },
      { ...display, instanceUrl: 'acme.my.salesforce.com' },
      { ...display, instanceUrl: 'http://acme.my.salesforce.com' },
    ]) {
      const caught = thrown(() => parseOrgDisplay(bad));
      expect(caught).toMatchObject({ code: 'cli/bad_output' });
      expect(errorText(caught)).not.toContain(PROD_TOKEN);
    }
  });

  it('takes no redacted secret for a real one: the token and the auth URL are left to ask for', () => {
    const redacted = parseOrgDisplay({ ...display, accessToken: REDACTED_ACCESS, sfdxAuthUrl: REDACTED_AUTH_URL });
    expect(redacted).toMatchObject({ accessToken: null, sfdxAuthUrl: null, sfdxAuthUrlRedacted: true });
    expect(JSON.stringify(redacted)).not.toContain('REDACTED');
    // Anything else in sfdxAuthUrl is no auth URL, and nothing to ask for either.
    expect(parseOrgDisplay({ ...display, sfdxAuthUrl: 'https://acme.my.salesforce.com' })).toMatchObject({
      accessToken: PROD_TOKEN,
      sfdxAuthUrl: null,
      sfdxAuthUrlRedacted: false,
    });
  });
});

describe('parseShowAccessToken', () => {
  it('gives the token, and refuses a missing, empty or redacted one without quoting the result', () => {
    expect(parseShowAccessToken({ accessToken: PROD_TOKEN, username: 'zoe@acme.com' })).toBe(PROD_TOKEN);
    for (const bad of [null, {}, { accessToken: '' }, { accessToken: REDACTED_ACCESS }, { accessToken: 42 }]) {
      const caught = thrown(() => parseShowAccessToken(bad));
      expect(caught).toMatchObject({ code: 'cli/bad_output', message: expect.stringContaining('show-access-token') });
    }
  });
});

describe('parseShowSfdxAuthUrl', () => {
  it('gives the force:// URL, and refuses anything else without quoting it', () => {
    expect(parseShowSfdxAuthUrl({ sfdxAuthUrl: AUTH_URL })).toBe(AUTH_URL);
    for (const bad of [null, {}, { sfdxAuthUrl: REDACTED_AUTH_URL }, { sfdxAuthUrl: `https://x?${PROD_REFRESH}` }]) {
      const caught = thrown(() => parseShowSfdxAuthUrl(bad));
      expect(caught).toMatchObject({ code: 'cli/bad_output', message: expect.stringContaining('show-sfdx-auth-url') });
      expect(errorText(caught)).not.toContain(PROD_REFRESH);
    }
  });
});
