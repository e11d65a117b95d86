/**
 * The Salesforce CLI (`sf`) as a source of orgs to import: the commands the import runs, each parsed once
 * into typed records. Finding `sf` is in find-cli.ts, running it in run-cli.ts, reading what it prints in
 * cli-output.ts, org-list.ts and org-display.ts. Everything `sf` prints may hold access tokens, so raw
 * output never reaches a message or a cause, and the org list keeps no token at all.
 */
import { parseOrgDisplay, parseShowAccessToken, parseShowSfdxAuthUrl, type CliOrgDetail } from './org-display';
import { parseOrgList, type CliOrg } from './org-list';
import { runSalesforceCli, type RunCliOptions } from './run-cli';

export { CLI_INSTALL_URL } from './cli-output';
export { findSalesforceCli } from './find-cli';
export type { CliOrgDetail } from './org-display';

/** The orgs the Salesforce CLI is signed in to (`sf org list --skip-connection-status --json`), without tokens. */
export async function listCliOrgs(sfPath: string, options: RunCliOptions = {}): Promise<CliOrg[]> {
  return parseOrgList(await runSalesforceCli(sfPath, ['org', 'list', '--skip-connection-status'], options));
}

/**
 * One org's credentials from the Salesforce CLI: `sf org display --verbose --json -o <username>`. When the
 * CLI redacts secrets there (newer versions, unless `SF_TEMP_SHOW_SECRETS` is set), they are read with
 * `sf org auth show-access-token` and `sf org auth show-sfdx-auth-url`, the commands it points to.
 */
export async function displayCliOrg(
  sfPath: string,
  username: string,
  options: RunCliOptions = {},
): Promise<CliOrgDetail> {
  const { sfdxAuthUrlRedacted, ...shown } = parseOrgDisplay(
    await runSalesforceCli(sfPath, ['org', 'display', '--verbose', '-o', username], options),
  );
  const accessToken =
    shown.accessToken ??
    parseShowAccessToken(await runSalesforceCli(sfPath, ['org', 'auth', 'show-access-token', '-o', username], options));
  const sfdxAuthUrl = sfdxAuthUrlRedacted
    ? parseShowSfdxAuthUrl(
        await runSalesforceCli(sfPath, ['org', 'auth', 'show-sfdx-auth-url', '-o', username], options),
      )
    : shown.sfdxAuthUrl;
  return {
    username: shown.username,
    alias: shown.alias,
    orgId: shown.orgId,
    instanceUrl: shown.instanceUrl,
    clientId: shown.clientId,
    accessToken,
    sfdxAuthUrl,
    isScratch: shown.isScratch,
  };
}
