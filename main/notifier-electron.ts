import type { BrowserWindow, Notification as ElectronNotification } from 'electron';
import type { Notifier } from './orgs/notifications';

/** What the adapter needs of Electron's `Notification` class. */
export interface NotificationClass {
  new (options: { title: string; body: string; silent?: boolean }): ElectronNotification;
  isSupported(): boolean;
}

/**
 * Desktop notifications through Electron's `Notification` (the operating system's notification centre).
 * Clicking one brings the app's window forward. A system without notifications shows none.
 */
export function electronNotifier(Notification: NotificationClass, getWindow: () => BrowserWindow | null): Notifier {
  // Electron forgets a notification's click handler when the object is collected: keep each until it closes.
  const shown = new Set<ElectronNotification>();
  return {
    show({ title, body }) {
      if (!Notification.isSupported()) return;
      const note = new Notification({ title, body });
      shown.add(note);
      note.on('click', () => {
        const win = getWindow();
        if (!win) return;
        if (win.isMinimized()) win.restore();
        win.show();
        win.focus();
      });
      note.on('close', () => shown.delete(note));
      note.show();
    },
  };
}
