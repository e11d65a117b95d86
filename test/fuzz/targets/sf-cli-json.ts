/**
 * The Salesforce CLI output parsers (main/salesforce-cli/cli-output.ts, org-list.ts, org-display.ts):
 * `interpret`, which finds the JSON envelope in what `sf` printed on stdout and stderr, and `parseOrgList`,
 * `parseOrgDisplay`,
 * `parseShowAccessToken`, `parseShowSfdxAuthUrl` on its `result`, followed by what the import does next
 * with a display (`parseSfdxAuthUrl` on its auth URL, the login host of its instance URL). Inputs are the
 * real shapes the stand-in `sf` prints (test/fixtures/sf-cli/sf: plugin-org's `OrgListResult`,
 * `OrgDisplayReturn`, the sf-plugins-core envelope, with warnings, update notices, colour codes, BOMs and
 * error envelopes around them), mutated field by field, and random JSON. A run passes when every step
 * returns or throws a typed AppError, and no access or refresh token planted in the output reaches an org
 * list or any error message.
 */
import fc from 'fast-check';
import { AppError } from '../../../main/errors';
import { normalizeLoginHost } from '../../../main/oauth/login-host';
import { parseSfdxAuthUrl } from '../../../main/orgs/imports';
import { interpret } from '../../../main/salesforce-cli/cli-output';
import { parseOrgDisplay, parseShowAccessToken, parseShowSfdxAuthUrl } from '../../../main/salesforce-cli/org-display';
import { parseOrgList } from '../../../main/salesforce-cli/org-list';
import { UntypedError, expectTyped, sometimes, type FuzzTarget } from '../target';

/** Tokens planted in the output: none of them may show up in an org list or an error message. */
const ACCESS = '00D5g000004AbCdEAB!AQ8AQFuzzAccessTokenXyZ0123456789abcdefGHIJKLmnopQRSTuvwx';
const REFRESH = '5Aep861FuzzRefreshTokenQwErTy0123456789AbCdEfGhIjKlMnOpQrStUvWxYz';
const SECRETS = [ACCESS, REFRESH];
const REDACTED_ACCESS = "[REDACTED] Use 'sf org auth show-access-token' to view";
const REDACTED_AUTH_URL = "[REDACTED] Use 'sf org auth show-sfdx-auth-url' to view";

type Parser = 'list' | 'display' | 'access' | 'authurl';
const COMMAND: Record<Parser, string> = {
  list: 'sf org list',
  display: 'sf org display',
  access: 'sf org auth show-access-token',
  authurl: 'sf org auth show-sfdx-auth-url',
};

type Input =
  | { kind: 'result'; parser: Parser; result: unknown }
  | {
      kind: 'output';
      parser: Parser;
      stdout: string;
      stderr: string;
      exitCode: number | null;
      signal: NodeJS.Signals | null;
    };

// ---- real shapes, mutated ----------------------------------------------------------------------------------

const host = fc.constantFrom(
  'https://acme.my.salesforce.com',
  'https://acme--uat.sandbox.my.salesforce.com',
  'https://speed-ruby-1234-dev-ed.scratch.my.salesforce.com',
  'https://me.develop.my.salesforce.com',
  'https://login.salesforce.com',
  'https://test.salesforce.com',
  'https://na1.salesforce.com',
  'https://sfdc.partner.example',
  'http://127.0.0.1:1717',
  'http://acme.my.salesforce.com',
  'acme.my.salesforce.com',
  'not a url',
  '',
);
const username = fc.oneof(fc.emailAddress(), fc.constantFrom('zoe@acme.com', 'qa@acme.com.uat', ''), fc.string());
const orgId = fc.constantFrom(
  '00D5g000004AbCdEAB',
  '00D000000000001AAA',
  '00DAu000000ScrAtAAA',
  '00D5g000004AbCd',
  'x',
);
const authUrl = fc.oneof(
  host.map((h) => `force://PlatformCLI::${REFRESH}@${h.replace(/^https?:\/\//, '')}`),
  fc.constantFrom(
    `force://PlatformCLI::${REFRESH}@acme.my.salesforce.com`,
    `force://3MVG9abc:ABCDEF0123:${REFRESH}@acme.my.salesforce.com/`,
    `FORCE://PlatformCLI::${REFRESH}@acme.my.salesforce.com`,
    `force://PlatformCLI:${REFRESH}@acme.my.salesforce.com`,
    `force://::${REFRESH}@`,
    `force://PlatformCLI::${REFRESH}@user:pw@acme.my.salesforce.com`,
    `force://PlatformCLI::${REFRESH}@http://evil.example`,
    REDACTED_AUTH_URL,
  ),
);
const marker = fc.constantFrom('(U)', '(D)', '(D),(U)', '', 'U');
const iso = fc.constantFrom('2099-01-01', '2020-01-01', '2025-01-06T10:00:00.000Z', 'tomorrow', '');

