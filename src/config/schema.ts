/**
 * The one configuration schema: the original tool's parameter names and meanings, validated with zod.
 * The CLI (YAML/JSON files), the Lambda events and the CDK props all go through `parseConfig`.
 */
import * as z from 'zod';
import { copyRegionsOf, destinationId } from '../core/copies/destinations.js';
import {
  AWS_REGIONS,
  type AwsRegion,
  crossRegionCopyBarrier,
  isAwsRegion,
  partitionOf,
} from '../core/copies/regions.js';
import { ConfigError, type ConfigIssue } from '../core/model/errors.js';
import { TAG } from '../core/model/tags.js';
import { defaultRecoveryPointObjectiveHours } from '../core/policy/recovery-point.js';
import { checkEventBridgeCron, longestRunGap, type RunGap } from '../core/policy/schedule.js';
import { isTimeZone, localDay, offsetAt, UTC_ZONE, wallClock } from '../core/policy/zone.js';

export const ALL_CLUSTERS = 'ALL_CLUSTERS';
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Defaults written down once; the README and the CloudFormation parameters repeat them. */
export const DEFAULTS = {
  BackupInterval: 24,
  BackupSchedule: '0 1 * * ? *',
  RetentionDays: 7,
  DeleteOldSnapshots: true,
  ShareSnapshots: false,
  LogLevel: 'ERROR' as LogLevel,
  MaxDeletesPerPass: 20,
  MaxWaitMinutes: 720,
  ScheduleTimezone: UTC_ZONE,
  KeepLast: 0,
  KeepDaily: 0,
  KeepWeekly: 0,
  KeepMonthly: 0,
  KeepYearly: 0,
} as const;

/** KeepLast and the GFS counts: each 0 (off) or a count of snapshots, periods. */
export const KEEP_RULES = ['KeepLast', 'KeepDaily', 'KeepWeekly', 'KeepMonthly', 'KeepYearly'] as const;
export const MAX_KEEP = 100_000;

/** At most this many items in Source.Destinations (AWS Backup's copy actions per rule, RDS's copy limit). */
export const MAX_DESTINATIONS = 5;

/** ReleaseStuckDestinationsAfterHours' range (hours). */
export const RELEASE_STUCK_HOURS_RANGE = { min: 1, max: 8760 } as const;

/** MaxWaitMinutes' range (minutes): the template parameter's AllowedPattern is built from it. */
export const MAX_WAIT_MINUTES_RANGE = { min: 5, max: 10080 } as const;

/**
 * Reports a refusal of the value at `path` (relative to the value refined). Only the message and the path
 * reach the user (see toConfigIssues).
 */
function refuse(ctx: z.RefinementCtx, message: string, path: PropertyKey[] = []): void {
  // Stryker disable next-line StringLiteral: equivalent, zod's issue code of a refusal is never read
  ctx.addIssue({ code: 'custom', message, path });
}

const booleanParam = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const upper = value.trim().toUpperCase();
  if (upper === 'TRUE') return true;
  if (upper === 'FALSE') return false;
  refuse(ctx, 'must be TRUE or FALSE');
  return z.NEVER;
});

function keepParam(unit: string) {
  return integerParam(0, MAX_KEEP, unit);
}

function integerParam(min: number, max: number, unit: string) {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    // A number or a text alike must read as digits only (spaces around a text allowed): no fraction, no sign.
    const n = /^\s*\d+\s*$/.test(String(value)) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      refuse(ctx, `must be a whole number of ${unit} from ${min} to ${max}`);
      return z.NEVER;
    }
    return n;
  });
}

const region = z.string().refine(isAwsRegion, {
  message: `must be an AWS region name such as us-east-1 (one of ${AWS_REGIONS.join(', ')})`,
});

const accountId = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = String(value);
  if (!/^\d{12}$/.test(text)) {
    refuse(ctx, 'must be a 12-digit AWS account id (quote it in YAML: "012345678901")');
    return z.NEVER;
  }
  return text;
});

// Cluster identifiers hold letters, digits and hyphens; a pattern may add regular-expression
// syntax, and nothing else (no spaces, quotes or shell characters).
const PATTERN_CHARS = /^[A-Za-z0-9\-^$.*+?()[\]{}|\\,]+$/;
const pattern = z
  .string()
  .min(1, { message: 'must not be empty' })
  .max(255, { message: 'must be at most 255 characters' })
  .superRefine((value, ctx) => {
    if (value === ALL_CLUSTERS) return;
    if (!PATTERN_CHARS.test(value)) {
      refuse(
        ctx,
        `must be ${ALL_CLUSTERS} or a regular expression of letters, digits, hyphens and regex characters (^$.*+?()[]{}|\\,)`,
      );
      return;
    }
    try {
      new RegExp(value);
    } catch (error) {
      refuse(ctx, `is not a valid regular expression: ${(error as Error).message}`);
    }
  });

const cron = z.string().superRefine((value, ctx) => {
  const check = checkEventBridgeCron(value);
  if (!check.ok) {
    refuse(ctx, `must be a 6-field EventBridge cron expression such as "0 0,8,16 * * ? *": ${check.reason}`);
  }
});

const KMS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/;
const KMS_ID =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]+)$/;
const kmsKey = z.string().refine((v) => KMS_ARN.test(v) || KMS_ID.test(v), {
  message: 'must be a KMS key ARN, key id or alias (alias/name)',
});

