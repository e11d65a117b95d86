/**
 * Runs once per `npm run test:interop`: installs the real Salesforce CLI (or reuses the cached install),
 * checks that this Node.js can run it, and hands its folder to the tests. Prints how long the install and
 * the whole suite took.
 */
import type { TestProject } from 'vitest/node';
import { installRealCli, type RealCli } from './real-cli';

declare module 'vitest' {
  export interface ProvidedContext {
    realCli: RealCli;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const started = Date.now();
  const cli = await installRealCli((line) => console.log(line));
  console.log(
    `interop: @salesforce/cli ${cli.version} (needs Node.js ${cli.nodeNeeded}, running ${process.version}); ` +
      (cli.installMs ? `installed in ${(cli.installMs / 1000).toFixed(1)} s` : 'cached install reused'),
  );
  project.provide('realCli', cli);
  return () => console.log(`interop: install and suite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