/** The fields of `sf org list` entries (authFields and scratchFields in the stand-in). */
const listEntry = fc.record(
  {
    username,
    orgId,
    accessToken: fc.constantFrom(ACCESS, REDACTED_ACCESS),
    refreshToken: fc.constant(REFRESH),
    sfdxAuthUrl: authUrl,
    instanceUrl: host,
    loginUrl: host,
    clientId: fc.constantFrom('PlatformCLI', '3MVG9abc'),
    isDevHub: fc.boolean(),
    isSandbox: fc.boolean(),
    isScratch: fc.boolean(),
    isExpired: fc.boolean(),
    alias: fc.oneof(fc.constantFrom('prod', 'uat', 'hub', 'feature'), fc.string({ maxLength: 8 })),
    isDefaultUsername: fc.boolean(),
    isDefaultDevHubUsername: fc.boolean(),
    defaultMarker: marker,
    connectedStatus: fc.constantFrom('Connected', 'Unknown', 'RefreshTokenAuthError', 'Active'),
    status: fc.constantFrom('Active', 'Expired', 'Deleted'),
    expirationDate: iso,
    instanceApiVersion: fc.constant('62.0'),
    lastUsed: iso,
    namespacePrefix: fc.constant(null),
    tracksSource: fc.boolean(),
    devHubUsername: username,
  },
  { requiredKeys: ['username'] },
);

const displayResult = fc.record(
  {
    id: orgId,
    apiVersion: fc.constant('62.0'),
    accessToken: fc.constantFrom(ACCESS, ACCESS, REDACTED_ACCESS, ''),
    instanceUrl: host,
    username,
    clientId: fc.constantFrom('PlatformCLI', '3MVG9abc'),
    connectedStatus: fc.constantFrom('Connected', 'Unknown'),
    sfdxAuthUrl: authUrl,
    alias: fc.string({ maxLength: 8 }),
    devHubId: fc.constantFrom('hub@example.com', '00D000000000001AAA', ''),
    status: fc.constant('Active'),
    expirationDate: iso,
  },
  { requiredKeys: ['username', 'accessToken', 'instanceUrl'] },
);

/** Replaces, drops or adds fields of an object, as a newer or older CLI (or a broken one) might. */
function mutated<T extends Record<string, unknown>>(base: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  const edit = fc.oneof(
    fc.tuple(fc.constant('set' as const), fc.string({ maxLength: 20 }), fc.anything({ maxDepth: 2 })),
    fc.tuple(fc.constant('drop' as const), fc.nat(), fc.constant(null)),
    fc.tuple(fc.constant('retype' as const), fc.nat(), fc.anything({ maxDepth: 2 })),
  );
  return fc.tuple(base, fc.array(edit, { maxLength: 3 })).map(([value, edits]) => {
    const out: Record<string, unknown> = { ...value };
    for (const [op, key, v] of edits) {
      const keys = Object.keys(out);
      if (op === 'set') out[key as string] = v;
      else if (keys.length > 0) {
        const k = keys[(key as number) % keys.length]!;
        if (op === 'drop') delete out[k];
        else out[k] = v;
      }
    }
    return out;
  });
}

