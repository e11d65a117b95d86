/**
 * What the native error dialog says when the app cannot start: the cause and, for a file-system error, the
 * file involved and what to do. A packaged app has no console, so this is the only place the user sees it.
 */
export function describeStartupFailure(e: unknown): { title: string; message: string } {
  const title = 'SF Token Inspector could not start';
  const err = e as Partial<NodeJS.ErrnoException> | null;
  if (err && typeof err === 'object' && typeof err.code === 'string' && typeof err.path === 'string') {
    const why: Record<string, string> = {
      EACCES: 'the app is not allowed to read or write it',
      EPERM: 'the system refused access to it',
      ENOSPC: 'the disk is full',
      EROFS: 'it is on a read-only disk',
      EISDIR: 'a folder is where a file should be',
      ENOTDIR: 'a file is where a folder should be',
    };
    return {
      title,
      message: `The app could not use ${err.path}: ${why[err.code] ?? err.code} (${err.code}). Fix the file or folder's permissions or free some space, then start the app again.`,
    };
  }
  const detail = e instanceof Error ? e.message : String(e);
  return { title, message: `${detail}\n\nStart the app again; if this keeps happening, report it with this message.` };
}

/** Shows the failure in a native dialog (the only place a packaged app can say it), then quits with code 1. */
export function reportStartupFailure(
  e: unknown,
  electron: {
    dialog: { showErrorBox(title: string, content: string): void };
    app: { quit(): void };
  },
  log: (...args: unknown[]) => void = console.error,
): void {
  log('The app could not start:', e);
  const { title, message } = describeStartupFailure(e);
  electron.dialog.showErrorBox(title, message);
  process.exitCode = 1;
  electron.app.quit();
}
