/**
 * The demo's record of every snapshot's life, built by looking at the emulator after each execution
 * (at the virtual time of that moment): when each snapshot appeared, when it was first seen shared,
 * when it disappeared; and the destination's recovery point at every look.
 */
import type { SnapshotInfo } from '../core/model/model.js';
import { TAG } from '../core/model/tags.js';
import type { KeptSnapshot } from '../core/plan/plan.js';
import { isManagedByTool, snapshotFacts } from '../report/classify.js';
import { keptFields } from '../report/live.js';
import type { RecoveryPointSample, ReportSnapshot, SnapshotRole } from '../report/model.js';

export interface LedgerEntry {
  readonly key: string;
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterId: string;
  readonly role: SnapshotRole;
  readonly managed: boolean;
  readonly pointInTime: string;
  readonly createdAt: string;
  deletedAt: string | undefined;
  sharedAt: string | undefined;
  sharedWith: string | undefined;
  status: string;
  /** The `SnapshotTool:SourceSnapshot` tag of a copy. */
  readonly sourceSnapshot: string | undefined;
}

export class SnapshotLedger {
  readonly #entries = new Map<string, LedgerEntry>();
  readonly #recovery = new Map<string, RecoveryPointSample[]>();
  readonly #bestPointInTime = new Map<string, number>();

  /**
   * Records one complete listing of an account's manual snapshots in a region at virtual time `at`.
   * Entries of that region and account missing from the listing were deleted since the last look.
   */
  observe(at: Date, region: string, accountId: string, snapshots: readonly SnapshotInfo[]): void {
    const iso = at.toISOString();
    const present = new Set<string>();
    for (const info of snapshots) {
      const key = `${accountId}/${region}/${info.id}`;
      present.add(key);
      const sharedWith = info.tags[TAG.SharedWith];
      const existing = this.#entries.get(key);
      if (existing) {
        existing.status = info.status;
        if (sharedWith && !existing.sharedAt) {
          existing.sharedAt = iso;
          existing.sharedWith = sharedWith;
        }
        continue;
      }
      const facts = snapshotFacts(info);
      this.#entries.set(key, {
        key,
        id: info.id,
        arn: info.arn,
        region,
        accountId,
        clusterId: facts.clusterId,
        role: facts.role,
        managed: isManagedByTool(info),
        pointInTime: facts.pointInTime ?? iso,
        createdAt: iso,
        deletedAt: undefined,
        sharedAt: sharedWith ? iso : undefined,
        sharedWith,
        status: info.status,
        sourceSnapshot: info.tags[TAG.SourceSnapshot],
      });
    }
    for (const entry of this.#entries.values()) {
      if (
        entry.region === region &&
        entry.accountId === accountId &&
        !entry.deletedAt &&
        !present.has(entry.key)
      ) {
        entry.deletedAt = iso;
      }
    }
  }

  /**
   * Samples the recovery point of each cluster in `region` at `at`: the age of the newest available
   * copy before this look (how bad it got just before) and after it (what it is now).
   */
  sampleRecoveryPoint(at: Date, region: string, clusters: readonly string[], role: SnapshotRole): void {
    for (const clusterId of clusters) {
      const key = `${clusterId}\u0000${region}`;
      const samples = this.#recovery.get(key) ?? [];
      this.#recovery.set(key, samples);
      const before = this.#bestPointInTime.get(key);
      const newest = this.newest(clusterId, region, role);
      const after = newest ? Date.parse(newest.pointInTime) : undefined;
      const ageHours = (pit: number) => (at.getTime() - pit) / 3_600_000;
      if (before !== undefined) samples.push({ at: at.toISOString(), ageHours: ageHours(before) });
      if (after !== undefined && after !== before) {
        samples.push({ at: at.toISOString(), ageHours: ageHours(after) });
        this.#bestPointInTime.set(key, after);
      }
    }
  }

  /** The newest present, available managed snapshot of a cluster in a region with the given role. */
  newest(clusterId: string, region: string, role: SnapshotRole): LedgerEntry | undefined {
    let best: LedgerEntry | undefined;
    for (const e of this.#entries.values()) {
      if (e.clusterId !== clusterId || e.region !== region || e.role !== role || e.deletedAt) continue;
      if (e.status !== 'available') continue;
      if (!best || e.pointInTime > best.pointInTime) best = e;
    }
    return best;
  }

  entries(): LedgerEntry[] {
    return [...this.#entries.values()];
  }

  recoveryPoints(): { clusterId: string; region: string; samples: RecoveryPointSample[] }[] {
    return [...this.#recovery.entries()].map(([key, samples]) => {
      const [clusterId = '', region = ''] = key.split('\u0000');
      return { clusterId, region, samples };
    });
  }

  /** The report's snapshots; `kept` says why the ones still there are kept (the last entry per snapshot wins). */
  toReportSnapshots(kept: readonly KeptSnapshot[] = []): ReportSnapshot[] {
    const why = new Map(kept.map((k) => [`${k.region}/${k.snapshotId}`, k]));
    return this.entries().map((e) => ({
      id: e.id,
      region: e.region,
      accountId: e.accountId,
      clusterId: e.clusterId,
      role: e.role,
      pointInTime: e.pointInTime,
      createdAt: e.createdAt,
      deletedAt: e.deletedAt,
      sharedAt: e.sharedAt,
      sharedWith: e.sharedWith,
      status: e.deletedAt ? 'deleted' : e.status,
      ...keptFields(e.deletedAt ? undefined : why.get(`${e.region}/${e.id}`)),
    }));
  }
}