const entries = fc.array(
  fc.oneof({ weight: 6, arbitrary: mutated(listEntry) }, { weight: 1, arbitrary: fc.anything() }),
  {
    maxLength: 6,
  },
);
const listKeys = ['nonScratchOrgs', 'scratchOrgs', 'devHubs', 'sandboxes', 'other', 'regularOrgs'] as const;
const listResult = fc
  .tuple(
    fc.record(
      Object.fromEntries(listKeys.map((k) => [k, entries])) as Record<(typeof listKeys)[number], typeof entries>,
      {
        requiredKeys: ['nonScratchOrgs', 'scratchOrgs'],
      },
    ),
    sometimes(fc.tuple(fc.constantFrom(...listKeys), fc.anything({ maxDepth: 2 })), 5),
  )
  .map(([list, broken]) => (broken ? { ...list, [broken[0]]: broken[1] } : list));

const resultFor: Record<Parser, fc.Arbitrary<unknown>> = {
  list: fc.oneof({ weight: 5, arbitrary: listResult }, { weight: 1, arbitrary: fc.anything() }),
  display: fc.oneof({ weight: 5, arbitrary: mutated(displayResult) }, { weight: 1, arbitrary: fc.anything() }),
  access: fc.oneof(
    mutated(fc.record({ accessToken: fc.constantFrom(ACCESS, REDACTED_ACCESS, ''), username, instanceUrl: host })),
    fc.anything(),
  ),
  authurl: fc.oneof(mutated(fc.record({ sfdxAuthUrl: authUrl, username, instanceUrl: host })), fc.anything()),
};

const parser = fc.constantFrom<Parser>('list', 'display', 'access', 'authurl');
const resultInput: fc.Arbitrary<Input> = parser.chain((p) =>
  resultFor[p].map((result): Input => ({ kind: 'result', parser: p, result })),
);

// ---- what sf prints -------------------------------------------------------------------------------------------

const NOISE = [
  '',
  'Warning: @salesforce/cli update available from 2.100.0 to 2.108.6.',
  '›   Warning: @salesforce/cli update available from 2.100.0 to 2.108.6.',
  '\u001b[33mWarning:\u001b[39m something',
  '(node:1234) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to 0',
  `Access Token  ${ACCESS}`,
  '{',
  '{"status":',
  '{}',
  '[]',
  'null',
];
const errorEnvelope = fc.record(
  {
    status: fc.oneof(fc.constant(1), fc.integer(), fc.double()),
    name: fc.oneof(fc.constantFrom('NamedOrgNotFoundError', 'NoDefaultEnvError', `Token ${ACCESS}`), fc.string()),
    message: fc.oneof(
      fc.constantFrom(
        'No authorization information found for ghost@example.com.',
        `Error authenticating with the refresh token due to: ${REFRESH}`,
        `bad token ${ACCESS} here`,
        `x${ACCESS}x`,
        `${'a'.repeat(400)} ${ACCESS}`,
      ),
      fc.string(),
      fc.anything({ maxDepth: 1 }),
    ),
    exitCode: fc.integer(),
    actions: fc.oneof(
      fc.array(
        fc.oneof(fc.string(), fc.constant(`Run sf org login web to use ${REFRESH}`), fc.anything({ maxDepth: 1 })),
      ),
      fc.anything({ maxDepth: 1 }),
    ),
    warnings: fc.array(fc.string(), { maxLength: 2 }),
  },
  { requiredKeys: ['status'] },
);

