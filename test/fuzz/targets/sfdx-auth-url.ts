/**
 * The Salesforce CLI auth URL parser (main/orgs/imports.ts `parseSfdxAuthUrl`, behind `importSfdxAuthUrl`
 * and the CLI import) on what a user or `sf` can hand it: `force://client:secret:refresh@host` built from
 * random and real-looking parts (PlatformCLI, 3MVG keys, 5Aep refresh tokens, My Domains, sandboxes,
 * loopback with ports, IPv6, IDNs, userinfo, paths, queries, percent-encoding), parts that carry the
 * separators (`:`, `@`, `/`) or whitespace, wrong schemes and case, and random text. A run passes when the
 * parser returns parts that the import can use (a non-empty client id and refresh token; a login host that
 * is an https origin, or http on loopback, and that normalizes to itself) or throws a typed AppError.
 */
import fc from 'fast-check';
import { normalizeLoginHost } from '../../../main/oauth/login-host';
import { parseSfdxAuthUrl } from '../../../main/orgs/imports';
import { expectTyped, UntypedError, type FuzzTarget } from '../target';

const tokenChars = fc.constantFrom(...'abcXYZ019._-!~+/=%'.split(''));
const sepChars = fc.constantFrom(':', '@', '/', ' ', '\t', '\n', '#', '?', '\\', '\u00a0', '\u2028', '\u0000');

/** A part of the URL: realistic, random, or with the separators in it. */
const part = (real: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 24, arbitrary: real },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 2, arbitrary: fc.string({ unit: tokenChars, maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
    {
      weight: 2,
      arbitrary: fc.tuple(real, fc.nat(), sepChars).map(([r, at, c]) => {
        const i = at % (r.length + 1);
        return r.slice(0, i) + c + r.slice(i);
      }),
    },
  );

const clientId = part(
  fc.oneof(
    fc.constant('PlatformCLI'),
    fc.stringMatching(/^3MVG9[A-Za-z0-9._]{10,80}$/),
    fc.constant('SalesforceDevelopmentExperience'),
  ),
);
const secret = part(fc.oneof(fc.constant(''), fc.stringMatching(/^[A-F0-9]{16,64}$/)));
const refresh = part(fc.stringMatching(/^5Aep8[A-Za-z0-9._]{20,90}$/));

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const host = fc.oneof(
  { weight: 4, arbitrary: label.map((l) => `${l}.my.salesforce.com`) },
  { weight: 1, arbitrary: label.map((l) => `${l}--uat.sandbox.my.salesforce.com`) },
  { weight: 1, arbitrary: label.map((l) => `${l}.lightning.force.com`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'login.salesforce.com',
      'test.salesforce.com',
      'na1.salesforce.com',
      'localhost',
      'localhost:1717',
      '127.0.0.1:65535',
      '127.0.0.1:65536',
      '127.0.0.1:0',
      '[::1]',
      '[::1]:8080',
      '[::1',
      'user:pw@acme.my.salesforce.com',
      'acme.my.salesforce.com:443',
      'acme.my.salesforce.com.',
      'ACME.MY.SALESFORCE.COM',
      'xn--mnchen-3ya.de',
      'münchen.de',
      'acme',
      '.',
      '..',
      '%41cme.my.salesforce.com',
      'acme.my.salesforce.com?x=1',
      'acme.my.salesforce.com#f',
      'acme.my.salesforce.com\\evil.example',
      '0x7f.1',
      '2130706433',
      '999.999.999.999',
    ),
  },
  { weight: 2, arbitrary: fc.domain() },
  { weight: 1, arbitrary: fc.webAuthority({ withPort: true, withUserInfo: true, withIPv4: true, withIPv6: true }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);

const scheme = fc.oneof(
  { weight: 12, arbitrary: fc.constant('force://') },
  fc.constantFrom('FORCE://', 'Force://', 'force:/', 'force:', 'https://', 'force:///', ' force://', ''),
);
const tail = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('', '/') },
  fc.constantFrom('//', '/path', '?q=1', '#x', ' ', '\n', '/ ', '\t'),
);

const structured = fc
  .record({
    scheme,
    clientId,
    secret,
    refresh,
    host,
    tail,
    colons: fc.oneof({ weight: 12, arbitrary: fc.constant(2) }, fc.constantFrom(0, 1, 3)),
    at: fc.oneof({ weight: 12, arbitrary: fc.constant('@') }, fc.constantFrom('', '@@', '%40')),
    around: fc.oneof({ weight: 6, arbitrary: fc.constant('') }, fc.constantFrom(' ', '\n', '\t', '"', '\u00a0')),
  })
  .map(({ scheme, clientId, secret, refresh, host, tail, colons, at, around }) => {
    const creds =
      colons === 2
        ? `${clientId}:${secret}:${refresh}`
        : colons === 1
          ? `${clientId}:${refresh}`
          : colons === 3
            ? `${clientId}:${secret}:${refresh}:${secret}`
            : `${clientId}${refresh}`;
    return `${around}${scheme}${creds}${at}${host}${tail}${around}`;
  });

const arbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: structured },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'force:/@ab.:'.split('')), maxLength: 60 }) },
  {
    weight: 1,
    // Long inputs: a regular expression that backtracks shows here as a slow input.
    arbitrary: fc
      .tuple(
        fc.constantFrom('force://', 'force://a:', 'force://a::', 'force://a:b:c@'),
        fc.constantFrom(':', '@', 'a', ':@', 'a:', '@a', ' '),
        fc.integer({ min: 1, max: 4_000 }),
      )
      .map(([head, unit, n]) => head + unit.repeat(n)),
  },
);

const target: FuzzTarget<string> = {
  name: 'sfdx auth URL',
  longRuns: 350_000,
  shortRuns: 8_000,
  arbitrary,
  async run(url) {
    await expectTyped(() => {
      const auth = parseSfdxAuthUrl(url);
      if (auth.clientId === '' || auth.refreshToken === '') {
        throw new UntypedError(`parsed without a client id or refresh token: ${JSON.stringify(auth)}`);
      }
      if (auth.clientSecret === '') throw new UntypedError('an empty secret must be null');
      // The import hands the login host to discovery and stores it: it must be a usable origin already.
      const origin = new URL(auth.loginHost);
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(origin.hostname);
      if (
        origin.origin !== auth.loginHost ||
        !(origin.protocol === 'https:' || (loopback && origin.protocol === 'http:'))
      ) {
        throw new UntypedError(`login host is not an https (or loopback http) origin: ${auth.loginHost}`);
      }
      if (normalizeLoginHost(auth.loginHost) !== auth.loginHost) {
        throw new UntypedError(`login host does not normalize to itself: ${auth.loginHost}`);
      }
    });
  },
};

export default target;
