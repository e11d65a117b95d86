import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../main/errors';
import { createRouter } from '../../main/ipc/router';
import type { Handlers } from '../../preload/contract';
import { argumentSchemas } from '../../main/ipc/schemas';
import { isTrustedSender } from '../../main/ipc/sender';
import { createApi } from '../../preload/api-factory';
import { ERROR_CODES, type ApiMethod } from '../../preload/contract';
import { testHandlers } from '../support/test-services';

describe('router', () => {
  it('validates arguments at run time and answers a typed error naming the field', async () => {
    const { handlers } = await testHandlers();
    const router = createRouter(handlers, argumentSchemas);
    for (const bad of [undefined, null, 42, 'token', {}, { token: 42 }, { token: 'x', extra: 1 }, [{ token: 'x' }]]) {
      const r = await router.dispatch('inspectToken', bad);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('ipc/bad_argument');
    }
    const r = await router.dispatch('inspectToken', { token: 42 });
    expect(!r.ok && r.error.message).toMatch(/inspectToken: invalid argument at "token"/);
    expect(await router.dispatch('getAppInfo', { sneaky: true })).toMatchObject({
      ok: false,
      error: { code: 'ipc/bad_argument' },
    });
  });

  it('refuses unknown channels, including prototype keys', async () => {
    const { handlers } = await testHandlers();
    const router = createRouter(handlers, argumentSchemas);
    for (const m of ['nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(await router.dispatch(m, undefined)).toMatchObject({ ok: false, error: { code: 'ipc/unknown_method' } });
    }
  });

  it('turns AppErrors into their code and hides the text of unexpected errors', async () => {
    const { handlers } = await testHandlers();
    const onError = vi.fn();
    const leaky: Handlers = {
      ...handlers,
      inspectToken: () => {
        throw new Error('secret 00Dxx!AQsecret leaked in a stack');
      },
      getAppInfo: () => {
        throw new AppError('vault/unavailable', 'The keychain is locked. Unlock it and try again.');
      },
    };
    const router = createRouter(leaky, argumentSchemas, onError);
    const r1 = await router.dispatch('inspectToken', { token: 'x' });
    expect(r1).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(r1)).not.toContain('secret');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(await router.dispatch('getAppInfo', undefined)).toEqual({
      ok: false,
      error: { code: 'vault/unavailable', message: 'The keychain is locked. Unlock it and try again.' },
    });
    expect(ERROR_CODES).toContain('internal');
  });

  it('serves exactly the methods of the contract', async () => {
    const { handlers } = await testHandlers();
    const router = createRouter(handlers, argumentSchemas);
    const api = createApi(async () => ({ ok: true, value: null }));
    expect([...router.methods].sort()).toEqual(Object.keys(api).sort());
    expect(
      Object.keys(handlers)
        .filter((k) => k !== 'close')
        .sort(),
    ).toEqual(Object.keys(api).sort());
  });
});

describe('preload factory', () => {
  it('sends each method to its own channel with its argument and returns the answer untouched', async () => {
    const seen: [ApiMethod, unknown][] = [];
    const api = createApi(async (method, arg) => {
      seen.push([method, arg]);
      return { ok: false, error: { code: 'internal', message: method } };
    });
    expect(await api.inspectToken({ token: 't' })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'inspectToken' },
    });
    await api.getAppInfo();
    expect(seen).toEqual([
      ['inspectToken', { token: 't' }],
      ['getAppInfo', undefined],
    ]);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('exposes only the named API object, never ipcRenderer', () => {
    const source = readFileSync('preload/index.ts', 'utf8');
    expect(source.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(source).toMatch(/exposeInMainWorld\(\s*'api',\s*createApi\(/);
    expect(source).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
    expect(source).not.toMatch(/ipcRenderer\.(send|on|sendSync)\b/);
  });
});

describe('sender check', () => {
  const app = 'app://renderer';
  const trusted = (url: string | null, isOurMainFrame = true, origin = app) =>
    isTrustedSender({ url, isOurMainFrame }, origin);

  it('accepts only our main frame on our one origin', () => {
    expect(trusted('app://renderer/index.html')).toBe(true);
    expect(trusted('app://renderer/index.html', false)).toBe(false);
    expect(trusted('app://other/index.html')).toBe(false);
    expect(trusted('app://renderer.evil/index.html')).toBe(false);
    expect(trusted('https://evil.example/')).toBe(false);
    expect(trusted(null)).toBe(false);
    expect(trusted('not a url')).toBe(false);
    expect(trusted('http://localhost:5173/', true, 'http://localhost:5173')).toBe(true);
    expect(trusted('http://localhost:5174/', true, 'http://localhost:5173')).toBe(false);
  });

  it('no longer trusts file: URLs, which could be any file on disk', () => {
    expect(trusted('file:///app/index.html')).toBe(false);
  });
});
