/**
 * Carnet's clock. Deadlines (the 6-week opt-out window, suspensions, deletions, invitations) are computed
 * from it, so tests and the demo can move time forward (`advance`) without waiting. In production it is the
 * system clock.
 */
export class Clock {
  #offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  /** Moves the clock forward (demo mode and tests only: the HTTP route that calls it is demo-only). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.#offsetMs += ms;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }
}

export const DAY_MS = 86_400_000;