/** A key named by its key ARN (not an alias): how another account's key must be named. */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/[A-Za-z0-9-]+$/;

/** The region named in a KMS key ARN, if the key is given as an ARN. */
export function kmsKeyRegion(key: string): string | undefined {
  return KMS_ARN.exec(key)?.[1];
}

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/**
 * The tags the tool reads to decide (who made a snapshot, its point in time, whether it was shared...):
 * set from the configuration they would make it skip a share, or expire snapshots that are not its own.
 */
const TOOL_TAGS = new Set<string>(Object.values(TAG).map((key) => key.toLowerCase()));
const isToolTag = (key: string) => TOOL_TAGS.has(key.toLowerCase()) || /^snapshottool:/i.test(key);
const tags = z.record(z.string(), z.string()).superRefine((value, ctx) => {
  for (const [key, tagValue] of Object.entries(value)) {
    if (key.length < 1 || key.length > 128 || !TAG_CHARS.test(key) || /^aws:/i.test(key)) {
      refuse(ctx, 'tag keys are 1-128 letters, digits, spaces or _.:/=+-@ and must not start with aws:', [
        key,
      ]);
    } else if (isToolTag(key)) {
      refuse(
        ctx,
        `is a tag the tool sets and reads itself (${Object.values(TAG).join(', ')}): choose another key`,
        [key],
      );
    } else if (tagValue.length > 256 || !TAG_CHARS.test(tagValue)) {
      refuse(ctx, 'tag values are at most 256 letters, digits, spaces or _.:/=+-@', [key]);
    }
  }
});

/**
 * ClusterTags: a mapping of tag key to the value a cluster must carry (`*` for any), or the same as text
 * `key=value,key2=*` (what a CloudFormation parameter can carry). Keys and values follow RDS's tag rules.
 */
