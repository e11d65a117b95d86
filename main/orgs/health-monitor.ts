import type { Handlers } from '../../preload/contract';
import { AppError } from '../errors';
import type { OrgContext } from './org-context';
import { canRenewFromEvidence, createNotifications, type Notifier } from './notifications';

/**
 * The timers of the background work, passed in from main/index.ts (the tests pass one they drive by hand):
 * `after` runs `run` once, `ms` from now, and returns what cancels it.
 */
export interface Scheduler {
  after(ms: number, run: () => Promise<void>): () => void;
}

/** How often the monitor looks at what the vault knows (no network): expiries to warn of or renew ahead of. */
export const WATCH_MS = 60_000;
/** How long before its known expiry an access token is renewed, for an org that asks for it. */
export const REFRESH_AHEAD_MS = 5 * 60_000;
/** How many orgs the periodic check asks at once. */
export const CHECK_CONCURRENCY = 4;

type OrgCheck = (id: string, signal: AbortSignal) => Promise<unknown>;

/** Runs `task` on every item, at most `limit` at a time; stops taking new items once `signal` is aborted. */
async function eachBounded<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Health in the background (docs/SECURITY.md, "What runs in the background"), all of it off until asked
 * except what only reads the vault:
 * - every {@link WATCH_MS}: each org that asks for it (`refreshAhead`) whose access token's known expiry is
 *   within {@link REFRESH_AHEAD_MS} is renewed through the one token lifecycle, unless a server said its
 *   refresh token is dead; then what the evidence says must be told is notified (main/orgs/notifications.ts);
 * - every `healthCheckMinutes` (Settings; 0: never): every org that does not already need a sign-in is
 *   checked (main/orgs/health-check.ts), {@link CHECK_CONCURRENCY} at a time, one run at a time, and then
 *   what the evidence says is notified.
 * Without a scheduler nothing runs by itself. `close` stops the timers and cancels a running check.
 */
export function createHealthMonitor(
  ctx: OrgContext,
  checkOrg: OrgCheck,
  options: { scheduler?: Scheduler | undefined; notifier?: Notifier | undefined },
) {
  const { vault, tokens, now } = ctx;
  const scheduler = options.scheduler ?? null;
  const notifications = createNotifications(vault, options.notifier ?? null, now);
  let closed = false;
  let cancelWatch: (() => void) | null = null;
  let cancelCheck: (() => void) | null = null;
  let checking: AbortController | null = null;

  /** Renews ahead of expiry every org that asks for it and can be renewed. */
  async function refreshAhead(): Promise<void> {
    const t = now();
    for (const { record, tokens: metas } of vault.listOrgs()) {
      if (closed) return;
      if (!record.refreshAhead || !canRenewFromEvidence(record, metas, t)) continue;
      const access = metas.find((m) => m.kind === 'access');
      if (!access || access.expiresAt === null || access.evidence.expirySource === null) continue;
      // A token that lives less than the lead is renewed a quarter of its life ahead, not on every look.
      const life = access.issuedAt === null ? Infinity : access.expiresAt - access.issuedAt;
      if (access.expiresAt - t > Math.min(REFRESH_AHEAD_MS, life / 4)) continue;
      try {
        await tokens.renew(record.id);
      } catch (e) {
        // A refusal is now the refresh token's evidence (and is notified below); offline is tried next time.
        if (!(e instanceof AppError)) throw e;
      }
    }
  }

  async function watch(): Promise<void> {
    cancelWatch = null;
    if (closed) return;
    try {
      await refreshAhead();
      if (!closed) await notifications.tellDue();
    } finally {
      if (!closed) cancelWatch = scheduler?.after(WATCH_MS, watch) ?? null;
    }
  }

  /** One periodic check of every org; a run never starts while one is running. */
  async function check(): Promise<void> {
    cancelCheck = null;
    if (closed || checking) return;
    const controller = new AbortController();
    checking = controller;
    try {
      const ids = vault
        .listOrgs()
        .filter((o) => !o.record.needsSignIn)
        .map((o) => o.record.id);
      await eachBounded(ids, CHECK_CONCURRENCY, controller.signal, async (id) => {
        try {
          await checkOrg(id, controller.signal);
        } catch (e) {
          // One org that cannot be checked (removed meanwhile, cancelled) does not stop the others.
          if (!(e instanceof AppError)) throw e;
        }
      });
      if (!closed) await notifications.tellDue();
    } finally {
      checking = null;
      armCheck();
    }
  }

  /** Arms the next periodic check from the settings, unless one runs (it arms the next when it ends). */
  function armCheck(): void {
    cancelCheck?.();
    cancelCheck = null;
    const minutes = vault.settings.healthCheckMinutes;
    if (closed || checking || !scheduler || minutes === 0) return;
    cancelCheck = scheduler.after(minutes * 60_000, check);
  }

  if (scheduler) cancelWatch = scheduler.after(WATCH_MS, watch);
  armCheck();

  return {
    /** The check interval may have changed: the next check runs a whole new interval from now. */
    settingsChanged: armCheck,
    handlers: {
      listNotifications: () => notifications.list(),
      clearNotifications: async () => {
        await notifications.clear();
        return null;
      },
    } satisfies Pick<Handlers, 'listNotifications' | 'clearNotifications'>,
    close(): void {
      closed = true;
      cancelWatch?.();
      cancelCheck?.();
      cancelWatch = cancelCheck = null;
      checking?.abort();
    },
  };
}
