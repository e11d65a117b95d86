import type { GrantStrategy } from './strategy';

/** A token the user pasted: no sign-in starts it, and only a refresh token attached to it renews it. */
export const pasted = {
  signIn: null,
  renewal: {
    by: 'refresh_token',
    withoutOne: 'This org only has a pasted access token. Paste a new token, or re-authenticate the org.',
  },
} satisfies GrantStrategy;
