import { describe, expect, it } from 'vitest';
import { AppError, isAppError, toApiError } from '../../main/errors';

describe('AppError and toApiError', () => {
  it('an AppError crosses IPC as its code and message only, without its cause', () => {
    const cause = new Error('socket hang up at https://secret.example/token?code=abc');
    const e = new AppError('oauth/network', 'Could not reach the login host. Check your connection.', { cause });
    expect(e.name).toBe('AppError');
    expect(e.cause).toBe(cause);
    const api = toApiError(e);
    expect(api).toEqual({ code: 'oauth/network', message: 'Could not reach the login host. Check your connection.' });
    expect(Object.keys(api)).toEqual(['code', 'message']);
  });

  it('anything else becomes "internal" and never leaks its text', () => {
    const leaks = [
      new Error('access_token=00Dxx!AQ.secret'),
      new TypeError('Cannot read properties of undefined (reading "refresh_token")'),
      'a thrown string with a password',
      { code: 'oauth/cancelled', message: 'looks like an AppError but is not one' },
      undefined,
    ];
    for (const thrown of leaks) {
      const api = toApiError(thrown);
      expect(api.code).toBe('internal');
      expect(api.message).toMatch(/restart the app/);
      expect(api.message).not.toMatch(/secret|password|refresh_token|looks like/);
    }
  });

  it('isAppError matches the class, and the code when one is given', () => {
    const e = new AppError('oauth/cancelled', 'Cancelled.');
    expect(isAppError(e)).toBe(true);
    expect(isAppError(e, 'oauth/cancelled')).toBe(true);
    expect(isAppError(e, 'internal')).toBe(false);
    expect(isAppError(new Error('Cancelled.'))).toBe(false);
    expect(isAppError({ name: 'AppError', code: 'oauth/cancelled' }, 'oauth/cancelled')).toBe(false);
  });
});
