/**
 * The loopback redirect listener (main/oauth/loopback-listener.ts) against whatever a local process can
 * send while a sign-in waits: raw request lines, absolute-form and odd targets, percent-encodings, huge,
 * duplicate and hidden Host headers, random bytes, each written on its own TCP connection to one listener
 * on 127.0.0.1, port 0. A run passes when the listener answers with a 4xx (or closes the connection), a
 * request our handler answers gets the status the rules give it, the wait for the real callback goes on, and
 * no exception reaches the process. The pass ends with the real callback, which must still be accepted.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import { startLoopbackListener, type LoopbackListener } from '../../../main/oauth/loopback-listener';
import { UntypedError, type FuzzTarget } from '../target';

/** Placeholders in generated text for the listener's `Host` (127.0.0.1:<port>) and port, known at setup. */
const HOST = '@@HOST@@';
const PORT = '@@PORT@@';

/** A request line and headers, built from parts so that the rules of the listener can be checked. */
interface RequestInput {
  kind: 'request';
  method: string;
  target: string;
  version: string;
  /** `Host` header lines as sent, in order: [name as spelt, value]. */
  hosts: [string, string][];
  /** Other header lines, before the Host lines. */
  headers: [string, string][];
  /** Filler header lines before the last Host, to push it past node:http's header count limit. */
  filler: number;
  eol: string;
  body: string;
}

/** Random bytes, after a lead that takes the parser some way into a request. */
interface BytesInput {
  kind: 'bytes';
  lead: string;
  bytes: Uint8Array;
}

type Input = RequestInput | BytesInput;

// ---- generators ---------------------------------------------------------------------------------------

/** Mostly characters a parser lets through in a target, sometimes one it should not (space, quote, é, …). */
const urlChar = fc.oneof(
  { weight: 100, arbitrary: fc.constantFrom(..."abcxyzABCXYZ0189-._~!$&'()*+,;=:@/?%".split('')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...'#[]{}|\\^`"<> \t\u00e9\u00ff\u2028'.split(''), '\ud83d\ude00', '\u0000', '\u007f'),
  },
);
const urlish = (maxLength: number) => fc.string({ unit: urlChar, maxLength });

/** Percent-encodings, good and broken: every byte, overlong and truncated UTF-8, "%" alone, "%zz". */
const percent = fc.oneof(
  fc.uint8Array({ maxLength: 12 }).map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')),
  fc.constantFrom('%', '%z', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%00', '%FF%FE', '%25', '%2525', '%%', '%u0041'),
  fc.uint8Array({ maxLength: 12 }).map((b) => encodeURIComponent(Buffer.from(b).toString('latin1'))),
);

const decoyState = fc.oneof(
  fc.constant('S'.repeat(43)),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64url')),
  urlish(50),
  percent,
  fc.constant(''),
);

const paramValue = fc.oneof(urlish(20), percent, fc.constantFrom('', 'access_denied', 'http://127.0.0.1:1/evil'));
const param = fc.oneof(
  fc.tuple(fc.constant('state'), decoyState),
  fc.tuple(fc.constantFrom('code', 'error', 'error_description', 'iss', 'State', 'code[]', 'st%61te', ''), paramValue),
  fc.tuple(urlish(8), paramValue),
);
const query = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc
      .array(param, { maxLength: 6 })
      .map((ps) => `?${ps.map(([k, v]) => (v === '' && k.length % 2 ? k : `${k}=${v}`)).join('&')}`),
  },
  { weight: 1, arbitrary: fc.tuple(urlish(30), percent).map(([a, b]) => `?${a}${b}`) },
);

const path = fc.oneof(
  fc.constantFrom(
    '/OauthRedirect',
    '/done',
    '/done-page',
    '/',
    '/favicon.ico',
    '/OauthRedirect/',
    '/oauthredirect',
    '//evil.example/OauthRedirect',
    `//${HOST}/OauthRedirect`,
    '/%4FauthRedirect',
    '/OauthRedirect%2F',
    '/./OauthRedirect',
    '/../OauthRedirect',
    '/x/../OauthRedirect',
    '/OauthRedirect;x',
    '/\\evil.example/OauthRedirect',
    '/OauthRedirect#frag',
  ),
  fc.webPath().map((p) => `/${p.replace(/^\/+/, '')}`),
  fc.tuple(urlish(20), percent).map(([a, b]) => `/${a}${b}`),
);

