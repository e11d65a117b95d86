/** The API console's and "Copy as" state with a fake bridge: one request at a time, cancel, versions, feedback. */
import { describe, expect, it } from 'vitest';
import type { Api } from '../../preload/contract';
import type { ApiConsoleRequest, ApiConsoleResult } from '../../preload/contract-tools';
import { ApiConsoleState, CopyAsState, SOQL_EXAMPLE } from '../../renderer/state/api-console.svelte';
import { Notices } from '../../renderer/state/notices.svelte';
import { deferred, fail, ok } from './support';

const INSTANCE = 'https://acme.my.salesforce.com';

function answer(url: string, body: unknown, status = 200): ApiConsoleResult {
  return {
    url: `${INSTANCE}${url}`,
    status,
    statusText: status === 200 ? 'OK' : 'Unauthorized',
    durationMs: 5,
    headers: [],
    limitInfo: { used: 3, max: 15000 },
    contentType: 'application/json',
    body: JSON.stringify(body, null, 2),
    json: true,
    bodyTruncated: false,
    explanation: null,
  };
}

const VERSIONS = ['60.0', '62.0', '61.0'].map((version) => ({ version }));

/** A console over a bridge that answers each request as `reply` says, recording what was sent. */
function consoleWith(reply: (r: ApiConsoleRequest) => ReturnType<Api['runApiRequest']>) {
  const sent: ApiConsoleRequest[] = [];
  const cancelled: string[] = [];
  let reloads = 0;
  const api: Pick<Api, 'runApiRequest' | 'cancelSignIn'> = {
    runApiRequest: async ({ request }) => (sent.push(request), reply(request)),
    cancelSignIn: async ({ flowId }) => (cancelled.push(flowId), ok(null)),
  };
  const state = new ApiConsoleState(api, 'a', async () => void reloads++);
  return { state, sent, cancelled, reloads: () => reloads };
}

describe('ApiConsoleState', () => {
  it('starts at the version list with the example query, and runs the path or the query', async () => {
    const { state, sent, reloads } = consoleWith(async (r) =>
      ok(r.kind === 'rest' ? answer('/services/data/', VERSIONS) : answer('/services/data/v62.0/query?q=x', {})),
    );
    expect([state.path, state.query]).toEqual(['/services/data/', SOQL_EXAMPLE]);
    await state.runPath();
    state.query = 'SELECT Id FROM User';
    await state.runQuery();
    expect(sent).toEqual([
      { kind: 'rest', path: '/services/data/' },
      { kind: 'soql', query: 'SELECT Id FROM User' },
    ]);
    expect(state.result?.url).toContain('/query');
    // Each answer may have renewed the token or recorded a refusal: the org list is read again.
    expect(reloads()).toBe(2);
  });

  it('asks for the version list before a suggestion that needs the newest version, and only once', async () => {
    const { state, sent } = consoleWith(async (r) =>
      ok(r.kind === 'rest' && r.path === '/services/data/' ? answer(r.path, VERSIONS) : answer('/x', {})),
    );
    await state.suggest('limits');
    expect(state.path).toBe('/services/data/v62.0/limits');
    await state.suggest('sobjects');
    expect(sent.map((r) => (r.kind === 'rest' ? r.path : r.query))).toEqual([
      '/services/data/',
      '/services/data/v62.0/limits',
      '/services/data/v62.0/sobjects/',
    ]);
  });

  it('runs one request at a time, and Cancel cancels the running one by its flow id', async () => {
    const pending = deferred<Awaited<ReturnType<Api['runApiRequest']>>>();
    const { state, sent, cancelled } = consoleWith(() => pending.promise);
    const run = state.runPath();
    expect(state.running).toEqual({ kind: 'rest', path: '/services/data/' });
    await state.runQuery();
    expect(sent).toHaveLength(1);
    await state.cancel();
    expect(cancelled).toHaveLength(1);
    pending.resolve(fail('oauth/cancelled', 'Cancelled.'));
    await run;
    expect([state.running, state.cancelled, state.error, state.result]).toEqual([null, true, null, null]);
  });

  it('keeps an error without an answer to show, and offers the next page of a query', async () => {
    const { state } = consoleWith(async (r) =>
      r.kind === 'rest' && r.path.includes('..')
        ? fail('ipc/bad_argument', 'The path may not hold "." or ".." segments.')
        : ok(
            answer('/services/data/v62.0/query', { done: false, nextRecordsUrl: '/services/data/v62.0/query/01g-200' }),
          ),
    );
    state.path = '/services/data/../x';
    await state.runPath();
    expect(state.error).toMatchObject({ code: 'ipc/bad_argument' });
    await state.runQuery();
    expect(state.error).toBeNull();
    expect(state.nextPage).toBe('/services/data/v62.0/query/01g-200');
  });
});

describe('CopyAsState', () => {
  it('keeps the preview for its org, and shows a refusal as a notice', async () => {
    const notices = new Notices();
    let reloads = 0;
    const state = new CopyAsState(
      {
        copyTokenAs: async ({ format }) =>
          format === 'curl'
            ? ok({ format, preview: "curl -H 'Authorization: Bearer …abcd' 'https://x/services/data/v62.0/'" })
            : fail('token/revoked', 'The access token was revoked in this app at 18:44, so it was not copied.'),
      },
      notices,
      async () => void reloads++,
    );
    await state.copy('a', 'curl');
    expect(state.copiedFor('a')).toMatchObject({ format: 'curl', preview: expect.stringContaining('…abcd') });
    expect(state.copiedFor('b')).toBeNull();
    await state.copy('a', 'env-posix');
    expect(state.copiedFor('a')).toBeNull();
    expect(notices.current).toMatchObject({ kind: 'error', code: 'token/revoked' });
    expect(reloads).toBe(1);
  });
});
