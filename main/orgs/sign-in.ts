import { randomUUID } from 'node:crypto';
import type { OrgGrant, SignInRequest, SignInStart } from '../../preload/contract';
import { AppError } from '../errors';
import type { Handlers } from '../ipc/router';
import { clientCredentialsGrant } from '../oauth/client-credentials';
import { pollDeviceToken, startDeviceAuthorization } from '../oauth/device-flow';
import { DEFAULT_TIMEOUT_MS } from '../oauth/http';
import { jwtBearerGrant } from '../oauth/jwt-bearer';
import { normalizeLoginHost } from '../oauth/login-host';
import type { Outcome } from '../oauth/loopback-listener';
import { passwordGrant } from '../oauth/password-grant';
import { tokenExchangeGrant } from '../oauth/token-exchange';
import type { TokenSet } from '../oauth/token-set';
import { beginWebServerFlow } from '../oauth/web-server-flow';
import type { Adoption, OrgContext } from './org-context';

/** A sign-in between begin and await: where its tokens will come from, and how to stop it. */
interface PendingSignIn {
  start: SignInStart;
  tokens: Promise<TokenSet>;
  adoption: Omit<Adoption, 'set'>;
  cancel(): void;
  /** The web server flow tells the browser tab how it ended. */
  finish?: (outcome: Outcome) => void;
  /** The device flow's verification page. */
  verificationUrl?: string;
}

const GRANT_OF: Record<SignInRequest['method'], OrgGrant> = {
  'web-server': 'authorization_code',
  device: 'device',
  'client-credentials': 'client_credentials',
  'jwt-bearer': 'jwt_bearer',
  password: 'password',
  'token-exchange': 'token_exchange',
};

/**
 * Every way into an org that starts from an app profile and a login host. `beginSignIn` starts it (the
 * browser opens, the device code is shown, the request is sent), `awaitSignIn` waits for the tokens and
 * files them as an org, `cancelSignIn` stops it at any point.
 */
export function createSignInHandlers(
  ctx: OrgContext,
): Pick<Handlers, 'beginSignIn' | 'awaitSignIn' | 'cancelSignIn' | 'openDeviceVerification'> & { close(): void } {
  const { vault, http, now, operations } = ctx;
  const pending = new Map<string, PendingSignIn>();

  async function begin(request: SignInRequest): Promise<PendingSignIn> {
    const profile = ctx.profileOf(request.profileId);
    const loginHost = normalizeLoginHost(request.loginHost);
    const as = await ctx.serverFor(loginHost);
    const secret = await vault.readProfileSecret(profile.id);
    const client = { as, clientId: profile.consumerKey, http, now };
    const adoption: Omit<Adoption, 'set'> = {
      profile,
      as,
      loginHost,
      orgRef: request.orgRef ?? null,
      label: request.label ?? null,
      grant: GRANT_OF[request.method],
    };
    const flowId = randomUUID();

    if (request.method === 'web-server') {
      const flow = await beginWebServerFlow({
        as,
        clientId: profile.consumerKey,
        clientSecret: secret,
        redirectUri: profile.callbackUrl,
        scopes: profile.scopes,
        // OIDC Core §11: a server only issues offline_access refresh tokens after prompt=consent.
        prompt: profile.kind === 'oidc' && profile.scopes.includes('offline_access') ? 'login consent' : 'login',
        openExternal: (url) => ctx.deps.openExternal(url, loginHost),
        http,
        now,
        ...(ctx.deps.listenerTimeoutMs ? { timeoutMs: ctx.deps.listenerTimeoutMs } : {}),
      });
      return {
        start: {
          flowId: flow.flowId,
          method: 'web-server',
          authorizeUrl: flow.authorizeUrl,
          redirectUri: flow.redirectUri,
          expiresAt: flow.expiresAt,
        },
        tokens: flow.result,
        adoption,
        cancel: () => flow.cancel(),
        finish: (outcome) => flow.finish(outcome),
      };
    }

    const controller = new AbortController();
    const signal = controller.signal;
    if (request.method === 'device') {
      const authorization = await startDeviceAuthorization({
        ...client,
        clientSecret: secret,
        scopes: profile.scopes,
      });
      return {
        start: {
          flowId,
          method: 'device',
          userCode: authorization.userCode,
          verificationUri: authorization.verificationUri,
          verificationUriComplete: authorization.verificationUriComplete,
          interval: authorization.interval,
          expiresAt: authorization.expiresAt,
        },
        tokens: pollDeviceToken({
          ...client,
          clientSecret: secret,
          authorization,
          scopes: profile.scopes,
          signal,
          ...(ctx.deps.sleep ? { sleep: ctx.deps.sleep } : {}),
        }),
        adoption,
        cancel: () => controller.abort(),
        verificationUrl: authorization.verificationUriComplete ?? authorization.verificationUri,
      };
    }

    let tokens: Promise<TokenSet>;
    switch (request.method) {
      case 'client-credentials':
        tokens = clientCredentialsGrant({
          ...client,
          clientSecret: ctx.requireSecret(profile, secret, 'client credentials flow'),
          // Servers other than Salesforce may require a scope here; Salesforce ignores it.
          scopes: profile.scopes,
          signal,
        });
        break;
      case 'jwt-bearer':
        adoption.audience = request.audience ?? null;
        tokens = jwtBearerGrant({
          ...client,
          username: request.username,
          privateKeyPem: await ctx.requirePrivateKey(profile),
          ...(request.audience ? { audience: request.audience } : {}),
          signal,
        });
        break;
      case 'password':
        tokens = passwordGrant({
          ...client,
          clientSecret: ctx.requireSecret(profile, secret, 'username-password flow'),
          username: request.username,
          password: request.password,
          ...(request.securityToken ? { securityToken: request.securityToken } : {}),
          signal,
        });
        break;
      case 'token-exchange':
        tokens = tokenExchangeGrant({
          ...client,
          clientSecret: secret,
          subjectToken: request.subjectToken,
          subjectTokenType: request.subjectTokenType,
          scopes: profile.scopes,
          signal,
        });
        break;
    }
    return {
      start: { flowId, method: request.method, expiresAt: now() + (http.timeoutMs ?? DEFAULT_TIMEOUT_MS) },
      tokens,
      adoption,
      cancel: () => controller.abort(),
    };
  }

  function pendingOf(flowId: string): PendingSignIn {
    const found = pending.get(flowId);
    if (!found) throw new AppError('oauth/flow_not_found', 'This sign-in is no longer running. Start it again.');
    return found;
  }

  return {
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
        const record = await ctx.adoptTokens({ ...signIn.adoption, set: await signIn.tokens });
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
      await ctx.deps.openExternal(url, signIn.adoption.loginHost);
      return null;
    },

    close() {
      for (const signIn of pending.values()) signIn.cancel();
      pending.clear();
    },
  };
}