const authority = fc.oneof(
  fc.constantFrom(
    HOST,
    `localhost:${PORT}`,
    'a:99999',
    'a:-1',
    '[',
    '[::1',
    `[::1]:${PORT}`,
    '%zz',
    `user:pw@${HOST}`,
    `${HOST}@evil.example`,
    '',
    '0x7f.1',
    '999.999.999.999',
    'xn--',
    'evil.example',
  ),
  urlish(15),
);

const requestTarget = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(path, query).map(([p, q]) => p + q) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('http', 'https', 'HTTP', 'ftp', 'file', 'javascript', 'x'), authority, path, query)
      .map(([s, a, p, q]) => `${s}://${a}${p}${q}`),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('http:', 'http:/', 'http:\\\\', 'blob:', 'data:'), path).map(([a, b]) => a + b),
  },
  { weight: 1, arbitrary: fc.constantFrom('*', HOST, '127.0.0.1:1717', '', '?code=x', 'OauthRedirect', '/*') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

const method = fc.oneof(
  { weight: 12, arbitrary: fc.constant('GET') },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'OPTIONS',
      'POST',
      'HEAD',
      'PUT',
      'DELETE',
      'PATCH',
      'TRACE',
      'SEARCH',
      'PROPFIND',
      'M-SEARCH',
      'QUERY',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('CONNECT', 'PRI', 'get', 'GET ', '') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 8 }) },
);

const version = fc.oneof(
  { weight: 16, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 1, arbitrary: fc.constant('HTTP/1.0') },
  { weight: 1, arbitrary: fc.constantFrom('HTTP/0.9', 'HTTP/2.0', 'HTTP/1.2', 'http/1.1', 'HTTP/11', 'HTTP/1.1 ', '') },
);

/** Host values: ours (with OWS the parser strips), near misses of ours, and anything. */
const hostValue = fc.oneof(
  { weight: 5, arbitrary: fc.constant(HOST) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      ` ${HOST}`,
      `${HOST}  `,
      `\t${HOST}`,
      `localhost:${PORT}`,
      '127.0.0.1',
      `127.0.0.1:${PORT}.`,
      `127.0.0.1.:${PORT}`,
      `127.1:${PORT}`,
      `[::1]:${PORT}`,
      `0x7f.0.0.1:${PORT}`,
      `${HOST}, evil.example`,
      `${HOST}/`,
      `${HOST}:${PORT}`,
      `user@${HOST}`,
      'evil.example',
      '',
      `${HOST}\u00e9`,
    ),
  },
  { weight: 1, arbitrary: urlish(20) },
);
const hostName = fc.constantFrom('Host', 'host', 'HOST', 'hOsT');
const hosts = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.tuple(hostName, hostValue), { minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.array(fc.tuple(hostName, hostValue), { minLength: 2, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant([] as [string, string][]) },
);

const headerName = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom(
      'Content-Length',
      'Transfer-Encoding',
      'Connection',
      'Upgrade',
      'Expect',
      'Origin',
      'Referer',
      'Cookie',
      'Access-Control-Request-Method',
      'Access-Control-Request-Private-Network',
      'X-Forwarded-Host',
      'Forwarded',
      'X-Host',
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom(':authority', 'Host ', ' Host', 'Ho st', '') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 12 }) },
);
const headerValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '5', '-1', '1e3', 'chunked', 'chunked, gzip', 'gzip', 'close') },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'keep-alive',
      'Upgrade',
      'websocket',
      'h2c',
      '100-continue',
      'something-else',
      'https://evil.example',
      'null',
      'true',
      `host=${HOST}`,
    ),
  },
  { weight: 4, arbitrary: urlish(30) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  // Huge: around node:http's 16 KiB header limit and past it.
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 24_000 }).map((n) => 'x'.repeat(n)) },
);

