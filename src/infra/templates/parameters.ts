/**
 * The CloudFormation parameters of the templates, with the seed's names: each has a description, the values
 * or pattern CloudFormation accepts and a constraint description, so a bad value is rejected before
 * anything is created. The patterns follow the configuration schema (src/config/schema.ts).
 */
import { CfnCondition, CfnParameter, Fn, type Stack } from 'aws-cdk-lib';
import { DEFAULTS, DRILL_DEFAULTS, LOG_LEVELS, MAX_WAIT_MINUTES_RANGE } from '../../config/schema.js';

// TODO(merge): from the schema once it exports them.
const RELEASE_STUCK_HOURS_RANGE = { min: 1, max: 8760 } as const;

import { AWS_REGIONS } from '../../core/copies/regions.js';
import { integerRangePattern } from './integer-pattern.js';

export interface ParameterSpec {
  readonly description: string;
  readonly default?: string;
  readonly allowedValues?: readonly string[];
  readonly allowedPattern?: string;
  readonly constraintDescription: string;
}

/** Whole numbers from 1 to 8760 (hours in a year), the schema's BackupInterval range. */
const HOURS_1_8760 = '^0*([1-9][0-9]{0,2}|[1-7][0-9]{3}|8[0-6][0-9]{2}|87[0-5][0-9]|8760)$';
/** Whole numbers from 1 to 36500, the schema's RetentionDays range. */
const DAYS_1_36500 = '^0*([1-9][0-9]{0,3}|[12][0-9]{4}|3[0-5][0-9]{3}|36[0-4][0-9]{2}|36500)$';
/** Six EventBridge cron fields; EventBridge and the functions check the values themselves. */
const CRON = '^[0-9*,/-]+ [0-9*,/-]+ [0-9*,/?LW-]+ [0-9A-Za-z*,/-]+ [0-9A-Za-z*,/?L#-]+ [0-9*,/-]+$';
/** ALL_CLUSTERS or a regular expression of the characters the schema allows (no quotes, no spaces). */
const PATTERN = '^(ALL_CLUSTERS|[A-Za-z0-9^$.*+?()\\[\\]{}|\\\\,-]{1,255})$';
/** Whole numbers from 0 to 100000, the schema's KeepLast/KeepDaily/... range. */
const COUNT_0_100000 = '^0*([0-9]{1,5}|100000)$';
/** An IANA zone name (the functions check it names a real zone). */
const TIME_ZONE = '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$';
/** Empty, or a regular expression as for ClusterNamePattern (ALL_CLUSTERS is no exclusion). */
const EXCLUDE_PATTERN = '^([A-Za-z0-9^$.*+?()\\[\\]{}|\\\\,-]{1,255})?$';
/** Empty, or key=value pairs separated by commas. */
const CLUSTER_TAGS =
  '^([A-Za-z0-9 _.:/+@-]{1,128}=([A-Za-z0-9 _.:/+@-]{0,256}|\\*)(,[A-Za-z0-9 _.:/+@-]{1,128}=([A-Za-z0-9 _.:/+@-]{0,256}|\\*))*)?$';
/** A KMS key ARN, empty for none, or `None` (the seed's templates used it for "no key"). */
const KMS_KEY_ARN = '^(|None|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+)$';
const TRUE_FALSE = ['TRUE', 'FALSE'] as const;

/** `pattern` (anchored with ^ and $) or the empty string. */
function optional(pattern: string): string {
  return `^(${pattern.replace(/^\^/, '').replace(/\$$/, '')})?$`;
}

