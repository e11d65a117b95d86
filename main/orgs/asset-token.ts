import type { Handlers, JwsInspection, SignatureCheck } from '../../preload/contract';
import { AppError } from '../errors';
import { actorToken, assetTokenGrant } from '../oauth/asset-token';
import { isSalesforceServer } from '../oauth/server-wording';
import { verifyJwtSignature } from '../tokens/verify-token';
import type { OrgContext, OrgServiceDeps } from './org-context';
import { inspectStoredToken } from './stored-inspection';

/**
 * Where the asset token is checked when the org's keys do not name its key: Salesforce signs asset tokens
 * with the app's "Asset Signing Certificate", which need not be among the keys `/id/keys` publishes.
 */
const CERTIFICATE_NOTE =
  ' Salesforce signs asset tokens with the app\'s "Asset Signing Certificate": if that key is not among the org\'s published keys, check the token with that certificate (Copy the asset token, then paste it in Inspect and verify it with the certificate).';

/**
 * Asset tokens (Salesforce's "OAuth 2.0 Asset Token Flow for Securing Connected Devices"). The org's access
 * token is the subject token, read and renewed through the one token lifecycle (`withAuthRetry`: a refused
 * one is renewed once and the request sent again). The asset token is not stored as the org's token, nor
 * written to disk: it is issued for a device, not for this app. The window gets its inspection without the
 * signature part (as a stored token's, docs/SECURITY.md) and its signature check; main keeps the last asset
 * token of each org in memory, for `copyAssetToken` to put on the clipboard, until the next one replaces it
 * or the app quits.
 */
export function createAssetTokenHandlers(
  ctx: OrgContext,
  deps: OrgServiceDeps,
): Pick<Handlers, 'requestAssetToken' | 'copyAssetToken'> {
  const { vault, clients, tokens, http, now } = ctx;
  const issued = new Map<string, string>();

  return {
    requestAssetToken: ({ id, device, flowId }) =>
      ctx.operations.run(flowId, async (signal) => {
        const { record } = vault.requireOrg(id);
        const { as, profile, secret } = await clients.clientFor(record);
        const actor = await actorToken(device);
        const { value: set, refreshed } = await tokens.withAuthRetry(id, (subjectToken) =>
          assetTokenGrant({
            as,
            clientId: profile.consumerKey,
            clientSecret: secret,
            subjectToken,
            actorToken: actor.token,
            http,
            now,
            signal,
          }),
        );
        const token = set.accessToken;
        const inspection = inspectStoredToken(token, undefined, now());
        if (inspection.kind !== 'jws')
          throw new AppError(
            'oauth/bad_response',
            `The server answered with ${inspection.label.toLowerCase()} where an asset token is a signed JWT. Check that the app issues asset tokens.`,
          );
        const checked = await verifyJwtSignature(token, as.jwks_uri ?? null, http, now());
        const signature: SignatureCheck =
          checked.result === 'unknown-key' && isSalesforceServer(as)
            ? { ...checked, message: checked.message + CERTIFICATE_NOTE }
            : checked;
        issued.set(id, token);
        return {
          inspection: inspection satisfies JwsInspection,
          signature,
          actor: { claims: JSON.stringify(actor.claims, null, 2), alg: actor.alg },
          endpoint: as.token_endpoint ?? record.loginHost,
          hint: token.slice(-4),
          refreshed,
        };
      }),

    copyAssetToken: async ({ id }) => {
      vault.requireOrg(id);
      const token = issued.get(id);
      if (!token)
        throw new AppError(
          'token/unsupported',
          'No asset token was issued for this org since the app started: request one first.',
        );
      await deps.writeClipboard(token);
      return null;
    },
  };
}
