/**
 * The token decoder (main/tokens/inspect-token.ts `inspectToken`, what the Inspect tab and
 * `inspectOrgToken` call) on what a user can paste: JWS and JWE shapes built from random and structured
 * parts (base64url of random JSON, claims Salesforce and OIDC use, JSON nested up to 20,000 levels, payloads
 * up to ~150 KB of JSON / ~200 KB of token, bytes that are not UTF-8, bad base64url, wrong segment counts),
 * dressed as pastes are (`Bearer `, quotes, whitespace), Salesforce opaque tokens and near misses, and
 * random unicode. A run passes when the decoder returns an inspection that can cross IPC (structured
 * clone) or throws a typed `token/*` AppError.
 */
import fc from 'fast-check';
import { inspectToken } from '../../../main/tokens/inspect-token';
import { expectTyped, sometimes, type FuzzTarget } from '../target';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const NOW_S = NOW / 1000;
/** JSON text made by the "huge" generators stays under this (its base64url under ~200 KB). */
const HUGE_JSON_CHARS = 150_000;

const b64u = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

// ---- JSON text ----------------------------------------------------------------------------------------

const HEADER_NAMES = [
  'alg',
  'typ',
  'kid',
  'cty',
  'enc',
  'zip',
  'crit',
  'jku',
  'x5u',
  'jwk',
  'x5c',
  'tty',
  'tnk',
  'ver',
];
const PAYLOAD_NAMES = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'scp',
  'scope',
  'client_id',
  'nonce',
  'at_hash',
  'mty',
  'sty',
  'auth_time',
  'amr',
];
const NASTY_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' '];

const claimName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HEADER_NAMES, ...PAYLOAD_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY_NAMES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);

/** Values that the decoder looks at: times, algorithms, scopes, and anything else. */
const timeValue = fc.oneof(
  fc.integer({ min: NOW_S - 10_000, max: NOW_S + 10_000 }),
  fc.double(),
  fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53, 1e21, 0.5),
  fc.stringMatching(/^\s?\d{1,14}(\.\d{0,3})?\s?$/),
  fc.string({ maxLength: 8 }),
);
const algValue = fc.oneof(
  fc.constantFrom('RS256', 'ES256', 'PS512', 'EdDSA', 'HS256', 'HS512', 'none', 'NONE', 'nOnE', 'RSA1_5', 'dir', ''),
  fc.string({ maxLength: 10 }),
);
const scopeValue = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom('api', 'refresh_token', 'openid', 'web', 'id'), fc.jsonValue({ maxDepth: 1 })), {
    maxLength: 8,
  }),
  fc.array(fc.constantFrom('api', 'openid', ' ', '', 'x'), { maxLength: 8 }).map((s) => s.join(' ')),
);
const claimValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: timeValue },
  { weight: 1, arbitrary: algValue },
  { weight: 1, arbitrary: scopeValue },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

/** Claim objects: the names the decoder reads, with any value. */
const claimsObject = fc.dictionary(claimName, claimValue, { maxKeys: 14 });
const headerObject = fc
  .tuple(
    fc.record(
      {
        alg: algValue,
        typ: fc.constantFrom('JWT', 'at+jwt', 'application/at+jwt'),
        tty: fc.constant('sfdc-core-token'),
      },
      { requiredKeys: [] },
    ),
    claimsObject,
  )
  .map(([known, rest]) => ({ ...rest, ...known }));