export const PARAMETERS = {
  CodeBucket: {
    description:
      'S3 bucket of this region holding the function bundles (<CodePrefix><FunctionName>.zip), as `aurora-snapshot-tool publish --bucket` uploads them.',
    allowedPattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    constraintDescription: 'must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens',
  },
  CodePrefix: {
    description:
      'Key prefix of the bundles in CodeBucket, ending with a slash (the publish --prefix), or empty.',
    default: '',
    allowedPattern: "^([A-Za-z0-9!_.*'()-]+/)*$",
    constraintDescription: 'must be empty or key segments each ending with a slash, such as releases/0.1.0/',
  },
  LogLevel: {
    description: 'Log level of the functions.',
    default: DEFAULTS.LogLevel,
    allowedValues: LOG_LEVELS,
    constraintDescription: `must be one of ${LOG_LEVELS.join(', ')}`,
  },
  BackupInterval: {
    description:
      'Hours between snapshots: a snapshot is taken only when the latest one is older (with a tolerance of 10% of the interval, at most 30 minutes).',
    default: String(DEFAULTS.BackupInterval),
    allowedPattern: HOURS_1_8760,
    constraintDescription: 'must be a whole number of hours from 1 to 8760',
  },
  BackupSchedule: {
    description:
      'When the tool runs: an EventBridge cron expression of 6 fields (minutes hours day-of-month month day-of-week year), in ScheduleTimezone, without cron(); for example 0 0,8,16 * * ? * with a BackupInterval of 8.',
    default: DEFAULTS.BackupSchedule,
    allowedPattern: CRON,
    constraintDescription:
      'must be 6 cron fields separated by single spaces, such as 0 1 * * ? * (one of day-of-month and day-of-week is ?)',
  },
  ScheduleTimezone: {
    description:
      'IANA time zone of the schedule and of the days, weeks, months and years of retention, such as UTC, Europe/Berlin or America/New_York. EventBridge Scheduler skips a local time the spring-forward change removes and runs a repeated one once; the tool still takes one snapshot per local day.',
    default: DEFAULTS.ScheduleTimezone,
    allowedPattern: TIME_ZONE,
    constraintDescription: 'must be an IANA time zone name such as UTC or Europe/Berlin',
  },
  ExcludeClusterPattern: {
    description:
      'Regular expression: clusters whose identifier it matches are never selected. Empty for none.',
    default: '',
    allowedPattern: EXCLUDE_PATTERN,
    constraintDescription:
      'must be empty or 1-255 letters, digits, hyphens and regular-expression characters ^$.*+?()[]{}|\\,',
  },
  ClusterTags: {
    description:
      'Tags a cluster must all carry to be selected, as key=value pairs separated by commas (value * for any value), for example team=db,backup=*; combined with ClusterNamePattern (ALL_CLUSTERS: the tags alone decide). Empty for none.',
    default: '',
    allowedPattern: CLUSTER_TAGS,
    constraintDescription:
      'must be empty or key=value pairs separated by commas; keys and values of letters, digits, spaces and _.:/+-@ (a value may be *)',
  },
  ClusterNamePattern: {
    description:
      'Regular expression searched in each cluster identifier (anchor it with ^...$ for one exact name), or ALL_CLUSTERS.',
    allowedPattern: PATTERN,
    constraintDescription:
      'must be ALL_CLUSTERS or 1-255 letters, digits, hyphens and regular-expression characters ^$.*+?()[]{}|\\,',
  },
  SnapshotPattern: {
    description:
      'Regular expression searched in the source cluster identifier of each copy (anchor it with ^...$ for one exact name), or ALL_CLUSTERS.',
    allowedPattern: PATTERN,
    constraintDescription:
      'must be ALL_CLUSTERS or 1-255 letters, digits, hyphens and regular-expression characters ^$.*+?()[]{}|\\,',
  },
  DestinationRegion: {
    description:
      'Region of the disaster-recovery copies; required when ShareSnapshots is TRUE unless DestinationAccount is set. Empty for none.',
    default: '',
    allowedValues: ['', ...AWS_REGIONS],
    constraintDescription: 'must be empty or an AWS region name such as us-west-2',
  },
  DestinationAccount: {
    description:
      'Account the snapshots (in DestinationRegion, or in this region) are shared with. Empty for none.',
    default: '',
    allowedPattern: '^([0-9]{12})?$',
    constraintDescription: 'must be empty or a 12-digit AWS account id',
  },
  SourceRegion: {
    description:
      "Only copies from this source region are managed, so two destination jobs never delete each other's copies. Empty for any.",
    default: '',
    allowedValues: ['', ...AWS_REGIONS],
    constraintDescription: 'must be empty or an AWS region name such as us-east-1',
  },
  SourceAccount: {
    description:
      'Cross-account: the account whose shared snapshots are copied into this one and whose copies are managed. Empty when the source is this account.',
    default: '',
    allowedPattern: '^([0-9]{12})?$',
    constraintDescription: 'must be empty or a 12-digit AWS account id',
  },
  RetentionDays: {
    description: 'Days a snapshot is kept before the tool deletes it (when DeleteOldSnapshots is TRUE).',
    default: String(DEFAULTS.RetentionDays),
    allowedPattern: DAYS_1_36500,
    constraintDescription: 'must be a whole number of days from 1 to 36500',
  },
  KeepLast: {
    description: 'Also keep the N newest snapshots, whatever their age (0: off).',
    default: '0',
    allowedPattern: COUNT_0_100000,
    constraintDescription: 'must be a whole number from 0 to 100000',
  },
  KeepDaily: {
    description:
      'Also keep the newest snapshot of each of the N most recent days that have one, in ScheduleTimezone (0: off).',
    default: '0',
    allowedPattern: COUNT_0_100000,
    constraintDescription: 'must be a whole number from 0 to 100000',
  },
  KeepWeekly: {
    description:
      'Also keep the newest snapshot of each of the N most recent ISO weeks (Monday to Sunday) that have one (0: off).',
    default: '0',
    allowedPattern: COUNT_0_100000,
    constraintDescription: 'must be a whole number from 0 to 100000',
  },
  KeepMonthly: {
    description:
      'Also keep the newest snapshot of each of the N most recent calendar months that have one (0: off).',
    default: '0',
    allowedPattern: COUNT_0_100000,
    constraintDescription: 'must be a whole number from 0 to 100000',
  },
  KeepYearly: {
    description:
      'Also keep the newest snapshot of each of the N most recent calendar years that have one (0: off).',
    default: '0',
    allowedPattern: COUNT_0_100000,
    constraintDescription: 'must be a whole number from 0 to 100000',
  },
  DestinationRetentionDays: {
    description:
      "Days a copy is kept before the tool deletes it (when DeleteOldSnapshots is TRUE); do not set it lower than the source's RetentionDays.",
    default: String(DEFAULTS.RetentionDays),
    allowedPattern: DAYS_1_36500,
    constraintDescription: 'must be a whole number of days from 1 to 36500',
  },
  DeleteOldSnapshots: {
    description:
      "TRUE deletes the tool's snapshots older than RetentionDays (never the newest of a cluster, never one it did not make); FALSE deletes nothing.",
    default: 'TRUE',
    allowedValues: TRUE_FALSE,
    constraintDescription: 'must be TRUE or FALSE',
  },
  ShareSnapshots: {
    description:
      'TRUE copies snapshots to DestinationRegion and shares them with DestinationAccount; FALSE does neither.',
    default: 'FALSE',
    allowedValues: TRUE_FALSE,
    constraintDescription: 'must be TRUE or FALSE',
  },
  KmsKeySource: {
    description:
      'ARN of a customer managed KMS key of this region, used to re-encrypt snapshots under the AWS-managed aws/rds key before sharing them. Empty (or None) for none.',
    default: '',
    allowedPattern: KMS_KEY_ARN,
    constraintDescription: 'must be empty, None, or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
  },
  KmsKeyDestination: {
    description:
      'ARN of the KMS key of DestinationRegion that encrypts the copies of encrypted snapshots. Empty (or None) for none.',
    default: '',
    allowedPattern: KMS_KEY_ARN,
    constraintDescription: 'must be empty, None, or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
  },
  DestinationKmsKey: {
    description:
      'ARN of the KMS key of this region that encrypts the copies of snapshots shared by SourceAccount. Empty (or None) for none.',
    default: '',
    allowedPattern: KMS_KEY_ARN,
    constraintDescription: 'must be empty, None, or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
  },
  SharedSnapshotsKmsKey: {
    description:
      "Cross-account: ARN of SourceAccount's KMS key that encrypts the snapshots it shares (its key policy must allow this account). Empty (or None) for none.",
    default: '',
    allowedPattern: KMS_KEY_ARN,
    constraintDescription: 'must be empty, None, or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
  },
  RecoveryPointObjectiveHours: {
    description:
      'Hours the recovery point (the newest restorable copy, or snapshot when nothing is copied) may age before the stack alarm notifies its topic. Empty for BackupInterval + max(BackupInterval, longest wait between runs); not below BackupInterval.',
    default: '',
    allowedPattern: '^([1-9][0-9]{0,4})?$',
    constraintDescription:
      'must be empty or a whole number of hours from 1 to 17520, not below BackupInterval',
  },
  DestinationRecoveryPointObjectiveHours: {
    description:
      "Hours the newest copy may age before the stack alarm notifies its topic. Empty for 48 (twice the default BackupInterval): set it to twice the source's BackupInterval.",
    default: '',
    allowedPattern: '^([1-9][0-9]{0,4})?$',
    constraintDescription:
      "must be empty or a whole number of hours from 1 to 17520, not below the source's BackupInterval",
  },
  DrillSnapshotPattern: {
    description:
      'Regular expression searched in the source cluster of each snapshot of this region (anchor it with ^...$ for one exact name), or ALL_CLUSTERS: the newest copy the tool made of each matching cluster is restored.',
    allowedPattern: PATTERN,
    constraintDescription:
      'must be ALL_CLUSTERS or 1-255 letters, digits, hyphens and regular-expression characters ^$.*+?()[]{}|\\,',
  },
  DrillSchedule: {
    description:
      'When the restore drill runs: an EventBridge cron expression of 6 fields, UTC, without cron(); weekly by default.',
    default: DRILL_DEFAULTS.Schedule,
    allowedPattern: CRON,
    constraintDescription: 'must be 6 cron fields separated by single spaces, such as 0 3 ? * SUN *',
  },
  DBSubnetGroupName: {
    description: 'DB subnet group of the restored cluster. Empty for the default VPC.',
    default: '',
    allowedPattern: '^[A-Za-z0-9 ._-]{0,255}$',
    constraintDescription: 'must be empty or a DB subnet group name (letters, digits, spaces, ._-)',
  },
  VpcSecurityGroupIds: {
    description:
      "Security group ids of the restored cluster, comma-separated (at most 5). Empty for the VPC's default group.",
    default: '',
    allowedPattern: '^(sg-[0-9a-f]{8,17}(,sg-[0-9a-f]{8,17}){0,4})?$',
    constraintDescription:
      'must be empty or up to 5 comma-separated security group ids such as sg-0123456789abcdef0',
  },
  InstanceClass: {
    description:
      'Class of the one instance of the restored cluster; db.serverless runs Serverless v2 at its minimum capacity (0.5 to 1 ACU), or the smallest class offered where the engine version has none.',
    default: DRILL_DEFAULTS.InstanceClass,
    allowedPattern: '^db\\.[a-z0-9]+(\\.[a-z0-9]+)?$',
    constraintDescription: 'must be an RDS instance class such as db.serverless or db.r6g.large',
  },
  MaxRestoreMinutes: {
    description:
      'Minutes the restore (cluster and instance available) may take before the drill fails naming the snapshot.',
    default: String(DRILL_DEFAULTS.MaxRestoreMinutes),
    allowedPattern: '^0*([1-9][0-9]|[1-9][0-9]{2}|1[0-3][0-9]{2}|14[0-3][0-9]|1440)$',
    constraintDescription: 'must be a whole number of minutes from 10 to 1440',
  },
  MaxWaitMinutes: {
    description:
      'Minutes a run waits for the snapshots and copies it started. One still making progress then, or a copy not started yet (queued behind others), is left to the next runs; a snapshot still being created at 0% fails the run with SnapshotTimedOut, and the alarm fires.',
    default: String(DEFAULTS.MaxWaitMinutes),
    allowedPattern: integerRangePattern(MAX_WAIT_MINUTES_RANGE.min, MAX_WAIT_MINUTES_RANGE.max),
    constraintDescription: `must be a whole number of minutes from ${MAX_WAIT_MINUTES_RANGE.min} to ${MAX_WAIT_MINUTES_RANGE.max}`,
  },
  ReleaseStuckDestinationsAfterHours: {
    description:
      'Hours after which a snapshot a destination still has not received (copy or share) is no longer kept for it at the source. Empty: off, a snapshot is kept until every destination has it.',
    default: '',
    allowedPattern: optional(
      integerRangePattern(RELEASE_STUCK_HOURS_RANGE.min, RELEASE_STUCK_HOURS_RANGE.max),
    ),
    constraintDescription: `must be empty or a whole number of hours from ${RELEASE_STUCK_HOURS_RANGE.min} to ${RELEASE_STUCK_HOURS_RANGE.max}`,
  },
  Schedule: {
    description:
      'When the destination job runs (retention, and copying shared snapshots cross-account): an EventBridge cron expression of 6 fields, in ScheduleTimezone, without cron().',
    default: '0 * * * ? *',
    allowedPattern: CRON,
    constraintDescription: 'must be 6 cron fields separated by single spaces, such as 0 * * * ? *',
  },
} as const satisfies Record<string, ParameterSpec>;