const outputInput: fc.Arbitrary<Input> = parser
  .chain((p) =>
    fc.record({
      parser: fc.constant(p),
      envelope: fc.oneof(
        { weight: 5, arbitrary: resultFor[p].map((result) => ({ status: 0, result, warnings: [] })) },
        { weight: 2, arbitrary: errorEnvelope },
        { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
      ),
      indent: fc.constantFrom(0, 2, 4),
      before: fc.array(fc.constantFrom(...NOISE), { maxLength: 3 }),
      // sf prints its JSON last: text after it is rare (and makes the output unreadable).
      after: fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, fc.array(fc.constantFrom(...NOISE), { maxLength: 2 })),
      bom: fc.boolean(),
      cut: sometimes(fc.nat(), 8),
      onStderr: fc.boolean(),
      random: sometimes(fc.string({ unit: 'binary', maxLength: 200 }), 10),
      copies: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, fc.constantFrom(2, 25)),
      exitCode: fc.constantFrom<number | null>(0, 1, 2, 127, null),
      signal: fc.oneof(
        { weight: 4, arbitrary: fc.constant(null) },
        fc.constantFrom<NodeJS.Signals>('SIGKILL', 'SIGTERM'),
      ),
    }),
  )
  .map((r): Input => {
    let json: string;
    try {
      json = JSON.stringify(r.envelope, null, r.indent) ?? 'undefined';
    } catch {
      json = String(r.envelope);
    }
    if (r.cut !== null) json = json.slice(0, r.cut % (json.length + 1));
    const body = Array<string>(r.copies).fill(json).join('\n');
    const text = r.random ?? [...r.before, body, ...r.after].join('\n');
    const printed = (r.bom ? '\uFEFF' : '') + text;
    return {
      kind: 'output',
      parser: r.parser,
      stdout: r.onStderr ? r.before.join('\n') : printed,
      stderr: r.onStderr ? printed : '',
      exitCode: r.exitCode,
      signal: r.signal,
    };
  });

const arbitrary: fc.Arbitrary<Input> = fc.oneof(
  { weight: 3, arbitrary: resultInput },
  { weight: 2, arbitrary: outputInput },
);

// ---- one run --------------------------------------------------------------------------------------------------

function leaks(text: string): string | null {
  return SECRETS.find((s) => text.includes(s)) ?? null;
}

/** What the import does with a parsed result: what can throw there must throw typed errors too. */
function useResult(p: Parser, result: unknown): void {
  switch (p) {
    case 'list': {
      const orgs = parseOrgList(result);
      const leaked = leaks(JSON.stringify(orgs));
      if (leaked) throw new UntypedError('a token from sf org list reached the org list');
      return;
    }
    case 'display': {
      const detail = parseOrgDisplay(result);
      if (detail.sfdxAuthUrl) parseSfdxAuthUrl(detail.sfdxAuthUrl);
      normalizeLoginHost(detail.instanceUrl);
      return;
    }
    case 'access':
      parseShowAccessToken(result);
      return;
    case 'authurl':
      parseSfdxAuthUrl(parseShowSfdxAuthUrl(result));
      return;
  }
}

const target: FuzzTarget<Input> = {
  name: 'sf CLI JSON',
  longRuns: 350_000,
  shortRuns: 3_000,
  arbitrary,
  size: (input) =>
    input.kind === 'output'
      ? Buffer.byteLength(input.stdout) + Buffer.byteLength(input.stderr)
      : Buffer.byteLength(fc.stringify(input.result)),
  async run(input) {
    let typed: AppError | null = null;
    await expectTyped(() => {
      try {
        const result =
          input.kind === 'result'
            ? input.result
            : interpret(
                COMMAND[input.parser],
                Buffer.from(input.stdout),
                Buffer.from(input.stderr),
                input.exitCode,
                input.signal,
              );
        useResult(input.parser, result);
      } catch (e) {
        if (e instanceof AppError) typed = e;
        throw e;
      }
    });
    // Everything sf prints may hold tokens: none may reach what the window shows.
    const error = typed as AppError | null;
    if (error) {
      const cause = error.cause instanceof Error ? error.cause.message : '';
      if (leaks(`${error.message} ${cause}`)) {
        throw new UntypedError(`a token printed by sf reached the ${error.code} error: ${error.message}`);
      }
    }
  },
};

export default target;
