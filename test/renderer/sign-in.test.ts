/** The add-org wizard's run, with a fake bridge: what the waiting panel and the notice show comes from here. */
import { describe, expect, it } from 'vitest';
import type { OrgSummary, Result, SignInStart } from '../../preload/contract';
import { appState, deferred, fail, fakeApi, ok, org, WEB } from './support';

describe('SignInState', () => {
  it('loads orgs, signs in, selects the new org and says so', async () => {
    const { orgList, signIn, notices } = appState(fakeApi());
    await orgList.load();
    expect(orgList.orgs.map((o) => o.id)).toEqual(['a']);
    expect(await signIn.signInWith(WEB)).toBe(true);
    expect(orgList.orgs.map((o) => o.id)).toEqual(['a', 'b']);
    expect(orgList.selected?.id).toBe('b');
    expect(notices.current).toEqual({ kind: 'success', text: 'Signed in to Beta as beta@x.example.' });
    expect(signIn.phase).toEqual({ step: 'idle' });
  });

  it('shows a waiting step with the authorize URL, goes back to idle on cancel, and keeps failures', async () => {
    const waiting = deferred<Result<OrgSummary>>();
    const { signIn } = appState(
      fakeApi({
        awaitSignIn: () => waiting.promise,
        cancelSignIn: async () => {
          waiting.resolve(fail('oauth/cancelled', 'Sign-in was cancelled.'));
          return ok(null);
        },
      }),
    );
    const running = signIn.signInWith(WEB);
    await new Promise((r) => setTimeout(r, 0));
    expect(signIn.phase.step).toBe('waiting');
    await signIn.cancel();
    expect(await running).toBe(false);
    expect(signIn.phase).toEqual({ step: 'idle' });

    const failing = appState(
      fakeApi({ awaitSignIn: async () => fail('oauth/port_in_use', 'Port 1717 is in use by another program.') }),
    ).signIn;
    expect(await failing.signInWith(WEB)).toBe(false);
    expect(failing.phase).toEqual({
      step: 'failed',
      error: { code: 'oauth/port_in_use', message: 'Port 1717 is in use by another program.' },
    });
  });

  it('cancels a sign-in that is still starting as soon as it has an id', async () => {
    const begun = deferred<Result<SignInStart>>();
    const cancelled: string[] = [];
    const { signIn } = appState(
      fakeApi({
        beginSignIn: () => begun.promise,
        cancelSignIn: async ({ flowId }) => (cancelled.push(flowId), ok(null)),
        awaitSignIn: async () => fail('oauth/cancelled', 'Cancelled.'),
      }),
    );
    const running = signIn.signInWith({ ...WEB, method: 'device' });
    expect(signIn.phase.step).toBe('starting');
    await signIn.cancel();
    begun.resolve(
      ok({
        flowId: 'dev1',
        method: 'device',
        userCode: 'BCDFGHJK',
        verificationUri: 'https://login.salesforce.com/setup/connect',
        verificationUriComplete: null,
        interval: 5,
        expiresAt: Date.now() + 600_000,
      }),
    );
    expect(await running).toBe(false);
    expect(cancelled).toEqual(['dev1']);
    expect(signIn.phase).toEqual({ step: 'idle' });
  });

  it('hands a pasted code to a sign-in waiting for one, and says why a paste was refused', async () => {
    const waiting = deferred<Result<OrgSummary>>();
    const pasted: string[] = [];
    const start: SignInStart = {
      flowId: 'hand1',
      method: 'authorization_code',
      authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize?x',
      redirectUri: 'https://login.salesforce.com/services/oauth2/success',
      expiresAt: Date.now() + 900_000,
      byHand: true,
    };
    const { signIn } = appState(
      fakeApi({
        beginSignIn: async () => ok(start),
        awaitSignIn: () => waiting.promise,
        submitSignInCode: async ({ flowId, pasted: text }) => {
          pasted.push(`${flowId}:${text}`);
          if (text === 'other') return fail('oauth/state_mismatch', 'This address comes from another sign-in attempt.');
          waiting.resolve(ok(org('b', { label: 'Beta', username: 'beta@x.example' })));
          return ok(null);
        },
      }),
    );
    // Nothing to hand a code to before the sign-in waits.
    expect(await signIn.submitCode('early')).toBeNull();
    const running = signIn.signInWith(WEB);
    await new Promise((r) => setTimeout(r, 0));
    expect(signIn.phase).toEqual({ step: 'waiting', start });
    expect(await signIn.submitCode('other')).toEqual({
      code: 'oauth/state_mismatch',
      message: 'This address comes from another sign-in attempt.',
    });
    expect(signIn.phase.step).toBe('waiting');
    expect(await signIn.submitCode('https://login.salesforce.com/services/oauth2/success?code=c&state=s')).toBeNull();
    expect(await running).toBe(true);
    expect(pasted).toEqual([
      'hand1:other',
      'hand1:https://login.salesforce.com/services/oauth2/success?code=c&state=s',
    ]);
  });

  it('says which method signed in, from its descriptor', async () => {
    const { signIn, notices } = appState(
      fakeApi({ awaitSignIn: async () => ok(org('c', { label: 'Gamma', username: 'g@x.example' })) }),
    );
    expect(await signIn.signInWith({ ...WEB, method: 'password', username: 'g@x.example', password: 'pw' })).toBe(true);
    expect(notices.current?.text).toBe('Signed in to Gamma as g@x.example. The password was not stored.');
  });

  it('attaches a pasted token to an org and says so, with the working step in between', async () => {
    const answer = deferred<Result<OrgSummary>>();
    const { signIn, orgList, notices } = appState(fakeApi({ attachToken: () => answer.promise }));
    const running = signIn.attachToken({
      profileId: 'p',
      loginHost: 'production',
      kind: 'refresh',
      token: 't',
      orgRef: 'a',
    });
    expect(signIn.phase).toMatchObject({ step: 'working', what: 'Checking the refresh token with the server…' });
    answer.resolve(ok(org('a', { label: 'Alpha' })));
    expect(await running).toBe(true);
    expect(orgList.selectedId).toBe('a');
    expect(notices.current).toEqual({ kind: 'success', text: 'Attached the refresh token to Alpha.' });
  });

  it('imports an org from an auth URL and reloads the profiles it brought', async () => {
    let profileLists = 0;
    const { signIn, notices } = appState(
      fakeApi({
        importSfdxAuthUrl: async () => ok(org('d', { label: 'Delta' })),
        listAppProfiles: async () => (profileLists++, ok([])),
      }),
    );
    expect(await signIn.importAuthUrl('force://x', 'Delta')).toBe(true);
    expect(profileLists).toBe(1);
    expect(notices.current?.text).toBe('Imported Delta (d@x.example) from the Salesforce CLI auth URL.');
  });
});
