import { randomUUID } from 'node:crypto';
import type { SignInRequest } from '../../preload/contract';
import { AppError } from '../errors';
import type { Handlers } from '../../preload/contract';
import { normalizeLoginHost } from '../oauth/login-host';
import type { AppProfileRecord } from '../vault/records';
import type { Adoption } from './adoption';
import { signInFor } from './grants';
import type { Begun } from './grants/strategy';
import type { OrgContext, OrgServiceDeps } from './org-context';

/** A sign-in between begin and await: where its tokens will come from, and how to stop it. */
interface PendingSignIn extends Begun {
  adoption: Omit<Adoption, 'set' | 'profile'> & { profile: AppProfileRecord };
  cancel(): void;
}

type SignInMethods = 'beginSignIn' | 'awaitSignIn' | 'cancelSignIn' | 'openDeviceVerification' | 'submitSignInCode';

/**
 * Every way into an org that starts from an app profile and a login host. `beginSignIn` starts it (the
 * browser opens, the device code is shown, the request is sent) through the method's strategy
 * (main/orgs/grants/), `awaitSignIn` waits for the tokens and files them as an org, `cancelSignIn` stops it.
 */
export function createSignInHandlers(
  ctx: OrgContext,
  deps: Pick<OrgServiceDeps, 'openExternal' | 'sleep' | 'listenerTimeoutMs'>,
): Pick<Handlers, SignInMethods> & { close(): void } {
  const { clients, operations } = ctx;
  const pending = new Map<string, PendingSignIn>();

  async function begin(request: SignInRequest): Promise<PendingSignIn> {
    const profile = clients.profileOf(request.profileId);
    const loginHost = normalizeLoginHost(request.loginHost);
    const client = await clients.clientOf(profile, loginHost);
    const controller = new AbortController();
    const signIn = signInFor(request);
    const begun = await signIn.begin(
      {
        ...client,
        loginHost,
        flowId: randomUUID(),
        signal: controller.signal,
        openExternal: (url) => deps.openExternal(url, loginHost),
        listenerTimeoutMs: deps.listenerTimeoutMs,
        sleep: deps.sleep,
      },
      request,
    );
    return {
      ...begun,
      adoption: {
        profile,
        as: client.as,
        loginHost,
        orgRef: request.orgRef ?? null,
        label: request.label ?? null,
        grant: request.method,
        ...(begun.audience !== undefined ? { audience: begun.audience } : {}),
      },
      cancel: () => controller.abort(),
    };
  }

  function pendingOf(flowId: string): PendingSignIn {
    const found = pending.get(flowId);
    if (!found) throw new AppError('oauth/flow_not_found', 'This sign-in is no longer running. Start it again.');
    return found;
  }

  const handlers: Pick<Handlers, SignInMethods> = {
    beginSignIn: async (request) => {
      const started = await begin(request);
      // Nobody may await a sign-in that is cancelled at once; its failure is still reported to whoever does.
      started.tokens.catch(() => undefined);
      pending.set(started.start.flowId, started);
      const unregister = operations.register(started.start.flowId, () => started.cancel());
      started.tokens.then(unregister, unregister);
      return started.start;
    },

    awaitSignIn: async ({ flowId }) => {
      const signIn = pendingOf(flowId);
      try {
        const record = await ctx.adopt({ ...signIn.adoption, set: await signIn.tokens });
        signIn.finish?.({
          ok: true,
          title: `Signed in to ${record.label}`,
          detail: `${record.username ?? 'Your user'} is connected through ${signIn.adoption.profile.name}. SF Token Inspector has the tokens now.`,
        });
        return ctx.summarize(record.id);
      } catch (e) {
        signIn.finish?.({ ok: false, message: e instanceof AppError ? e.message : 'The sign-in failed.' });
        throw e;
      } finally {
        pending.delete(flowId);
      }
    },

    cancelSignIn: async ({ flowId }) => {
      operations.cancel(flowId);
      return null;
    },

    openDeviceVerification: async ({ flowId }) => {
      const signIn = pendingOf(flowId);
      const url = signIn.verificationUrl;
      if (!url) throw new AppError('oauth/flow_not_found', 'This sign-in has no verification page to open.');
      await deps.openExternal(url, signIn.adoption.loginHost);
      return null;
    },

    submitSignInCode: async ({ flowId, pasted }) => {
      const signIn = pendingOf(flowId);
      if (!signIn.submitCode) throw new AppError('oauth/flow_not_found', 'This sign-in does not take a pasted code.');
      await signIn.submitCode(pasted);
      return null;
    },
  };

  return {
    ...handlers,
    close() {
      for (const signIn of pending.values()) signIn.cancel();
      pending.clear();
    },
  };
}
