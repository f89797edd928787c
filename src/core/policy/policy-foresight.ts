/**
 * Quota foresight for a whole configuration: the source policy on the source's schedule in the source region,
 * and the destination policy on the same schedule (each copy follows a source snapshot) in the destination
 * region, per cluster and for every selected cluster, against each region's manual snapshot quota.
 */
import type { Policies } from './backup-policy.js';
import { type RegionForesight, regionForesight } from './quota-foresight.js';
import { keepPolicyOf } from './retention.js';

export interface ForesightContext {
  /** Clusters selected (unknown offline: one). */
  readonly clusters?: number | undefined;
  readonly sourceQuota?: number | undefined;
  readonly destinationQuota?: number | undefined;
}

export function policyForesight(config: Policies, context: ForesightContext = {}): RegionForesight[] {
  const source = config.Source;
  if (source === undefined) return [];
  const cadence = {
    schedule: source.BackupSchedule,
    intervalHours: source.BackupInterval,
    timeZone: source.ScheduleTimezone,
  };
  const found: RegionForesight[] = [];
  if (source.DeleteOldSnapshots) {
    found.push(
      regionForesight({
        region: source.Region,
        side: 'source',
        policy: { retentionDays: source.RetentionDays, ...keepPolicyOf(source) },
        cadence,
        clusters: context.clusters,
        quota: context.sourceQuota,
      }),
    );
  }
  const destination = config.Destination;
  if (destination?.DeleteOldSnapshots) {
    found.push(
      regionForesight({
        region: destination.Region,
        side: 'destination',
        policy: { retentionDays: destination.RetentionDays, ...keepPolicyOf(destination) },
        cadence,
        clusters: context.clusters,
        quota: context.destinationQuota,
      }),
    );
  }
  return found;
}
