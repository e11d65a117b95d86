/**
 * EACCES cannot be provoked for real when tests run as root (every port may be bound), so node:http's
 * server is made to fail the way the OS fails a forbidden port; the listener must name the port and fix.
 */
import { EventEmitter } from 'node:events';
import type * as http from 'node:http';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:http', async (importOriginal) => {
  const real = await importOriginal<typeof http>();
  return {
    ...real,
    createServer: () => {
      const server = new EventEmitter() as EventEmitter & Record<string, unknown>;
      server['listen'] = () => {
        const error = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:443'), { code: 'EACCES' });
        queueMicrotask(() => server.emit('error', error));
        return server;
      };
      server['close'] = () => server;
      return server;
    },
  };
});

describe('loopback listener on a forbidden port', () => {
  it('gives oauth/port_forbidden naming the port and the fix', async () => {
    const { startLoopbackListener } = await import('../../main/oauth/loopback-listener');
    const error = await startLoopbackListener({
      redirectUri: 'http://localhost:443/OauthRedirect',
      expectedState: 'S'.repeat(43),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'oauth/port_forbidden' });
    expect((error as Error).message).toMatch(/port 443\b/);
    expect((error as Error).message).toMatch(/above 1024/);
  });
});