const clusterTags = z
  .union([z.record(z.string(), z.string()), z.string()])
  .transform((value, ctx) => {
    if (typeof value !== 'string') return value;
    const parsed: Record<string, string> = {};
    if (value.trim() === '') return parsed;
    for (const pair of value.split(',')) {
      const at = pair.indexOf('=');
      if (at <= 0) {
        refuse(
          ctx,
          `"${pair}" is not key=value: write ClusterTags as a mapping, or as text such as team=db,env=*`,
        );
        return z.NEVER;
      }
      parsed[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
    return parsed;
  })
  .superRefine((value, ctx) => {
    for (const [key, tagValue] of Object.entries(value)) {
      if (key.length < 1 || key.length > 128 || !TAG_CHARS.test(key) || /^(aws|rds):/i.test(key)) {
        refuse(
          ctx,
          'tag keys RDS accepts are 1-128 letters, digits, spaces or _.:/=+-@ and do not start with aws: or rds:',
          [key],
        );
      } else if (tagValue.length > 256 || !TAG_CHARS.test(tagValue.replace(/^\*$/, ''))) {
        refuse(
          ctx,
          'tag values RDS accepts are at most 256 letters, digits, spaces or _.:/=+-@ (or * for any value)',
          [key],
        );
      }
    }
  });

/** A regular expression of cluster identifiers to leave out (ALL_CLUSTERS makes no sense here). */
const excludePattern = pattern.refine((value) => value !== ALL_CLUSTERS, {
  message: `must be a regular expression; ${ALL_CLUSTERS} would leave every cluster out`,
});

const timeZone = z.string().refine(isTimeZone, {
  message: 'must be an IANA time zone name such as UTC, Europe/Berlin or America/New_York',
});

const logLevel = z
  .string()
  .transform((v) => v.toUpperCase())
  .refine((v): v is LogLevel => (LOG_LEVELS as readonly string[]).includes(v), {
    message: `must be one of ${LOG_LEVELS.join(', ')}`,
  });

/** One item of Source.Destinations: where copies go (Region) and/or who they are shared with (Account). */
export const DestinationItemSchema = z.strictObject({
  /** Region of the copies; Source.Region itself with an Account is a share in place. */
  // Stryker disable next-line StringLiteral: wording only, the description is metadata nothing reads
  Region: region.describe('Region of the copies; Source.Region itself with an Account is a share in place'),
  /** Account the snapshots (in Source.Region) or the copies (in another Region) are shared with. */
  Account: accountId.optional().describe(
    // Stryker disable next-line StringLiteral: wording only, the description is metadata nothing reads
    'Account the snapshots or their copies in Region are shared with (12 digits, quoted)',
  ),
  /** Key in Region for the copies made there (required when the snapshots are encrypted). */
  KmsKeyDestination: kmsKey.optional().describe(
    // Stryker disable next-line StringLiteral: wording only, the description is metadata nothing reads
    'KMS key (ARN or alias ARN) in Region for the copies made there; required for encrypted snapshots',
  ),
});

const destinations = z
  .array(DestinationItemSchema)
  .min(1, { message: `must list 1 to ${MAX_DESTINATIONS} destinations` })
  .max(MAX_DESTINATIONS, { message: `must list 1 to ${MAX_DESTINATIONS} destinations` });

export const SourceSchema = z.strictObject({
  /** Region of the clusters to back up. */
  Region: region,
  /** Regex matched (searched) against cluster identifiers; ALL_CLUSTERS for every cluster. */
  ClusterNamePattern: pattern,
  /** Clusters whose identifier this regex matches are never selected. */
  ExcludeClusterPattern: excludePattern.optional(),
  /** Tags (key to value, `*` for any) a cluster must all carry to be selected; AND with ClusterNamePattern. */
  ClusterTags: clusterTags.optional(),
  /** Hours between snapshots: one is taken only when the latest is older. */
  BackupInterval: integerParam(1, 8760, 'hours').default(DEFAULTS.BackupInterval),
  /** EventBridge cron (6 fields, in ScheduleTimezone): when the tool runs. */
  BackupSchedule: cron.default(DEFAULTS.BackupSchedule),
  /** IANA time zone of BackupSchedule and of the days, weeks, months and years of retention. */
  ScheduleTimezone: timeZone.default(DEFAULTS.ScheduleTimezone),
  /** Days a snapshot is kept at the source. */
  RetentionDays: integerParam(1, 36500, 'days').default(DEFAULTS.RetentionDays),
  /** TRUE deletes the tool's snapshots older than RetentionDays. */
  DeleteOldSnapshots: booleanParam.default(DEFAULTS.DeleteOldSnapshots),
  /** Also keep the N newest snapshots (0: off). */
  KeepLast: keepParam('snapshots').default(DEFAULTS.KeepLast),
  /** Also keep the newest snapshot of each of the N most recent days that have one, in ScheduleTimezone. */
  KeepDaily: keepParam('days').default(DEFAULTS.KeepDaily),
  /** Also keep the newest snapshot of each of the N most recent ISO weeks that have one. */
  KeepWeekly: keepParam('weeks').default(DEFAULTS.KeepWeekly),
  /** Also keep the newest snapshot of each of the N most recent calendar months that have one. */
  KeepMonthly: keepParam('months').default(DEFAULTS.KeepMonthly),
  /** Also keep the newest snapshot of each of the N most recent calendar years that have one. */
  KeepYearly: keepParam('years').default(DEFAULTS.KeepYearly),
  /** TRUE copies snapshots to DestinationRegion and shares them with DestinationAccount. */
  ShareSnapshots: booleanParam.default(DEFAULTS.ShareSnapshots),
  /** Region that receives the disaster-recovery copies. */
  DestinationRegion: region.optional(),
  /** Account the snapshots (or their copies) are shared with. */
  DestinationAccount: accountId.optional(),
  /** Customer managed key in the source region, used to re-encrypt aws/rds-key snapshots before sharing. */
  KmsKeySource: kmsKey.optional(),
  /** Key in DestinationRegion used for encrypted copies there. */
  KmsKeyDestination: kmsKey.optional(),
  /**
   * The destinations (1 to 5): each a Region, an Account, or both (copy then share there), with the key of
   * the copies. The list form of DestinationRegion / DestinationAccount / KmsKeyDestination (not both forms).
   */
  Destinations: destinations.optional().describe(
    // Stryker disable next-line StringLiteral: wording only, the description is metadata nothing reads
    'Up to 5 destinations {Region, Account?, KmsKeyDestination?}; the list form of DestinationRegion/DestinationAccount/KmsKeyDestination',
  ),
  /**
   * Hours after which a destination that has not received a snapshot's copy (or share) stops keeping that
   * snapshot at the source (default: off, a snapshot is kept until every destination has it).
   */
  ReleaseStuckDestinationsAfterHours: integerParam(
    RELEASE_STUCK_HOURS_RANGE.min,
    RELEASE_STUCK_HOURS_RANGE.max,
    'hours',
  )
    .optional()
    .describe(
      // Stryker disable next-line StringLiteral: wording only, the description is metadata nothing reads
      'Hours after which a snapshot a destination has still not received is no longer kept for it at the source (default off)',
    ),
  /** Log level of the functions. */
  LogLevel: logLevel.default(DEFAULTS.LogLevel),
  /** Tags added to every snapshot the tool creates. */
  Tags: tags.optional(),
  /** At most this many snapshots are deleted in one pass, so a mistaken setting cannot wipe a history at once. */
  MaxDeletesPerPass: integerParam(1, 1000, 'snapshots').default(DEFAULTS.MaxDeletesPerPass),
  /** Minutes a snapshot or copy may stay in progress before the run fails with its name. */
  MaxWaitMinutes: integerParam(MAX_WAIT_MINUTES_RANGE.min, MAX_WAIT_MINUTES_RANGE.max, 'minutes').default(
    DEFAULTS.MaxWaitMinutes,
  ),
  /** Hours the recovery point may age before the stack's alarm fires (default BackupInterval x 2). */
  RecoveryPointObjectiveHours: integerParam(1, 17520, 'hours').optional(),
});

export const DestinationSchema = z.strictObject({
  /** Region of the copies (the destination side's own region). */
  Region: region,
  /** Regex matched against the source cluster of each copy; ALL_CLUSTERS for every copy. */
  SnapshotPattern: pattern,
  /** Days a copy is kept; not lower than the source's RetentionDays. */
  RetentionDays: integerParam(1, 36500, 'days').default(DEFAULTS.RetentionDays),
  /** TRUE deletes the tool's copies older than RetentionDays. */
  DeleteOldSnapshots: booleanParam.default(DEFAULTS.DeleteOldSnapshots),
  /** Also keep the N newest snapshots (0: off). */
  KeepLast: keepParam('snapshots').default(DEFAULTS.KeepLast),
  /** Also keep the newest snapshot of each of the N most recent days that have one, in ScheduleTimezone. */
  KeepDaily: keepParam('days').default(DEFAULTS.KeepDaily),
  /** Also keep the newest snapshot of each of the N most recent ISO weeks that have one. */
  KeepWeekly: keepParam('weeks').default(DEFAULTS.KeepWeekly),
  /** Also keep the newest snapshot of each of the N most recent calendar months that have one. */
  KeepMonthly: keepParam('months').default(DEFAULTS.KeepMonthly),
  /** Also keep the newest snapshot of each of the N most recent calendar years that have one. */
  KeepYearly: keepParam('years').default(DEFAULTS.KeepYearly),
  /** Key in this region for copies of snapshots shared from another account. */
  KmsKeyDestination: kmsKey.optional(),
  /** Only copies of snapshots from this source region are managed (defaults to Source.Region when present). */
  SourceRegion: region.optional(),
  /** Only snapshots shared by this account are copied and managed (cross-account). */
  SourceAccount: accountId.optional(),
  /**
   * Cross-account: ARN of SourceAccount's KMS key that encrypts the snapshots it shares (in this region);
   * its key policy must admit this account (docs/deployment.md). Only with SourceAccount.
   */
  SharedSnapshotsKmsKey: z
    .string()
    .refine((v) => KMS_KEY_ARN.test(v), {
      message: "must be the ARN of the source account's key (arn:aws:kms:<region>:<account>:key/<id>)",
    })
    .optional(),
  /** EventBridge cron (6 fields, in ScheduleTimezone) of the destination job. */
  Schedule: cron.default('0 * * * ? *'),
  /** IANA time zone of Schedule and of the days, weeks, months and years of retention. */
  ScheduleTimezone: timeZone.default(DEFAULTS.ScheduleTimezone),
  LogLevel: logLevel.default(DEFAULTS.LogLevel),
  MaxDeletesPerPass: integerParam(1, 1000, 'snapshots').default(DEFAULTS.MaxDeletesPerPass),
  MaxWaitMinutes: integerParam(MAX_WAIT_MINUTES_RANGE.min, MAX_WAIT_MINUTES_RANGE.max, 'minutes').default(
    DEFAULTS.MaxWaitMinutes,
  ),
  /**
   * Hours the newest copy may age before the stack's alarm fires
   * (default Source.BackupInterval x 2, or twice the default BackupInterval without a Source block).
   */
  RecoveryPointObjectiveHours: integerParam(1, 17520, 'hours').optional(),
});

/** Defaults of the RestoreDrill block. */
export const DRILL_DEFAULTS = {
  Schedule: '0 3 ? * SUN *',
  ScheduleTimezone: 'UTC',
  InstanceClass: 'db.serverless',
  MaxRestoreMinutes: 120,
} as const;

const SECURITY_GROUP = /^sg-[0-9a-f]{8,17}$/;
/** A list of security group ids, or one comma-separated text (as a CloudFormation parameter passes it). */
const securityGroups = z.union([z.array(z.string()), z.string()]).transform((value, ctx) => {
  const ids = (typeof value === 'string' ? value.split(',') : value).map((id) => id.trim()).filter(Boolean);
  const bad = ids.filter((id) => !SECURITY_GROUP.test(id));
  if (bad.length > 0 || ids.length > 5) {
    refuse(
      ctx,
      `must be at most 5 security group ids such as sg-0123456789abcdef0${bad.length > 0 ? ` (not ${bad.join(', ')})` : ''}`,
    );
    return z.NEVER;
  }
  return ids;
});

export const RestoreDrillSchema = z.strictObject({
  /** Region of the snapshots to restore (default: the destination region, else the source region). */
  Region: region.optional(),
  /** Regex searched in the source cluster of each snapshot; ALL_CLUSTERS for every cluster. */
  SnapshotPattern: pattern,
  /** EventBridge cron (6 fields) of the drill. */
  Schedule: cron.default(DRILL_DEFAULTS.Schedule),
  /** Time zone of Schedule. */
  ScheduleTimezone: timeZone.default(DRILL_DEFAULTS.ScheduleTimezone),
  /** Subnet group of the restored cluster (default: the region's default VPC). */
  DBSubnetGroupName: z
    .string()
    .regex(/^[A-Za-z0-9 ._-]{1,255}$/, {
      message: 'must be a DB subnet group name (letters, digits, spaces, ._-)',
    })
    .optional(),
  /** Security groups of the restored cluster (default: the VPC's default group). */
  VpcSecurityGroupIds: securityGroups.optional(),
  /** Instance class of the one instance (db.serverless runs Serverless v2 at its minimum capacity). */
  InstanceClass: z
    .string()
    .regex(/^db\.[a-z0-9]+(\.[a-z0-9]+)?$/, {
      message: 'must be an RDS instance class such as db.serverless or db.r6g.large',
    })
    .default(DRILL_DEFAULTS.InstanceClass),
  /** Minutes the restore (cluster and instance available) may take before the drill fails. */
  MaxRestoreMinutes: integerParam(10, 1440, 'minutes').default(DRILL_DEFAULTS.MaxRestoreMinutes),
  LogLevel: logLevel.default(DEFAULTS.LogLevel),
});

export const ConfigSchema = z
  .strictObject({
    Source: SourceSchema.optional(),
    Destination: DestinationSchema.optional(),
    RestoreDrill: RestoreDrillSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const { Source: source, Destination: destination, RestoreDrill: drill } = config;
    if (!source && !destination && !drill) {
      refuse(ctx, 'a Source or a Destination block is required', ['Source']);
    }
    if (drill && drill.Region === undefined && !source && !destination) {
      refuse(ctx, 'is required when the file has no Source or Destination block to take it from', [
        'RestoreDrill',
        'Region',
      ]);
    }
    if (source) checkSource(source, ctx);
    if (source && destination) {
      // Keeping fewer copies than the source keeps snapshots is a cost choice (a warning, see configWarnings),
      // except where this source copies into Destination.Region and the destination deletes: the source's
      // copy job would copy again each snapshot the destination deleted while the source still keeps it.
      if (recopiesWhatDestinationDeletes(source, destination)) {
        for (const rule of RETENTION_RULES) {
          if (destination[rule] < source[rule]) {
            refuse(
              ctx,
              `is ${destination[rule]}, lower than Source.${rule} (${source[rule]}): the source copies into ${destination.Region} each snapshot it still keeps and has no copy of there, so every copy deleted early would be copied again, pass after pass; keep at least Source.${rule} there, or set Destination.DeleteOldSnapshots FALSE`,
              ['Destination', rule],
            );
          }
        }
      }
      // The objective in effect (its own, else twice the source's interval) is never below the interval.
      if (recoveryPointObjectiveHours(destination, source.BackupInterval) < source.BackupInterval) {
        refuse(
          ctx,
          `must not be below Source.BackupInterval (${source.BackupInterval} hours): a copy arrives at best once per interval`,
          ['Destination', 'RecoveryPointObjectiveHours'],
        );
      }
      if (source.DestinationRegion && destination.Region !== source.DestinationRegion) {
        refuse(ctx, `must equal Source.DestinationRegion (${source.DestinationRegion})`, [
          'Destination',
          'Region',
        ]);
      }
      if (source.Destinations) {
        const regions = [...new Set(source.Destinations.map((d) => d.Region))];
        if (!regions.includes(destination.Region)) {
          refuse(ctx, `must be the Region of one of Source.Destinations (${regions.join(', ')})`, [
            'Destination',
            'Region',
          ]);
        }
      }
    }
    if (
      destination?.SourceRegion &&
      partitionOf(destination.SourceRegion) !== partitionOf(destination.Region)
    ) {
      refuse(
        ctx,
        `must be a region of the same partition as Destination.Region (${destination.Region}, partition ${partitionOf(destination.Region)}), not partition ${partitionOf(destination.SourceRegion)}: RDS copies snapshots only within a partition`,
        ['Destination', 'SourceRegion'],
      );
    } else if (destination?.SourceRegion) {
      const barrier = crossRegionCopyBarrier(destination.SourceRegion, destination.Region);
      if (barrier) {
        refuse(
          ctx,
          `must be Destination.Region (${destination.Region}): ${barrier}, so no copy there comes from another region`,
          ['Destination', 'SourceRegion'],
        );
      }
    }
    if (destination?.SharedSnapshotsKmsKey) {
      checkSharedKey(destination, destination.SharedSnapshotsKmsKey, ctx);
    }
    if (destination?.KmsKeyDestination) {
      const keyRegion = kmsKeyRegion(destination.KmsKeyDestination);
      if (keyRegion && keyRegion !== destination.Region) {
        refuse(ctx, `must be a key in Destination.Region (${destination.Region}), not ${keyRegion}`, [
          'Destination',
          'KmsKeyDestination',
        ]);
      }
    }
  });

function checkSharedKey(
  destination: z.output<typeof DestinationSchema>,
  key: string,
  ctx: z.RefinementCtx,
): void {
  // Stryker disable next-line ArrayDeclaration: equivalent, the key has matched KMS_KEY_ARN, so exec never fails
  const [, keyRegion, keyAccount] = KMS_KEY_ARN.exec(key) ?? [];
  const path = ['Destination', 'SharedSnapshotsKmsKey'];
  if (!destination.SourceAccount) {
    refuse(
      ctx,
      'is used only with SourceAccount (the account that shares snapshots encrypted with it): set SourceAccount',
      path,
    );
  } else if (keyAccount && keyAccount !== destination.SourceAccount) {
    refuse(ctx, `must be a key of SourceAccount (${destination.SourceAccount}), not of ${keyAccount}`, path);
  }
  if (keyRegion && keyRegion !== destination.Region) {
    refuse(
      ctx,
      `must be a key in Destination.Region (${destination.Region}), where the shared snapshots are, not ${keyRegion}`,
      path,
    );
  }
}

function checkSource(source: z.output<typeof SourceSchema>, ctx: z.RefinementCtx): void {
  // The objective in effect (its own, else twice the interval) is never below the interval.
  if (recoveryPointObjectiveHours(source) < source.BackupInterval) {
    refuse(
      ctx,
      `must not be below BackupInterval (${source.BackupInterval} hours): a snapshot is taken at best once per interval`,
      ['Source', 'RecoveryPointObjectiveHours'],
    );
  }
  // Stryker disable next-line ConditionalExpression: `true` is equivalent, kmsKeyRegion of an absent key finds no region
  if (source.KmsKeySource) {
    const keyRegion = kmsKeyRegion(source.KmsKeySource);
    if (keyRegion && keyRegion !== source.Region) {
      refuse(ctx, `must be a key in Source.Region (${source.Region}), not ${keyRegion}`, [
        'Source',
        'KmsKeySource',
      ]);
    }
  }
  if (source.Destinations) {
    checkDestinations(source, source.Destinations, ctx);
    return;
  }
  if (source.ShareSnapshots && !source.DestinationRegion && !source.DestinationAccount) {
    refuse(ctx, 'is required when ShareSnapshots is TRUE (or set DestinationAccount)', [
      'Source',
      'DestinationRegion',
    ]);
  }
  if (source.DestinationRegion && partitionOf(source.DestinationRegion) !== partitionOf(source.Region)) {
    // RDS copies snapshots, and shares them, only within a partition (aws, aws-cn, aws-us-gov).
    refuse(
      ctx,
      `must be a region of the same partition as Source.Region (${source.Region}, partition ${partitionOf(source.Region)}), not partition ${partitionOf(source.DestinationRegion)}: RDS copies snapshots only within a partition`,
      ['Source', 'DestinationRegion'],
    );
  } else if (source.DestinationRegion) {
    const barrier = crossRegionCopyBarrier(source.Region, source.DestinationRegion);
    if (barrier) {
      refuse(
        ctx,
        `must be Source.Region (${source.Region}) or left out: ${barrier}; share in place instead (DestinationAccount without DestinationRegion)`,
        ['Source', 'DestinationRegion'],
      );
    }
  }
  if (source.DestinationRegion === source.Region && !source.DestinationAccount) {
    refuse(ctx, `must differ from Source.Region (${source.Region}) unless DestinationAccount is set`, [
      'Source',
      'DestinationRegion',
    ]);
  }
  // Stryker disable next-line ConditionalExpression: `true` is equivalent, kmsKeyRegion of an absent key finds no region
  if (source.KmsKeyDestination) {
    // The copies are made in DestinationRegion or, when only DestinationAccount is set, in Region itself.
    // Without either, the missing DestinationRegion is the one problem to report.
    const keyRegion = kmsKeyRegion(source.KmsKeyDestination);
    const expected = source.DestinationRegion ?? (source.DestinationAccount ? source.Region : undefined);
    if (keyRegion && expected && keyRegion !== expected) {
      refuse(
        ctx,
        source.DestinationRegion
          ? `must be a key in DestinationRegion (${expected}), not ${keyRegion}`
          : `must be a key in Source.Region (${expected}), where the copies shared with DestinationAccount are made without a DestinationRegion, not ${keyRegion}`,
        ['Source', 'KmsKeyDestination'],
      );
    }
  }
}

/** The one-item form's parameters, which Destinations replaces. */
const ONE_ITEM_FORM = ['DestinationRegion', 'DestinationAccount', 'KmsKeyDestination'] as const;

/** The rules of the one-item form, per item of Destinations, each error naming `Source.Destinations[i].Field`. */
function checkDestinations(
  source: z.output<typeof SourceSchema>,
  items: readonly z.output<typeof DestinationItemSchema>[],
  ctx: z.RefinementCtx,
): void {
  for (const name of ONE_ITEM_FORM) {
    if (source[name] !== undefined) {
      refuse(
        ctx,
        `cannot be used together with Source.${name}: write every destination in Destinations (Region, Account, KmsKeyDestination), or use the one-destination form alone`,
        ['Source', 'Destinations'],
      );
    }
  }
  const seen = new Map<string, number>();
  const keyOfRegion = new Map<string, { index: number; key: string | undefined }>();
  items.forEach((item, i) => {
    const at = (field: string): PropertyKey[] => ['Source', 'Destinations', i, field];
    const id = destinationId(item.Region, item.Account);
    const first = seen.get(id);
    if (first !== undefined) {
      refuse(
        ctx,
        `repeats Source.Destinations[${first}] (Region ${item.Region}${item.Account ? `, Account ${item.Account}` : ''}): each destination must differ in Region or Account`,
        ['Source', 'Destinations', i],
      );
    } else {
      seen.set(id, i);
    }
    if (partitionOf(item.Region) !== partitionOf(source.Region)) {
      refuse(
        ctx,
        `must be a region of the same partition as Source.Region (${source.Region}, partition ${partitionOf(source.Region)}), not partition ${partitionOf(item.Region)}: RDS copies snapshots only within a partition`,
        at('Region'),
      );
    } else {
      const barrier = crossRegionCopyBarrier(source.Region, item.Region);
      if (barrier) {
        refuse(
          ctx,
          `must be Source.Region (${source.Region}): ${barrier}; share in place instead (Region ${source.Region} with an Account)`,
          at('Region'),
        );
      }
    }
    if (item.Region === source.Region && !item.Account) {
      refuse(
        ctx,
        `must differ from Source.Region (${source.Region}) unless Account is set (a share in place)`,
        at('Region'),
      );
    }
    if (item.KmsKeyDestination) {
      const keyRegion = kmsKeyRegion(item.KmsKeyDestination);
      if (keyRegion && keyRegion !== item.Region) {
        refuse(ctx, `must be a key in Source.Destinations[${i}].Region (${item.Region}), not ${keyRegion}`, [
          ...at('KmsKeyDestination'),
        ]);
      }
      // Destinations in one region share one copy of each snapshot: one key for all of them.
      const other = keyOfRegion.get(item.Region);
      if (other?.key !== undefined && other.key !== item.KmsKeyDestination) {
        refuse(
          ctx,
          `differs from Source.Destinations[${other.index}].KmsKeyDestination (${other.key}): the destinations in ${item.Region} share one copy of each snapshot, made with one key`,
          at('KmsKeyDestination'),
        );
      }
      if (other?.key === undefined) keyOfRegion.set(item.Region, { index: i, key: item.KmsKeyDestination });
    }
  });
}

/** RetentionDays and the keep rules: what each side keeps. */
const RETENTION_RULES = ['RetentionDays', ...KEEP_RULES] as const;

/** What each rule keeps, said of the recovery region. */
const LACKS: Record<(typeof RETENTION_RULES)[number], (n: number, own: number) => string> = {
  RetentionDays: (n, own) => `the copies from ${own} to ${n} days old`,
  KeepLast: (n) => `the last ${n} copies kept by count`,
  KeepDaily: (n) => `one copy for each of the last ${n} days`,
  KeepWeekly: (n) => `one copy for each of the last ${n} weeks`,
  KeepMonthly: (n) => `one copy for each of the last ${n} months`,
  KeepYearly: (n) => `one copy for each of the last ${n} years`,
};

/** The source copies into Destination.Region and the destination deletes what its rules let go. */
function recopiesWhatDestinationDeletes(
  source: z.output<typeof SourceSchema>,
  destination: z.output<typeof DestinationSchema>,
): boolean {
  return (
    source.ShareSnapshots &&
    destination.DeleteOldSnapshots &&
    copyRegionsOf(source).includes(destination.Region)
  );
}

/**
 * What a valid configuration accepts knowingly: a destination that keeps less than the source (a cost
 * choice), each naming the parameter, its value (the default when not set) and what the recovery region
 * will lack. Refusals are parseConfig's; these never stop anything.
 */
export function configWarnings(
  config: Config,
  input: unknown = config,
  now: Date = new Date(),
): ConfigIssue[] {
  const { Source: source, Destination: destination } = config;
  const warnings: ConfigIssue[] = objectiveGapWarnings(source, input, now);
  if (!source || !destination?.DeleteOldSnapshots) return warnings;
  for (const rule of RETENTION_RULES) {
    if (destination[rule] >= source[rule]) continue;
    const given = valueAt(input, ['Destination', rule]);
    const kept = source[rule];
    const is = given === undefined ? `not set (its default ${destination[rule]} applies), ` : '';
    warnings.push({
      parameter: `Destination.${rule}`,
      ...(given === undefined ? {} : { value: given }),
      message: `is ${is}lower than Source.${rule} (${kept}): the recovery region ${destination.Region} will lack ${LACKS[rule](kept, destination[rule])} that ${source.Region} keeps, so a restore there reaches back only as far as the destination's own rules keep`,
    });
  }
  return warnings;
}

/** A block's schedule, where it has one (a source block). */
interface ScheduledBlock {
  readonly BackupSchedule?: string;
  readonly ScheduleTimezone?: string;
}

const GAPS = new Map<string, RunGap | undefined>();

/**
 * The longest wait between two runs of a block's BackupSchedule over the coming two years (from the UTC day
 * of `now`), or undefined for a block without a schedule or with one that does not compute. Kept per day:
 * a function computes it on every run, validation on every check.
 */
export function scheduleGap(block: ScheduledBlock, now: Date = new Date()): RunGap | undefined {
  if (block.BackupSchedule === undefined) return undefined;
  const zone = block.ScheduleTimezone ?? DEFAULTS.ScheduleTimezone;
  const day = new Date(now.toISOString().slice(0, 10));
  const key = `${block.BackupSchedule}|${zone}|${day.toISOString()}`;
  if (!GAPS.has(key)) {
    let gap: RunGap | undefined;
    try {
      gap = checkEventBridgeCron(block.BackupSchedule).ok
        ? longestRunGap(block.BackupSchedule, day, zone)
        : undefined;
    } catch {
      gap = undefined;
    }
    GAPS.set(key, gap);
  }
  return GAPS.get(key);
}

/**
 * The recovery point objective of a block: its RecoveryPointObjectiveHours, else BackupInterval x 2, or
 * BackupInterval + the longest wait between two runs of BackupSchedule where that is longer (a daily local
 * time the spring-forward change skips: 24 + 47 hours). For a destination, the source's BackupInterval when
 * the file has one, else the default interval (its default is set from the source's objective when the file
 * has both blocks).
 */
export function recoveryPointObjectiveHours(
  block: {
    readonly RecoveryPointObjectiveHours?: number | undefined;
    readonly BackupInterval?: number;
  } & ScheduledBlock,
  sourceBackupInterval?: number,
  now: Date = new Date(),
): number {
  return (
    block.RecoveryPointObjectiveHours ??
    defaultRecoveryPointObjectiveHours(
      block.BackupInterval ?? sourceBackupInterval ?? DEFAULTS.BackupInterval,
      scheduleGap(block, now)?.hours,
    )
  );
}

/** `YYYY-MM-DD HH:MM` of the local wall clock. */
function localMinute(time: Date, zone: string): string {
  return new Date(wallClock(time.getTime(), zone)).toISOString().slice(0, 16).replace('T', ' ');
}

/** Where the clocks change between the two runs of a gap: ` (the clocks change on YYYY-MM-DD)`, else ''. */
function changeBetween(gap: RunGap, zone: string): string {
  const first = offsetAt(gap.after.getTime(), zone);
  for (let t = gap.after.getTime(); t < gap.before.getTime(); t += 3_600_000) {
    if (offsetAt(t, zone) !== first)
      return ` (the clocks change on ${localDay(t, zone)}, skipping that day's run)`;
  }
  return '';
}

/**
 * An explicit objective shorter than the longest wait between two runs: the alarm will fire then, however
 * well every run goes. A warning, not a refusal: the wait is known, and the alarm on it may be wanted.
 */
function objectiveGapWarnings(source: SourceConfig | undefined, input: unknown, now: Date): ConfigIssue[] {
  const given = source?.RecoveryPointObjectiveHours;
  if (source === undefined || given === undefined) return [];
  const gap = scheduleGap(source, now);
  if (gap === undefined || given >= gap.hours) return [];
  const zone = source.ScheduleTimezone;
  return [
    {
      parameter: 'Source.RecoveryPointObjectiveHours',
      value: valueAt(input, ['Source', 'RecoveryPointObjectiveHours']) ?? given,
      message: `is ${given} hours, shorter than the longest wait between two runs of BackupSchedule (${source.BackupSchedule}) in ${zone}: ${Number(gap.hours.toFixed(2))} hours, from ${localMinute(gap.after, zone)} to ${localMinute(gap.before, zone)}${changeBetween(gap, zone)}, so the recovery-point alarm will fire then; set at least ${Math.ceil(gap.hours)}, or leave it unset for ${defaultRecoveryPointObjectiveHours(source.BackupInterval, gap.hours)} (BackupInterval + that wait)`,
    },
  ];
}

export type SourceConfig = z.output<typeof SourceSchema>;
export type RestoreDrillConfig = z.output<typeof RestoreDrillSchema> & { readonly Region: string };
export type DestinationConfig = z.output<typeof DestinationSchema>;
export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Turns zod issues into issues that name the parameter, the value and what is accepted. */
export function toConfigIssues(
  error: z.ZodError,
  input: unknown,
  prefix: readonly string[] = [],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({
          parameter: formatPath([...prefix, ...issue.path, key]),
          value: valueAt(input, [...issue.path, key]),
          message: 'is not a known parameter (check its spelling; names are case-sensitive)',
        });
      }
      continue;
    }
    const value = valueAt(input, issue.path);
    let message = issue.message;
    if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
      message = value === undefined ? 'is required' : `has the wrong type (${describeType(value)})`;
    }
    const path = [...prefix, ...issue.path];
    const key = issue.path.at(-1);
    if (
      value === undefined &&
      issue.code === 'custom' &&
      typeof key === 'string' &&
      Object.hasOwn(DEFAULTS, key)
    ) {
      // A rule broken by a parameter left out: the value it broke with is the default, not nothing.
      issues.push({
        parameter: formatPath(path),
        message: `${message} (not set: the default ${String(DEFAULTS[key as keyof typeof DEFAULTS])} applies)`,
      });
      continue;
    }
    if (path.length === 0) {
      // The whole document is wrong (a list, an empty file): say what it must be.
      message = `must be a mapping with a Source or a Destination block, not ${describeType(value)}`;
    }
    issues.push({ parameter: path.length === 0 ? 'configuration' : formatPath(path), value, message });
  }
  return issues;
}

