/**
 * The in-memory estate (test/support/memory-store.ts) on the virtual clock, as RDS behaves over time: a
 * snapshot stays `creating` and a copy `copying` for as long as the workload says, with PercentProgress
 * rising with the time spent and AllocatedStorage set; then it becomes `available` at that very instant
 * (a timer of the scheduler), which is when RDS would send RDS-EVENT-0075 for a new snapshot. Every store
 * call is one API call of the invocation that makes it (bench/lambda-model.ts gives it its virtual time).
 */
import type { SnapshotInfo, SnapshotStore } from '../src/core/model/index.js';
import type { MemoryEstate } from '../test/support/memory-store.js';
import { currentInvocation } from './lambda-model.js';
import type { VirtualScheduler } from './virtual-scheduler.js';

/** What made a snapshot: a CreateDBClusterSnapshot, or a CopyDBClusterSnapshot (with its source). */
export type Making =
  | { readonly kind: 'create'; readonly snapshot: SnapshotInfo }
  | {
      readonly kind: 'copy';
      readonly snapshot: SnapshotInfo;
      readonly sourceArn: string;
      readonly sourceRegion: string;
    };

export interface TimedEstateOptions {
  /** AllocatedStorage (GiB) of every snapshot and copy. */
  readonly allocatedStorageGiB: number;
  /** How long a new snapshot or copy takes to become available, in virtual milliseconds. */
  readonly durationOf: (making: Making) => number;
  /** Called when a snapshot or copy becomes available, at that virtual instant. */
  readonly onAvailable?: (making: Making, at: number) => void;
  /** Called for each copy request, with the virtual time RDS receives it. */
  readonly onCopyRequested?: (copy: Extract<Making, { kind: 'copy' }>, at: number) => void;
}

interface Progress {
  readonly start: number;
  readonly durationMs: number;
}

const SNAPSHOT_RESULTS = new Set(['listSnapshots', 'getSnapshot', 'createSnapshot', 'copySnapshot']);
const IN_PROGRESS = new Set(['creating', 'copying']);

export class TimedEstate {
  private readonly progress = new Map<string, Progress>();

  constructor(
    readonly estate: MemoryEstate,
    private readonly scheduler: VirtualScheduler,
    private readonly options: TimedEstateOptions,
  ) {}

  /** The store of `region` for the account of the invocation that asks (`fallbackAccount` outside one). */
  store(region: string, fallbackAccount: string): SnapshotStore {
    const inner = this.estate.store(region, currentInvocation()?.account ?? fallbackAccount);
    return new Proxy(inner, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return async (...args: unknown[]) => {
          const at = currentInvocation()?.apiCall() ?? this.scheduler.now();
          const result: unknown = await value.apply(target, args);
          if (property === 'createSnapshot') {
            this.started({ kind: 'create', snapshot: result as SnapshotInfo }, at);
          }
          if (property === 'copySnapshot') {
            const input = args[0] as { sourceArn: string; sourceRegion: string };
            const copy = {
              kind: 'copy' as const,
              snapshot: result as SnapshotInfo,
              sourceArn: input.sourceArn,
              sourceRegion: input.sourceRegion,
            };
            this.options.onCopyRequested?.(copy, at);
            this.started(copy, at);
          }
          return SNAPSHOT_RESULTS.has(property) ? this.decorate(result) : result;
        };
      },
    });
  }

  /** Keeps the new snapshot in progress for its duration, then makes it available. */
  private started(making: Making, start: number): void {
    const { snapshot } = making;
    if (!IN_PROGRESS.has(snapshot.status)) return;
    const durationMs = Math.max(1, this.options.durationOf(making));
    this.progress.set(snapshot.arn, { start, durationMs });
    this.scheduler.at(start + durationMs, () => {
      const now = this.estate.find(snapshot.arn);
      // Deleted meanwhile (a cancelled copy), or already settled by someone else: nothing to announce.
      if (!now || !IN_PROGRESS.has(now.status)) return;
      this.estate.complete(snapshot.arn);
      this.options.onAvailable?.(making, this.scheduler.now());
    });
  }

  /** A snapshot as RDS describes it: with PercentProgress (whole percent) and AllocatedStorage. */
  private decorate(result: unknown): unknown {
    if (Array.isArray(result)) return result.map((item) => this.decorate(item));
    if (result === undefined || result === null) return result;
    const snapshot = result as SnapshotInfo;
    const progress = this.progress.get(snapshot.arn);
    let percentProgress = 100;
    if (IN_PROGRESS.has(snapshot.status)) {
      const elapsed = progress ? Math.max(0, this.scheduler.now() - progress.start) : 0;
      percentProgress = progress ? Math.min(99, Math.floor((100 * elapsed) / progress.durationMs)) : 0;
    }
    // allocatedStorageGiB: SnapshotInfo's field for AllocatedStorage (what a check sizes its wait from).
    return { ...snapshot, percentProgress, allocatedStorageGiB: this.options.allocatedStorageGiB };
  }
}
