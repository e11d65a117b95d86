/**
 * The built app in real Electron: its one window loads the renderer from the privileged app:// scheme, the page
 * sees `window.api` and no Node, a token round-trips through the bridge, and the storage backend is reported.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApi } from '../../preload/api-factory';
import type { StorageBackend } from '../../preload/contract';
import { salesforceJwtAccessToken } from '../support/tokens';
import { callApi, describeElectron, launchApp, valueOf, type LaunchedApp } from './launch';

/** Every method of the contract, as the real preload factory builds `window.api`. */
const BRIDGE_METHODS = Object.keys(createApi(async () => ({ ok: true, value: null }))).sort();

/** The contract's StorageBackend values; a value added there fails to compile here until it is listed. */
const BACKENDS = Object.keys({
  'os-keychain': true,
  'basic-text': true,
  'test-aes-gcm': true,
  unavailable: true,
} satisfies Record<StorageBackend, true>);

describeElectron('the built app in Electron', () => {
  let app: LaunchedApp;

  beforeAll(async () => {
    app = await launchApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('opens one window that loads the renderer from app://renderer/', async () => {
    expect(app.page.url()).toMatch(/^app:\/\/renderer\//);
    await app.page.getByRole('button', { name: 'Add your first org' }).waitFor();
    await expect
      .poll(() =>
        app.electronApp.evaluate(({ BrowserWindow }) =>
          BrowserWindow.getAllWindows().map((w) => ({ url: w.webContents.getURL(), visible: w.isVisible() })),
        ),
      )
      .toEqual([{ url: app.page.url(), visible: true }]);
    expect(app.problems).toEqual([]);
  });

  it('gives the page window.api and no Node: window.require and process are undefined', async () => {
    const seen = await app.page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const api = w['api'] as Record<string, unknown> | undefined;
      return {
        api: typeof api,
        methods: api ? Object.keys(api).filter((k) => typeof api[k] === 'function') : [],
        require: typeof w['require'],
        process: typeof w['process'],
        module: typeof w['module'],
        Buffer: typeof w['Buffer'],
      };
    });
    expect({ ...seen, methods: [...seen.methods].sort() }).toEqual({
      api: 'object',
      methods: BRIDGE_METHODS,
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
    });
  });

  it('inspects a JWT through window.api.inspectToken, and returns a bad token as an error Result', async () => {
    const token = await salesforceJwtAccessToken();
    const [header, payload, signature] = token.split('.');
    const inspection = valueOf(await callApi(app.page, 'inspectToken', { token }));
    expect(inspection).toMatchObject({
      kind: 'jws',
      alg: 'RS256',
      label: 'Salesforce JWT access token',
      parts: { header, payload, signature },
    });
    if (inspection.kind !== 'jws') throw new Error('not a JWS');
    expect(JSON.parse(inspection.payloadJson)).toMatchObject({
      client_id: '3MVG9test.consumer.key',
      scp: ['api', 'refresh_token', 'openid'],
    });
    expect(inspection.payload.map((row) => row.name)).toEqual(expect.arrayContaining(['exp', 'iat', 'scp']));

    expect(await callApi(app.page, 'inspectToken', { token: '' })).toEqual({
      ok: false,
      error: { code: 'token/empty', message: expect.any(String) },
    });
  });

  it('reports the safeStorage backend that keeps the secrets', async () => {
    const { storage } = valueOf(await callApi(app.page, 'getAppInfo', undefined));
    expect(BACKENDS).toContain(storage.backend);
    // The AES-GCM cipher is the tests' stand-in for safeStorage; the real app never uses it.
    expect(storage.backend).not.toBe('test-aes-gcm');
    expect(typeof storage.persistent).toBe('boolean');
    console.log(`safeStorage backend: ${storage.backend} (persistent: ${storage.persistent})`);
  });
});
