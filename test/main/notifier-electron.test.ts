/** The desktop notifier over Electron's `Notification` (main/notifier-electron.ts), with a fake class. */
import { EventEmitter } from 'node:events';
import type { BrowserWindow, Notification } from 'electron';
import { describe, expect, it } from 'vitest';
import { electronNotifier, type NotificationClass } from '../../main/notifier-electron';

function fakeClass(supported: boolean) {
  const made: (EventEmitter & { options: { title: string; body: string }; shown: boolean })[] = [];
  class Fake extends EventEmitter {
    shown = false;
    constructor(readonly options: { title: string; body: string }) {
      super();
      made.push(this);
    }
    show() {
      this.shown = true;
    }
    static isSupported = () => supported;
  }
  return { Notification: Fake as unknown as NotificationClass & { prototype: Notification }, made };
}

function fakeWindow() {
  const calls: string[] = [];
  const win = {
    isMinimized: () => true,
    restore: () => void calls.push('restore'),
    show: () => void calls.push('show'),
    focus: () => void calls.push('focus'),
  } as unknown as BrowserWindow;
  return { win, calls };
}

describe('electronNotifier', () => {
  it('shows the title and body, and a click brings the window forward', () => {
    const { Notification, made } = fakeClass(true);
    const { win, calls } = fakeWindow();
    electronNotifier(Notification, () => win).show({ title: 'Acme Prod', body: 'the refresh token…', orgId: 'o1' });
    expect(made).toHaveLength(1);
    expect(made[0]!.options).toEqual({ title: 'Acme Prod', body: 'the refresh token…' });
    expect(made[0]!.shown).toBe(true);
    made[0]!.emit('click');
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });

  it('shows nothing where the system has no notifications, and a click without a window does nothing', () => {
    const none = fakeClass(false);
    electronNotifier(none.Notification, () => null).show({ title: 'A', body: 'b', orgId: 'o' });
    expect(none.made).toEqual([]);
    const some = fakeClass(true);
    electronNotifier(some.Notification, () => null).show({ title: 'A', body: 'b', orgId: 'o' });
    expect(() => some.made[0]!.emit('click')).not.toThrow();
  });
});
