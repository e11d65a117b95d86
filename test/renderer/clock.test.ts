import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Clock } from '../../renderer/state/clock.svelte';

describe('Clock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('reads the time when made, and ticks only while started', () => {
    const clock = new Clock();
    expect(clock.now).toBe(1_000_000);
    vi.advanceTimersByTime(5_000);
    expect(clock.now).toBe(1_000_000);
    const stop = clock.start(1_000);
    vi.advanceTimersByTime(2_500);
    expect(clock.now).toBe(1_002_000 + 5_000);
    stop();
    vi.advanceTimersByTime(10_000);
    expect(clock.now).toBe(1_007_000);
  });

  it('starting again replaces the old timer instead of adding a second one', () => {
    const clock = new Clock();
    clock.start(1_000);
    clock.start(1_000);
    expect(vi.getTimerCount()).toBe(1);
    clock.stop();
    expect(vi.getTimerCount()).toBe(0);
    clock.stop();
  });
});
