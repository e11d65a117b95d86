import { decodeJwt } from 'jose';
import type { Handlers, KeySource, VerifyKey } from '../../preload/contract';
import { AppError, isAppError } from '../errors';
import { withSignal, type HttpOptions } from '../net/bounded-fetch';
import { discoverAuthorizationServer } from '../oauth/authorization-server';
import { normalizePastedToken } from '../tokens/inspect-token';
import { keySourceOf } from '../tokens/key-source';
import { fetchIssuerKeys } from '../tokens/verify-token';
import { pastedKeySet, secretKeySet } from '../tokens/pasted-keys';
import { nothingToCheck, verifyWithKeySet, type KeySet } from '../tokens/verify-keys';
import type { OrgContext } from './org-context';

/**
 * Checking a pasted token's signature with the key the user chose: the issuer's published keys (fetched only
 * now, on the user's click, from the URL the window showed), a pasted public key, or a shared secret. Nothing
 * the user pasted is kept.
 */
export function createVerifyHandlers(ctx: OrgContext): Pick<Handlers, 'verifyPastedToken'> {
  return {
    verifyPastedToken: async ({ token: raw, key, flowId }) => {
      const token = normalizePastedToken(raw);
      const early = nothingToCheck(token, null);
      if (early) return early;
      // Cancel (`cancelSignIn({ flowId })`) aborts the key fetches under way.
      return ctx.operations.run(flowId, async (signal) =>
        verifyWithKeySet(token, await keySetFor(token, key, withSignal(ctx.http, signal)), ctx.now()),
      );
    },
  };
}

async function keySetFor(token: string, key: VerifyKey, http: HttpOptions): Promise<KeySet> {
  switch (key.kind) {
    case 'key':
      return pastedKeySet(key.text);
    case 'secret':
      return secretKeySet(key.secret, key.encoding);
    case 'issuer':
      return fetchIssuerKeys(await jwksUrlOf(issuerSource(token, key.url), http), http);
  }
}

/** The token's own key source, which must be exactly the URL the window showed and asks to fetch. */
function issuerSource(token: string, url: string): KeySource {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    // A signed payload that is not a JSON object names no issuer.
  }
  const source = keySourceOf(iss);
  if (!source) {
    throw new AppError(
      'key/invalid',
      `The token names no https issuer${typeof iss === 'string' ? ` (its iss is "${iss.slice(0, 200)}")` : ' (it has no iss)'}, so there are no published keys to fetch. Paste the issuer's public key instead.`,
    );
  }
  if (source.url !== url) {
    throw new AppError(
      'ipc/bad_argument',
      `The keys were asked from ${url.slice(0, 300)}, but this token's issuer publishes them through ${source.url}, so nothing was fetched. Inspect the token again, then check its signature.`,
    );
  }
  return source;
}

/** Where the key set is: Salesforce's `/id/keys`, or the `jwks_uri` of the issuer's discovery document. */
async function jwksUrlOf(source: KeySource, http: HttpOptions): Promise<string> {
  switch (source.via) {
    case 'salesforce-keys':
      return source.url;
    case 'oidc-discovery': {
      let jwksUri: string | undefined;
      try {
        jwksUri = (await discoverAuthorizationServer(source.issuer, http)).jwks_uri;
      } catch (e) {
        if (!isAppError(e) || e.code === 'oauth/cancelled') throw e;
        throw new AppError(e.code, `Could not find the issuer's keys through ${source.url}: ${e.message}`, {
          cause: e,
        });
      }
      if (jwksUri === undefined) {
        throw new AppError(
          'oauth/bad_response',
          `The issuer's discovery document at ${source.url} names no key set (jwks_uri), so its keys cannot be fetched. Paste its public key instead.`,
        );
      }
      return jwksUri;
    }
  }
}
