/** The "Check signature" state of a pasted token, with a fake bridge. */
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Api, KeySource, Result, SignatureCheck, VerifyKey } from '../../preload/contract';
import { modesFor, VerifyState } from '../../renderer/state/verify.svelte';
import { deferred, fail, ok } from './support';

const SOURCE: KeySource = {
  issuer: 'https://acme.my.salesforce.com',
  url: 'https://acme.my.salesforce.com/id/keys',
  via: 'salesforce-keys',
};
const valid: SignatureCheck = {
  result: 'valid',
  message: 'It was made by key "k1" (an RSA key (2048 bits)) from the issuer\'s keys at …',
  jwksUrl: SOURCE.url,
  kid: 'k1',
  checkedWith: "the issuer's keys at https://acme.my.salesforce.com/id/keys",
};

function recording(answer: (key: VerifyKey) => Promise<Result<SignatureCheck>>) {
  const sent: { token: string; key: VerifyKey; flowId?: string | undefined }[] = [];
  const cancelled: string[] = [];
  const api = {
    verifyPastedToken: (input: { token: string; key: VerifyKey; flowId?: string | undefined }) => {
      sent.push(input);
      return answer(input.key);
    },
    cancelSignIn: async ({ flowId }: { flowId: string }) => {
      cancelled.push(flowId);
      return { ok: true as const, value: null };
    },
  } as Pick<Api, 'verifyPastedToken' | 'cancelSignIn'>;
  return { api, sent, cancelled };
}

describe('modesFor', () => {
  it('offers only a secret for HMAC tokens, the issuer keys when there are some, nothing when unsigned', () => {
    expect(modesFor({ alg: 'HS256', keySource: SOURCE })).toEqual(['secret']);
    expect(modesFor({ alg: 'RS256', keySource: SOURCE })).toEqual(['issuer', 'key']);
    expect(modesFor({ alg: 'ES256', keySource: null })).toEqual(['key']);
    expect(modesFor({ alg: 'none', keySource: SOURCE })).toEqual([]);
    expect(modesFor({ alg: null, keySource: null })).toEqual([]);
  });
});