const requestInput: fc.Arbitrary<RequestInput> = fc.record({
  kind: fc.constant('request' as const),
  method,
  target: requestTarget,
  version,
  hosts,
  headers: fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as [string, string][]) },
    { weight: 2, arbitrary: fc.array(fc.tuple(headerName, headerValue), { minLength: 1, maxLength: 4 }) },
  ),
  filler: fc.oneof(
    { weight: 9, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 2100 }) },
  ),
  eol: fc.oneof({ weight: 19, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\n', '\r') }),
  body: fc.oneof({ weight: 9, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }),
});

const bytesInput: fc.Arbitrary<BytesInput> = fc.record({
  kind: fc.constant('bytes' as const),
  lead: fc.constantFrom(
    '',
    'GET ',
    'OPTIONS ',
    'GET /OauthRedirect?state=',
    'GET /OauthRedirect HTTP/1.1\r\n',
    `GET /OauthRedirect HTTP/1.1\r\nHost: ${HOST}\r\n`,
    `GET http://${HOST}/`,
  ),
  bytes: fc.uint8Array({ maxLength: 200 }),
});

const arbitrary: fc.Arbitrary<Input> = fc.oneof(
  { weight: 5, arbitrary: requestInput },
  { weight: 1, arbitrary: bytesInput },
);

// ---- rendering and the exchange ----------------------------------------------------------------------

function render(input: Input, host: string, port: string): Buffer {
  const fill = (s: string) => s.replaceAll(HOST, host).replaceAll(PORT, port);
  if (input.kind === 'bytes') return Buffer.concat([Buffer.from(fill(input.lead), 'utf8'), input.bytes]);
  const { eol } = input;
  const line = (name: string, value: string) => `${name}:${value === '' ? '' : ' '}${fill(value)}${eol}`;
  const hostLines = input.hosts.map(([n, v]) => line(n, v));
  // The filler goes before the last Host line, so that a duplicate sits past the count limit.
  const filler = 'a:b' + eol;
  const head =
    `${input.method} ${fill(input.target)} ${input.version}${eol}` +
    input.headers.map(([n, v]) => line(n, v)).join('') +
    hostLines.slice(0, -1).join('') +
    filler.repeat(input.filler) +
    hostLines.slice(-1).join('') +
    eol;
  return Buffer.from(head + input.body, 'utf8');
}

interface Answer {
  /** The final (non-1xx) status, or null when the connection closed without one. */
  status: number | null;
  headers: Map<string, string[]>;
  connected: boolean;
  timedOut: boolean;
}

const ANSWER_TIMEOUT_MS = 5000;

/** Writes the bytes on a fresh connection, half-closes it, and reads until the listener closes it. */
function exchange(port: number, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    const chunks: Buffer[] = [];
    let connected = false;
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), socket.destroy()), ANSWER_TIMEOUT_MS);
    socket.once('connect', () => (connected = true));
    socket.on('data', (c: Buffer) => chunks.push(c));
    // EPIPE / ECONNRESET: the listener dropped the connection while we wrote, which is an allowed outcome.
    socket.on('error', () => undefined);
    socket.on('end', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ ...parseAnswer(Buffer.concat(chunks).toString('latin1')), connected, timedOut });
    });
    socket.end(bytes);
  });
}

function parseAnswer(text: string): Pick<Answer, 'status' | 'headers'> {
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    const head = end === -1 ? rest : rest.slice(0, end);
    const status = /^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1];
    if (!status) return { status: null, headers: new Map() };
    // Interim answers (100 Continue for "Expect: 100-continue") come before the real one.
    if (status.startsWith('1') && end !== -1) {
      rest = rest.slice(end + 4);
      continue;
    }
    const headers = new Map<string, string[]>();
    for (const l of head.split('\r\n').slice(1)) {
      const i = l.indexOf(':');
      const name = l.slice(0, i).trim().toLowerCase();
      headers.set(name, [...(headers.get(name) ?? []), l.slice(i + 1).trim()]);
    }
    return { status: Number(status), headers };
  }
}

/** What our own handler must answer a request built from parts, or null when any 4xx will do. */
function expectedByRules(input: RequestInput, host: string, port: string): number | null {
  const fill = (s: string) => s.replaceAll(HOST, host).replaceAll(PORT, port);
  if (!fill(input.target).startsWith('/')) return 400;
  if (input.hosts.length !== 1) return 400;
  // The parser strips spaces and tabs around a header value.
  if (fill(input.hosts[0]![1]).replace(/^[ \t]+|[ \t]+$/g, '') !== host) return 421;
  if (input.method === 'OPTIONS') return 204;
  return null;
}

