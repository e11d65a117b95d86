/**
 * Quitting while a web-server sign-in waits for the browser closes the loopback listener: the app closes it
 * itself on the way out (checked from inside main, before the process is gone), and afterwards nothing
 * listens on the callback port.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../servers/browser-login';
import { DEFAULT_CLIENT_ID, startSalesforceDouble, type SalesforceDouble } from '../servers/salesforce-double';
import { callApi, describeElectron, launchApp, tcpProbe, valueOf, type LaunchedApp } from './launch';

describeElectron('quit while a sign-in waits', () => {
  let double: SalesforceDouble;
  let app: LaunchedApp;
  let callbackUrl: string;

  beforeAll(async () => {
    callbackUrl = `http://localhost:${await freePort()}/OauthRedirect`;
    double = await startSalesforceDouble({ apps: [{ clientId: DEFAULT_CLIENT_ID, callbackUrls: [callbackUrl] }] });
    app = await launchApp();
  });
  afterAll(async () => {
    await app?.close();
    await double?.close();
  });

  it('closes the loopback listener when the app quits', async () => {
    const page = app.page;
    const profile = valueOf(
      await callApi(page, 'saveAppProfile', {
        name: 'Smoke test app',
        kind: 'external-client-app',
        consumerKey: DEFAULT_CLIENT_ID,
        callbackUrl,
        scopes: ['api', 'refresh_token'],
      }),
    );
    const started = valueOf(
      await callApi(page, 'beginSignIn', {
        profileId: profile.id,
        loginHost: double.loginUrl,
        method: 'authorization_code',
      }),
    );
    if (started.method !== 'authorization_code') throw new Error(`expected a web-server flow, got ${started.method}`);
    const port = Number(new URL(started.redirectUri).port);
    expect(`http://localhost:${port}/OauthRedirect`).toBe(callbackUrl);
    // The renderer waits for the browser, as the add-org screen does; this call never settles before the quit.
    await page.evaluate((flowId) => {
      const api = (window as unknown as { api: { awaitSignIn(a: { flowId: string }): Promise<unknown> } }).api;
      void api.awaitSignIn({ flowId });
    }, started.flowId);
    await expect
      .poll(() => app.opened())
      .toEqual([expect.stringContaining(`${double.loginUrl}/services/oauth2/authorize`)]);
    expect(await tcpProbe(port), 'the listener is up while the sign-in waits').toBe('open');

    // Once quitting has begun (will-quit: windows closed, before-quit handlers run) but before the process is
    // gone, main itself tries the port and writes down what it found, then lets the quit go on.
    const probeFile = join(app.profile.dir, 'listener-at-quit.txt');
    await app.electronApp.evaluate(
      ({ app: electronApp }, { port, probeFile }) => {
        const net = process.getBuiltinModule('node:net');
        const fs = process.getBuiltinModule('node:fs');
        let probed = false;
        electronApp.on('will-quit', (event) => {
          if (probed) return;
          probed = true;
          event.preventDefault();
          const socket = net.connect({ host: '127.0.0.1', port });
          const done = (state: string) => {
            socket.destroy();
            fs.writeFileSync(probeFile, state);
            electronApp.quit();
          };
          socket.once('connect', () => done('open'));
          socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
        });
      },
      { port, probeFile },
    );

    await app.electronApp.close();
    expect(app.running()).toBe(false);
    expect(await readFile(probeFile, 'utf8'), 'main found the listener closed while quitting').toBe('ECONNREFUSED');
    expect(await tcpProbe(port), 'nothing listens on the callback port after the quit').toBe('ECONNREFUSED');
  });
});
