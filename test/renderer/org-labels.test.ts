import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../main/orgs/grants';
import { DEFAULT_SETTINGS } from '../../main/vault/records';
import { ORG_GRANTS } from '../../preload/contract';
import { GRANT_LABEL, SCOPE_MEANING } from '../../renderer/lib/org-labels';

describe('org labels', () => {
  it('say a grant renews with a refresh token exactly when its strategy in main does', () => {
    for (const grant of ORG_GRANTS) {
      const mentionsRefreshToken = /refresh token/i.test(GRANT_LABEL[grant].renews);
      expect(mentionsRefreshToken, `${grant}: ${GRANT_LABEL[grant].renews}`).toBe(
        STRATEGIES[grant].renewal.by === 'refresh_token',
      );
    }
  });

  it('explain every scope a new app profile starts with', () => {
    for (const scope of DEFAULT_SETTINGS.defaultScopes) expect(SCOPE_MEANING[scope], scope).toBeTruthy();
  });
});