// ---- the target ----------------------------------------------------------------------------------------

interface Running {
  listener: LoopbackListener;
  state: string;
  host: string;
  port: string;
  settled: boolean;
}

let running: Running | null = null;
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => void uncaught.push(e);

const describeError = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

async function startListener(): Promise<Running> {
  // A state no generator can produce: no fuzz input can be the real callback.
  const state = randomBytes(32).toString('base64url');
  const listener = await startLoopbackListener({
    redirectUri: 'http://127.0.0.1/OauthRedirect',
    expectedState: state,
    timeoutMs: 24 * 60 * 60_000,
  });
  const url = new URL(listener.redirectUri);
  const r: Running = { listener, state, host: url.host, port: url.port, settled: false };
  listener.waitForCallback().then(
    () => (r.settled = true),
    () => (r.settled = true),
  );
  return r;
}

const target: FuzzTarget<Input> = {
  name: 'loopback listener (raw HTTP)',
  longRuns: 200_000,
  shortRuns: 1000,
  arbitrary,

  async setup() {
    uncaught.length = 0;
    process.on('uncaughtException', onUncaught);
    running = await startListener();
  },

  async teardown() {
    const r = running;
    running = null;
    try {
      if (!r || r.settled) return;
      // The wait survived every input: the real callback is still accepted.
      const answer = await exchange(
        Number(r.port),
        Buffer.from(`GET /OauthRedirect?code=fuzz-final&state=${r.state} HTTP/1.1\r\nHost: ${r.host}\r\n\r\n`),
      );
      if (answer.status !== 303) throw new UntypedError(`the real callback got ${answer.status} after the pass`);
      const code = (await r.listener.waitForCallback()).get('code');
      if (code !== 'fuzz-final') throw new UntypedError(`the real callback gave the code ${code}`);
    } finally {
      r?.listener.close();
      process.off('uncaughtException', onUncaught);
    }
  },

  async run(input) {
    // After an input that ended the wait (a failure), the next ones (fast-check shrinking it) get a fresh
    // listener, so that each is judged on its own.
    if (!running || running.settled) {
      running?.listener.close();
      running = await startListener();
    }
    const { host, port } = running;
    const bytes = render(input, host, port);
    const answer = await exchange(Number(port), bytes);
    const escaped = uncaught.splice(0);
    if (escaped.length > 0) {
      throw new UntypedError(`an exception reached the process: ${escaped.map(describeError).join('; ')}`);
    }
    if (!answer.connected) throw new UntypedError('the listener no longer accepts connections');
    if (answer.timedOut) {
      throw new UntypedError(`the listener neither answered nor closed the connection in ${ANSWER_TIMEOUT_MS} ms`);
    }
    // Let the callback promise's handlers run before looking.
    await Promise.resolve();
    if (running.settled) throw new UntypedError('a request that is not the real callback ended the wait');
    const { status, headers } = answer;
    if (status === null) return; // Closed without an answer (CONNECT, a dropped connection): allowed.
    const options =
      input.kind === 'request' ? input.method === 'OPTIONS' : /^[\r\n]*OPTIONS /.test(bytes.toString('latin1'));
    if (status === 204 && options) {
      const allowed = [...headers.keys()].filter((k) => k.startsWith('access-control-'));
      if (allowed.length > 0) throw new UntypedError(`the preflight answer allows something: ${allowed.join(', ')}`);
    } else if (status < 400 || status > 499) {
      throw new UntypedError(`a bad request got ${status}`);
    }
    // Our own answers (node:http's own 400/417/431 carry no Cache-Control) must follow the listener's rules.
    if (input.kind === 'request' && headers.get('cache-control')?.includes('no-store')) {
      const expected = expectedByRules(input, host, port);
      if (expected !== null && status !== expected) throw new UntypedError(`expected ${expected}, got ${status}`);
      if (expected === null && (status === 421 || status === 204)) {
        throw new UntypedError(`a request with one correct Host and a path got ${status}`);
      }
    }
  },
};

export default target;
