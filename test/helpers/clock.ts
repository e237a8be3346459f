import type { Clock } from '../../server/domain/ports/system';

/** A clock tests move by hand, to reach expiries and lock-outs without waiting. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 10, 28, 2, 0, 0)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
}
