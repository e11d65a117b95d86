import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS } from '../../../main/net/bounded-fetch';
import { requestStart, type SignInEnv } from '../../../main/orgs/grants/strategy';

const env = (http: SignInEnv['http']) => ({ flowId: 'flow-1', now: () => 1_000, http }) as unknown as SignInEnv;

describe('requestStart', () => {
  it('a one-request sign-in ends when its request times out: the client’s timeout, else the default', () => {
    expect(requestStart(env({ timeoutMs: 2_500 }), 'client_credentials')).toEqual({
      flowId: 'flow-1',
      method: 'client_credentials',
      expiresAt: 3_500,
    });
    expect(requestStart(env({}), 'password')).toEqual({
      flowId: 'flow-1',
      method: 'password',
      expiresAt: 1_000 + DEFAULT_TIMEOUT_MS,
    });
  });
});
