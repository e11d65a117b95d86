/** The Salesforce CLI import, with a fake bridge. */
import { describe, expect, it } from 'vitest';
import { appState, fail, fakeApi, ok, org } from './support';

describe('CliImportState', () => {
  it('imports the chosen CLI orgs, says which failed, and lists again', async () => {
    const list = {
      sfPath: '/usr/local/bin/sf',
      orgs: ['a@x.example', 'b@x.example'].map((username) => ({
        username,
        alias: username[0]!,
        orgId: null,
        instanceUrl: null,
        kind: 'production' as const,
        connectedStatus: null,
        isExpired: false,
        expirationDate: null,
        isDefault: false,
        knownAs: null,
      })),
    };
    const { cliImport, orgList, notices } = appState(
      fakeApi({
        listCliOrgs: async () => ok(list),
        importCliOrgs: async () =>
          ok({
            imported: [org('a')],
            failed: [{ username: 'b@x.example', message: 'No authorization information found.' }],
          }),
      }),
    );
    await cliImport.load();
    expect(cliImport.phase).toEqual({ step: 'listed', list });
    expect(await cliImport.import(['a@x.example', 'b@x.example'])).toBe(true);
    expect(orgList.selected?.id).toBe('a');
    expect(notices.current).toEqual({
      kind: 'info',
      text: 'Imported 1 of 2 orgs from the Salesforce CLI. Not imported: b@x.example: No authorization information found.',
    });
    expect(cliImport.phase.step).toBe('listed');
  });

  it('shows a missing CLI as a failure the panel can explain', async () => {
    const { cliImport } = appState(
      fakeApi({ listCliOrgs: async () => fail('cli/not_found', 'The Salesforce CLI (sf) was not found.') }),
    );
    await cliImport.load();
    expect(cliImport.phase).toEqual({
      step: 'failed',
      error: { code: 'cli/not_found', message: 'The Salesforce CLI (sf) was not found.' },
    });
  });

  it('goes back to idle when the listing is cancelled', async () => {
    const cancelled: string[] = [];
    let answer!: (v: ReturnType<typeof fail>) => void;
    const { cliImport } = appState(
      fakeApi({
        listCliOrgs: () => new Promise((r) => (answer = r)),
        cancelSignIn: async ({ flowId }) => (cancelled.push(flowId), ok(null)),
      }),
    );
    const loading = cliImport.load();
    const phase = cliImport.phase;
    expect(phase.step).toBe('loading');
    await cliImport.cancel();
    answer(fail('oauth/cancelled', 'Cancelled.'));
    await loading;
    expect(cancelled).toEqual([phase.step === 'loading' ? phase.flowId : '']);
    expect(cliImport.phase).toEqual({ step: 'idle' });
  });
});
