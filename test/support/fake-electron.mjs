// `node --import tsx --import ./test/support/fake-electron.mjs script.ts`: see electron-fake-hooks.mjs.
import { register } from 'node:module';

register('./electron-fake-hooks.mjs', import.meta.url);