/** `Source.Destinations[1].Account`: list indexes in brackets, as the user writes them. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/**
 * Where a RestoreDrill without its own Region restores: the destination block's region, else the source's
 * copy region (DestinationRegion, or the first of Destinations outside Source.Region), else Source.Region.
 */
function drillRegion(config: Config): AwsRegion | undefined {
  if (config.Destination) return config.Destination.Region;
  const source = config.Source;
  // Stryker disable next-line ConditionalExpression: `false` is equivalent, a file with neither block has no drill without Region
  if (!source) return undefined;
  return (
    source.DestinationRegion ??
    source.Destinations?.find((d) => d.Region !== source.Region)?.Region ??
    source.Region
  );
}

/** Validates a whole configuration; throws ConfigError naming every bad parameter. */
export function parseConfig(input: unknown): Config {
  const result = ConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(toConfigIssues(result.error, input));
  const config = result.data;
  if (config.Source && config.Destination && !config.Destination.SourceRegion) {
    config.Destination.SourceRegion = config.Source.Region;
  }
  if (config.RestoreDrill && config.RestoreDrill.Region === undefined) {
    config.RestoreDrill.Region = drillRegion(config);
  }
  if (config.Source && config.Destination && config.Destination.RecoveryPointObjectiveHours === undefined) {
    config.Destination.RecoveryPointObjectiveHours = recoveryPointObjectiveHours(config.Source);
  }
  WARNINGS.set(config, configWarnings(config, input));
  return config;
}

const WARNINGS = new WeakMap<Config, readonly ConfigIssue[]>();

/** The warnings parseConfig found in `config` (none for a configuration it did not parse). */
export function warningsOf(config: Config): readonly ConfigIssue[] {
  return WARNINGS.get(config) ?? [];
}