/** JSON text: mostly objects, some other JSON, some almost-JSON. */
const objectText = fc.oneof(
  { weight: 5, arbitrary: claimsObject.map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  {
    weight: 1,
    arbitrary: claimsObject.map((o) => JSON.stringify(o, null, 2)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(claimsObject, fc.nat(), fc.constantFrom('', ',', '}', '{', '"', '\\', '\u0000', ']', 'x', ' ', '\ufeff'))
      .map(([o, at, junk]) => {
        const text = JSON.stringify(o);
        const i = at % (text.length + 1);
        return text.slice(0, i) + junk + text.slice(i);
      }),
  },
);

/** An opening and its closing: the ways nesting goes deep. */
const NESTS: [string, string][] = [
  ['[', ']'],
  ['{"a":', '}'],
  ['{"":[', ']}'],
  ['["x",', ']'],
  ['[{"k":', '}]'],
  ['{"scp":[', ']}'],
];
/** JSON nested `depth` levels under a claim, balanced or cut short, with brackets sometimes in a string. */
const deepText = fc
  .record({
    depth: fc.oneof(
      fc.integer({ min: 1, max: 80 }),
      fc.integer({ min: 55, max: 70 }),
      fc.integer({ min: 80, max: 20_000 }),
    ),
    nest: fc.constantFrom(...NESTS),
    core: fc.constantFrom('1', 'null', '"s"', '{}', '[]', '', '"[[[["'),
    balanced: fc.boolean(),
    asString: fc.boolean(),
  })
  .map(({ depth, nest: [open, close], core, balanced, asString }) => {
    const inner = open.repeat(depth) + core + (balanced ? close.repeat(depth) : close.repeat(depth >> 1));
    return asString ? JSON.stringify({ a: inner }) : `{"a":${inner}}`;
  });

/** Large JSON, built by repetition so that generating it stays fast. */
const hugeText = fc
  .record({
    unit: fc.oneof(
      fc.json({ maxDepth: 2 }).filter((t) => t.length <= 200),
      fc.constantFrom('0', '[]', '{}', '"x"', 'null', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'),
      fc.integer({ min: 1, max: 63 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
    ),
    count: fc.integer({ min: 1, max: 60_000 }),
    shape: fc.constantFrom('array', 'keys', 'string', 'escapes', 'scopes'),
  })
  .map(({ unit, count, shape }) => {
    switch (shape) {
      case 'array': {
        const n = Math.max(1, Math.min(count, Math.floor(HUGE_JSON_CHARS / (unit.length + 1))));
        return `{"a":[${Array<string>(n).fill(unit).join(',')}]}`;
      }
      case 'keys': {
        const n = Math.max(1, Math.min(count, Math.floor(HUGE_JSON_CHARS / (unit.length + 10))));
        return `{${Array.from({ length: n }, (_, i) => `"k${i}":${unit}`).join(',')}}`;
      }
      case 'string':
        return JSON.stringify({
          blob: unit.repeat(Math.max(1, Math.floor((HUGE_JSON_CHARS / unit.length) * (count / 60_000)))),
        });
      case 'escapes':
        return `{"e":"${'\\u0000\\"\\\\\\ud83d\\ude80'.repeat(Math.floor(count / 10) + 1)}"}`;
      default:
        return JSON.stringify({
          scp: Array<string>(Math.floor(count / 4) + 1).fill('api'),
          scope: 'api '.repeat(Math.floor(count / 2)),
        });
    }
  });

// ---- token parts ----------------------------------------------------------------------------------------

const BAD_BASE64_CHARS = ['@', '!', '*', '=', '+', '/', ' ', '\n', '\t', '%', '.', '\u00e9', '\u0000', '=='];

/** How a part's bytes become text: base64url as it should be, or the ways pastes and tools get it wrong. */
const encode = (text: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 8, arbitrary: text.map((t) => b64u(t)) },
    { weight: 1, arbitrary: text.map((t) => Buffer.from(t).toString('base64')) },
    {
      weight: 1,
      arbitrary: fc.tuple(text, fc.nat(), fc.constantFrom(...BAD_BASE64_CHARS)).map(([t, at, c]) => {
        const e = b64u(t);
        const i = at % (e.length + 1);
        return e.slice(0, i) + c + e.slice(i);
      }),
    },
    { weight: 1, arbitrary: text.map((t) => `${b64u(t)}A`) },
    { weight: 1, arbitrary: text },
  );

/** Bytes that are no UTF-8 text, or text that is no JSON. */
const notJson = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', 'null', 'true', '42', '"s"', '[]', '[1,2]', 'undefined', 'NaN', '{', '}'),
);
const rawBytesPart = fc.uint8Array({ maxLength: 64 }).map((b) => b64u(b));

const headerPart = fc.oneof(
  { weight: 8, arbitrary: encode(headerObject.map((o) => JSON.stringify(o))) },
  { weight: 2, arbitrary: encode(objectText) },
  { weight: 1, arbitrary: encode(deepText) },
  { weight: 1, arbitrary: encode(notJson) },
  { weight: 1, arbitrary: rawBytesPart },
);
const payloadPart = fc.oneof(
  { weight: 8, arbitrary: encode(objectText) },
  { weight: 2, arbitrary: encode(deepText) },
  { weight: 1, arbitrary: hugeText.map((t) => b64u(t)) },
  { weight: 1, arbitrary: encode(notJson) },
  { weight: 1, arbitrary: rawBytesPart },
  { weight: 1, arbitrary: fc.constant('') },
);
const signaturePart = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((b) => b64u(b)),
  fc.constant(''),
  encode(fc.string({ maxLength: 20 })),
);
const otherPart = fc.oneof(rawBytesPart, fc.constant(''), fc.string({ maxLength: 12 }));

const jws = fc.tuple(headerPart, payloadPart, signaturePart).map((parts) => parts.join('.'));
const jwe = fc
  .tuple(headerPart, otherPart, otherPart, fc.oneof(otherPart, rawBytesPart), otherPart)
  .map((parts) => parts.join('.'));
/** Too few or too many parts: a cut token, two tokens joined, stray dots. */
const wrongCount = fc
  .tuple(fc.array(fc.oneof(headerPart, otherPart), { minLength: 0, maxLength: 9 }), fc.boolean())
  .map(([parts, doubled]) => (doubled ? parts.join('..') : parts.join('.')));

// ---- opaque tokens ----------------------------------------------------------------------------------------

const alnum = fc.constantFrom(...'abcxyzABCXYZ0123456789'.split(''));
const opaque = fc
  .record({
    prefix: fc.constantFrom('00D', '00D', '00D', '00d', '001', '0D0', ''),
    id: fc.string({ unit: alnum, minLength: 10, maxLength: 16 }),
    suffix: fc.oneof(
      fc.constant(''),
      fc.string({ unit: fc.constantFrom(...'ABCXYZ012345abc6789'.split('')), minLength: 3, maxLength: 3 }),
    ),
    bang: fc.constantFrom('!', '!', '!', '', '!!', '.', ' ! '),
    secret: fc.string({ unit: fc.constantFrom(...'AQ8abcXYZ0189._-+/=!@ \u00e9'.split('')), maxLength: 120 }),
  })
  .map(({ prefix, id, suffix, bang, secret }) => `${prefix}${id}${suffix}${bang}${secret}`);

// ---- what a paste looks like --------------------------------------------------------------------------------

const SPACE = ['', ' ', '  ', '\n', '\r\n', '\t', '\u00a0', '\u2028', '\ufeff', '\u3000'];
const paste = (token: fc.Arbitrary<string>) =>
  fc
    .record({
      token,
      before: fc.constantFrom(...SPACE),
      after: fc.constantFrom(...SPACE),
      bearer: fc.constantFrom('', '', '', 'Bearer ', 'bearer\t', 'BEARER  ', 'Bearer', 'Bearer: ', 'Token '),
      quote: fc.constantFrom('', '', '', '"', "'", '`', '""', 'mismatch'),
      inside: sometimes(fc.tuple(fc.nat(), fc.constantFrom(' ', '\n', '\u200b', '"')), 8),
    })
    .map(({ token, before, after, bearer, quote, inside }) => {
      let t = token;
      if (inside) {
        const i = inside[0] % (t.length + 1);
        t = t.slice(0, i) + inside[1] + t.slice(i);
      }
      if (quote === 'mismatch') t = `"${t}'`;
      else t = `${quote}${t}${quote}`;
      return `${before}${bearer}${t}${after}`;
    });

const arbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: paste(jws) },
  { weight: 2, arbitrary: paste(jwe) },
  { weight: 2, arbitrary: paste(wrongCount) },
  { weight: 2, arbitrary: paste(opaque) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'eyJ.-_=!00D \n"\'Bearer'.split('')), maxLength: 80 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      'Bearer',
      '""',
      "''",
      '.',
      '..',
      '....',
      'x'.repeat(1_000_001),
      `${'a'.repeat(999_990)}.b.c`,
    ),
  },
);

const target: FuzzTarget<string> = {
  name: 'token decoder',
  longRuns: 300_000,
  shortRuns: 3_000,
  arbitrary,
  async run(input) {
    await expectTyped(() => {
      const inspection = inspectToken(input, NOW);
      // What the decoder returns crosses IPC: it must survive the structured clone Electron uses.
      structuredClone(inspection);
    });
  },
};

export default target;