export type ParameterName = keyof typeof PARAMETERS;

/**
 * AWS_REGIONS as one regular-expression alternation, regions that differ only in their number grouped
 * (`us-west-[12]`), so the pattern stays short.
 */
const REGION_ALTERNATIVES = (() => {
  const numbers = new Map<string, string[]>();
  for (const region of AWS_REGIONS) {
    const [, area = region, number = ''] = /^(.*-)(\d+)$/.exec(region) ?? [];
    numbers.set(area, [...(numbers.get(area) ?? []), number]);
  }
  return [...numbers]
    .map(([area, list]) =>
      list.length === 1 || list.some((n) => n.length !== 1)
        ? list.map((n) => `${area}${n}`).join('|')
        : `${area}[${list.join('')}]`,
    )
    .join('|');
})();

/** AWS_REGIONS, comma-separated, without spaces: the regions a source role may write in besides its own. */
const REGION_LIST = `^((${REGION_ALTERNATIVES})(,(${REGION_ALTERNATIVES}))*)?$`;

/** The source-roles parameter that confines the source functions to their destination regions. */
export const DESTINATION_REGIONS_PARAMETER: ParameterSpec = {
  description:
    'Regions the source functions copy snapshots to, comma-separated: every destination region (DestinationRegion, Destination2Region...) of every source-cluster stack of this account and region. When set, the functions may write snapshots and use KMS keys only in this region and these. Empty: any region (as before this parameter).',
  default: '',
  allowedPattern: REGION_LIST,
  constraintDescription:
    'must be empty or AWS region names separated by commas without spaces, such as us-west-2,eu-central-1',
};

