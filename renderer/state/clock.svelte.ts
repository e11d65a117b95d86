/** A ticking clock for live countdowns. One per app; components read `now`. */
export class Clock {
  #now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | null = null;

  get now(): number {
    return this.#now;
  }

  start(intervalMs = 1000): () => void {
    this.stop();
    this.#timer = setInterval(() => (this.#now = Date.now()), intervalMs);
    return () => this.stop();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
