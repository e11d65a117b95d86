/** The asset token panel's state with a fake bridge: the device's defaults, one request at a time, cancel, copy. */
import { describe, expect, it } from 'vitest';
import type { Api, AssetDevice, AssetTokenResult } from '../../preload/contract';
import { AssetTokenState } from '../../renderer/state/asset-token.svelte';
import { deferred, fail, ok } from './support';

const RESULT = {
  hint: 'wxyz',
  refreshed: false,
  endpoint: 'https://acme.my.salesforce.com/services/oauth2/token',
  actor: { claims: '{}', alg: 'none' },
  signature: { result: 'valid', message: 'ok', jwksUrl: null, kid: 'k' },
  inspection: { kind: 'jws' },
} as unknown as AssetTokenResult;

function stateWith(reply: (device: AssetDevice) => ReturnType<Api['requestAssetToken']>) {
  const sent: AssetDevice[] = [];
  const cancelled: string[] = [];
  let reloads = 0;
  let copies = 0;
  const api: Pick<Api, 'requestAssetToken' | 'copyAssetToken' | 'cancelSignIn'> = {
    requestAssetToken: async ({ device }) => (sent.push(structuredClone(device)), reply(device)),
    copyAssetToken: async () => (copies++, copies === 1 ? ok(null) : fail('token/unsupported', 'Request one first.')),
    cancelSignIn: async ({ flowId }) => (cancelled.push(flowId), ok(null)),
  };
  const state = new AssetTokenState(api, 'org-1', async () => void reloads++);
  return { state, sent, cancelled, reloads: () => reloads };
}

describe('AssetTokenState', () => {
  it('starts with a fresh device ID and a signed actor token, and a new device gets another ID', () => {
    const { state } = stateWith(async () => ok(RESULT));
    const first = state.device.deviceId;
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(state.device).toMatchObject({ tokenName: 'Test device', sign: true, accountId: '' });
    state.reset();
    expect(state.device.deviceId).not.toBe(first);
  });

  it('sends the device once at a time, keeps the answer, and reloads the org list only after a renewal', async () => {
    const gate = deferred<Awaited<ReturnType<Api['requestAssetToken']>>>();
    const { state, sent, reloads } = stateWith(() => gate.promise);
    state.device.serialNumber = 'SN-1';
    const first = state.request();
    expect(state.running).toBe(true);
    await state.request();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.serialNumber).toBe('SN-1');
    gate.resolve(ok({ ...RESULT, refreshed: true }));
    await first;
    expect(state.running).toBe(false);
    expect(state.result?.hint).toBe('wxyz');
    expect(reloads()).toBe(1);
  });

  it('keeps an error to show, says when it was cancelled, and cancels by the flow it started', async () => {
    const gate = deferred<Awaited<ReturnType<Api['requestAssetToken']>>>();
    const { state, cancelled, reloads } = stateWith(() => gate.promise);
    const running = state.request();
    await state.cancel();
    expect(cancelled).toHaveLength(1);
    gate.resolve(fail('oauth/cancelled', 'Cancelled.'));
    await running;
    expect(state.cancelled).toBe(true);
    expect(state.error).toBeNull();

    const refused = stateWith(async () => fail('sf/session_expired', 'expired'));
    await refused.state.request();
    expect(refused.state.error?.code).toBe('sf/session_expired');
    expect(refused.reloads()).toBe(1);
    expect(reloads()).toBe(0);
  });

  it('says what Copy did: copied with the last characters, or why not', async () => {
    const { state } = stateWith(async () => ok(RESULT));
    await state.request();
    await state.copy();
    expect(state.copied).toBe('Copied the asset token (…wxyz).');
    await state.copy();
    expect(state.copied).toBe('Request one first.');
  });
});
