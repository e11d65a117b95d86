/**
 * Timers a test drives (main/orgs/health-monitor.ts `Scheduler`): nothing runs until `advance`, which moves
 * the clock and runs every timer that falls due, in time order, awaiting each, so the test reads the outcome
 * right after. `now` is the clock: pass it to the app and to the Salesforce double so that tokens expire on it.
 */
import type { Scheduler } from '../../main/orgs/health-monitor';
import type { Notifier } from '../../main/orgs/notifications';

interface Timer {
  at: number;
  ms: number;
  run: () => Promise<void>;
  seq: number;
}

export class ManualScheduler implements Scheduler {
  readonly #start = Date.now();
  #elapsed = 0;
  #seq = 0;
  #timers: Timer[] = [];

  readonly now = (): number => this.#start + this.#elapsed;

  after(ms: number, run: () => Promise<void>): () => void {
    const timer: Timer = { at: this.#elapsed + ms, ms, run, seq: ++this.#seq };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** The delays of the timers still armed (e.g. 60000 for the watch, 900000 for a 15-minute check). */
  pending(): number[] {
    return this.#timers.map((t) => t.ms).sort((a, b) => a - b);
  }

  /** Moves the clock by `ms`, running each timer that falls due (and those they arm) as its time comes. */
  async advance(ms: number): Promise<void> {
    const end = this.#elapsed + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#elapsed = Math.max(this.#elapsed, due.at);
      await due.run();
    }
    this.#elapsed = end;
  }
}

/** A notifier that records what it was asked to show. */
export function recordingNotifier(): Notifier & { shown: { title: string; body: string; orgId: string }[] } {
  const shown: { title: string; body: string; orgId: string }[] = [];
  return { shown, show: (note) => void shown.push(note) };
}
