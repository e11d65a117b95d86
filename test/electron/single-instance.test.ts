/**
 * Starting the app a second time with the same user-data folder (the single-instance lock is kept there) hands
 * over to the running one: the new process exits by itself, and the first sees `second-instance` and focuses
 * its window.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeElectron, launchApp, runAnotherInstance, type LaunchedApp } from './launch';

/** Recorded in main by the test: the argv of each `second-instance`, and calls of the window's focus(). */
interface SecondInstanceRecord {
  argv: string[][];
  focusCalls: number;
}

const MARKER = '--sfti-smoke-second-instance';

describeElectron('a second instance', () => {
  let app: LaunchedApp;

  beforeAll(async () => {
    app = await launchApp();
    await app.page.getByRole('button', { name: 'Add your first org' }).waitFor();
    // Listeners run in the order they were added, so the app's own handler has run when this one records.
    const hooked = await app.electronApp.evaluate(({ app: electronApp, BrowserWindow }) => {
      const record: SecondInstanceRecord = { argv: [], focusCalls: 0 };
      (globalThis as unknown as { __smokeSecondInstance: SecondInstanceRecord }).__smokeSecondInstance = record;
      electronApp.on('second-instance', (_event, argv) => record.argv.push(argv));
      const win = BrowserWindow.getAllWindows()[0];
      if (!win) return false;
      const focus = win.focus.bind(win);
      win.focus = () => {
        record.focusCalls += 1;
        focus();
      };
      return true;
    });
    expect(hooked, 'the first instance has a window to hook').toBe(true);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('exits by itself, and the first instance sees second-instance and focuses its window', async () => {
    const second = await runAnotherInstance(app.profile, [MARKER], { timeoutMs: 30_000 });
    expect(second.timedOut, `the second instance did not exit within 30 s:\n${second.output}`).toBe(false);
    expect(second.code, second.output).toBe(0);

    const recorded = () =>
      app.electronApp.evaluate(
        () => (globalThis as unknown as { __smokeSecondInstance: SecondInstanceRecord }).__smokeSecondInstance,
      );
    await expect.poll(async () => (await recorded()).argv.length, { timeout: 10_000 }).toBe(1);
    const { argv, focusCalls } = await recorded();
    expect(argv[0]).toContain(MARKER);
    expect(focusCalls).toBeGreaterThanOrEqual(1);

    const windows = await app.electronApp.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => ({ visible: w.isVisible(), minimized: w.isMinimized() })),
    );
    expect(windows).toEqual([{ visible: true, minimized: false }]);
    expect(app.running()).toBe(true);
  });
});
