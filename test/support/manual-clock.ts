/** A clock the test moves by hand, so passes can be simulated over days without waiting. */
import type { Clock } from '../../src/core/model/ports.js';

export interface Duration {
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
}

export function durationMs(d: Duration): number {
  return ((((d.days ?? 0) * 24 + (d.hours ?? 0)) * 60 + (d.minutes ?? 0)) * 60 + (d.seconds ?? 0)) * 1000;
}

export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2025-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advance(by: Duration): Date {
    this.current += durationMs(by);
    return this.now();
  }
}
