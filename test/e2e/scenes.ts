/** The screens the screenshot script captures, each with the services it needs. */
import type { Page } from 'playwright-core';
import type { Handlers } from '../../main/ipc/router';
import { testHandlers } from '../support/test-services';
import { salesforceJwtAccessToken } from '../support/tokens';

export interface SceneSetup {
  handlers: Handlers;
  close(): Promise<void>;
}

export interface Scene {
  name: string;
  setup(): Promise<SceneSetup>;
  act(page: Page, setup: SceneSetup): Promise<void>;
}

async function pasteToken(page: Page, token: string): Promise<void> {
  const field = page.getByLabel('Token', { exact: true });
  await field.fill(token);
  await field.press('Enter');
}

export const scenes: Scene[] = [
  {
    name: 'inspect-empty',
    setup: () => testHandlers(),
    act: async (page) => {
      await page.getByLabel('Token', { exact: true }).waitFor();
    },
  },
  {
    name: 'inspect-jwt',
    setup: () => testHandlers(),
    act: async (page) => {
      await pasteToken(page, await salesforceJwtAccessToken({ expiresInSeconds: 14 * 60 + 20 }));
      await page.getByText('Salesforce JWT access token').first().waitFor();
    },
  },
  {
    name: 'inspect-error',
    setup: () => testHandlers(),
    act: async (page) => {
      await pasteToken(page, 'eyJhbGciOiJSUzI1NiJ9.@@@not-base64@@@.c2ln');
      await page.getByRole('alert').filter({ hasText: 'Cannot read this token' }).waitFor();
    },
  },
];
