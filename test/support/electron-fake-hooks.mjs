// Module resolve hook for the scripts that run under plain Node with tsx (`npm run bench`, `npm run
// screenshots`): `electron` resolves to the same fake the Vitest projects alias it to, so electron-store (the
// production metadata store) loads without Electron's binary.
const fake = new URL('../fakes/electron-for-store.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  return next(specifier === 'electron' ? fake : specifier, context);
}
