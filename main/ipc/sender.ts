import { originOf } from '../app-protocol';

/** What the sender check needs to know about the frame that sent an IPC message. */
export interface SenderInfo {
  /** The frame's URL, or null when the frame is gone. */
  url: string | null;
  /** True when the frame is the main frame of our own window. */
  isOurMainFrame: boolean;
}

/**
 * Only our own window's main frame, loaded from our own origin, may call the bridge: a sub-frame, another
 * origin or a `file:` page could be anyone's content (docs/SECURITY.md, "The window and the bridge").
 * `allowedOrigin` is exactly one origin: `app://renderer` for the built app, or the dev server's origin.
 */
export function isTrustedSender(sender: SenderInfo, allowedOrigin: string): boolean {
  if (!sender.isOurMainFrame || sender.url === null) return false;
  try {
    return originOf(sender.url) === allowedOrigin;
  } catch {
    return false;
  }
}