describe('VerifyState', () => {
  it('fetches the URL the inspection showed, says so while it waits, and names the key that signed it', async () => {
    const answer = deferred<Result<SignatureCheck>>();
    const { api, sent } = recording(() => answer.promise);
    const state = new VerifyState(api);
    state.reset('t1', ['issuer', 'key']);
    expect(state.mode).toBe('issuer');
    const running = state.check('t1', { keySource: SOURCE });
    flushSync();
    expect(state.pending).toBe('Fetching https://acme.my.salesforce.com/id/keys… (each request gives up after 30 s)');
    expect(state.canCheck).toBe(false);
    answer.resolve(ok(valid));
    await running;
    flushSync();
    expect(sent).toEqual([{ token: 't1', key: { kind: 'issuer', url: SOURCE.url }, flowId: expect.any(String) }]);
    expect(state.pending).toBeNull();
    expect(state.verdict).toEqual({ tone: 'success', title: 'Signature valid', message: valid.message, kid: 'k1' });
  });

  it('gives every outcome its own title and tone', async () => {
    const cases: [Result<SignatureCheck>, string, string][] = [
      [ok({ ...valid, result: 'bad-signature' }), 'danger', 'Bad signature'],
      [ok({ ...valid, result: 'unknown-key' }), 'danger', 'No matching key'],
      [ok({ ...valid, result: 'expired' }), 'warning', 'Valid signature, expired token'],
      [ok({ ...valid, result: 'not-yet-valid' }), 'warning', 'Valid signature, not valid yet'],
      [ok({ ...valid, result: 'not-a-jwt' }), 'info', 'Nothing to check'],
      [ok({ ...valid, result: 'error' }), 'warning', 'Not confirmed'],
      [fail('key/invalid', 'not a key'), 'danger', 'Cannot use this key'],
      [fail('oauth/network', 'unreachable'), 'danger', 'Could not reach the issuer'],
      [fail('oauth/bad_response', 'HTML'), 'danger', "Could not get the issuer's keys"],
      [fail('ipc/bad_argument', 'other URL'), 'danger', 'Could not check'],
    ];
    for (const [answer, tone, title] of cases) {
      const state = new VerifyState(recording(async () => answer).api);
      state.reset('t', ['key']);
      state.keyText = '-----BEGIN PUBLIC KEY-----';
      await state.check('t', { keySource: null });
      expect(state.verdict, title).toMatchObject({ tone, title });
    }
  });

  it('sends a pasted key or a secret with its encoding, and only when there is one', async () => {
    const { api, sent } = recording(async () => ok(valid));
    const state = new VerifyState(api);
    state.reset('t', ['key']);
    expect(state.canCheck).toBe(false);
    await state.check('t', { keySource: null });
    expect(sent).toEqual([]);
    state.keyText = '{"kty":"EC","crv":"P-256","x":"a","y":"b"}';
    await state.check('t', { keySource: null });
    state.reset('hs', ['secret']);
    state.secret = 'c2VjcmV0';
    state.encoding = 'base64';
    await state.check('hs', { keySource: null });
    expect(sent.map((s) => s.key)).toEqual([
      { kind: 'key', text: '{"kty":"EC","crv":"P-256","x":"a","y":"b"}' },
      { kind: 'secret', secret: 'c2VjcmV0', encoding: 'base64' },
    ]);
  });

  it('refuses a private key before it leaves the window, and clears it', async () => {
    const { api, sent } = recording(async () => ok(valid));
    const state = new VerifyState(api);
    state.reset('t', ['issuer', 'key']);
    state.mode = 'key';
    for (const text of ['-----BEGIN PRIVATE KEY-----\nMIIE…', '{"kty":"RSA","n":"x","e":"AQAB","d":"secret"}']) {
      state.keyText = text;
      await state.check('t', { keySource: SOURCE });
      expect(state.keyText).toBe('');
      expect(state.verdict).toMatchObject({
        title: 'Cannot use this key',
        message: expect.stringMatching(/private key/),
      });
    }
    expect(sent).toEqual([]);
  });

  it('clears keys, secrets and answers when the token changes, not when it is inspected again', async () => {
    const state = new VerifyState(recording(async () => ok(valid)).api);
    state.reset('a', ['secret']);
    state.secret = 'shh';
    state.showSecret = true;
    await state.check('a', { keySource: null });
    state.reset('a', ['secret']);
    expect([state.secret, state.verdict?.title]).toEqual(['shh', 'Signature valid']);
    state.reset('b', ['issuer', 'key']);
    expect([state.mode, state.secret, state.keyText, state.showSecret, state.verdict]).toEqual([
      'issuer',
      '',
      '',
      false,
      null,
    ]);
  });

  it('cancels in main on Cancel and ignores the late answer; a new token drops a running check', async () => {
    const answer = deferred<Result<SignatureCheck>>();
    const rec = recording(() => answer.promise);
    const state = new VerifyState(rec.api);
    state.reset('t', ['issuer', 'key']);
    const running = state.check('t', { keySource: SOURCE });
    state.cancel();
    expect(rec.cancelled).toEqual([rec.sent[0]!.flowId]);
    expect(state.pending).toBeNull();
    expect(state.verdict).toMatchObject({
      title: 'Stopped waiting',
      message: expect.stringMatching(/request to the issuer stopped/),
    });
    answer.resolve(ok(valid));
    await running;
    expect(state.verdict?.title).toBe('Stopped waiting');

    const second = deferred<Result<SignatureCheck>>();
    const other = new VerifyState(recording(() => second.promise).api);
    other.reset('t', ['issuer', 'key']);
    const late = other.check('t', { keySource: SOURCE });
    other.reset('u', ['key']);
    second.resolve(ok(valid));
    await late;
    expect([other.pending, other.verdict]).toEqual([null, null]);
  });
});
