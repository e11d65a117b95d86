// `npm start` (and `npm run dev` with --dev): build the app and start it in Electron, or say in one sentence
// what is missing instead of electron-vite's "Error: Electron uninstall" stack trace.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { electronBinary, INSTALL_COMMAND } from './electron-binary.mjs';

const binary = electronBinary();
if (!binary) {
  console.error(
    `Electron's binary is not installed, so the app cannot start. Run "${INSTALL_COMMAND}", then "npm start" again.`,
  );
  process.exit(1);
}

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
// electron-vite finds Electron through ELECTRON_EXEC_PATH first, so it starts the binary found above.
const args = process.argv.slice(2);
const command = args.includes('--dev') ? 'dev' : 'preview';
const child = spawn(process.execPath, [cli, command, ...args.filter((a) => a !== '--dev')], {
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: binary },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