/** The parameters of destination slot `n` (2 and up; slot 1 is DestinationRegion, DestinationAccount, KmsKeyDestination). */
export function destinationSlotParameters(n: number): Record<'Region' | 'Account' | 'KmsKey', ParameterSpec> {
  const slot = `Destination${n}`;
  return {
    Region: {
      // Which parameters are destination 1 is said once, on the first slot, not repeated on every slot.
      description: `Destination ${n}${n === 2 ? ' (destination 1: DestinationRegion, DestinationAccount, KmsKeyDestination)' : ''}: region of its copies; this region with ${slot}Account is a share in place. Empty for none.`,
      default: '',
      // A pattern rather than AllowedValues: four lists of every region would not fit in a TemplateBody.
      allowedPattern: `^(${REGION_ALTERNATIVES})?$`,
      constraintDescription: 'must be empty or an AWS region name such as us-west-2',
    },
    Account: {
      description: `Destination ${n}: account the snapshots or copies in ${slot}Region are shared with. Empty for none.`,
      default: '',
      allowedPattern: '^([0-9]{12})?$',
      constraintDescription: 'must be empty or a 12-digit AWS account id',
    },
    KmsKey: {
      description: `Destination ${n}: ARN of the KMS key of ${slot}Region for the copies of encrypted snapshots. Empty (or None) for none.`,
      default: '',
      allowedPattern: KMS_KEY_ARN,
      constraintDescription:
        'must be empty, None, or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
    },
  };
}

/** Adds a parameter from its spec, under `logicalName`. */
export function addParameterSpec(stack: Stack, logicalName: string, p: ParameterSpec): CfnParameter {
  return new CfnParameter(stack, logicalName, {
    type: 'String',
    description: p.description,
    constraintDescription: p.constraintDescription,
    ...(p.default !== undefined ? { default: p.default } : {}),
    ...(p.allowedValues ? { allowedValues: [...p.allowedValues] } : {}),
    ...(p.allowedPattern ? { allowedPattern: p.allowedPattern } : {}),
  });
}

/**
 * Adds a parameter. `logicalName` is the template's name for it when it differs from the spec's key
 * (the destination's RetentionDays and KmsKeyDestination have their own descriptions).
 */
export function addParameter(stack: Stack, spec: ParameterName, logicalName: string = spec): CfnParameter {
  return addParameterSpec(stack, logicalName, PARAMETERS[spec]);
}

/**
 * True when an optional parameter is set: neither empty nor the seed's `None`. The `None` test is left out
 * where the parameter's constraint already refuses that value (an account id, a region), as it could
 * never be true and every byte counts against CloudFormation's inline template limit.
 */
export function isSet(stack: Stack, id: string, parameter: CfnParameter): CfnCondition {
  const notEmpty = Fn.conditionNot(Fn.conditionEquals(parameter.valueAsString, ''));
  return new CfnCondition(stack, id, {
    expression: accepts(parameter, 'None')
      ? Fn.conditionAnd(notEmpty, Fn.conditionNot(Fn.conditionEquals(parameter.valueAsString, 'None')))
      : notEmpty,
  });
}

/** Whether CloudFormation lets `value` through the parameter's AllowedValues or AllowedPattern. */
function accepts(parameter: CfnParameter, value: string): boolean {
  if (parameter.allowedValues) return parameter.allowedValues.includes(value);
  return parameter.allowedPattern === undefined || new RegExp(parameter.allowedPattern).test(value);
}
