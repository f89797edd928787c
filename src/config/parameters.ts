/**
 * Every configuration parameter, declared once: its name (as the original tool and its CloudFormation
 * templates call it), type, default, bounds, meaning, the blocks it applies to, and its CloudFormation
 * parameter. The zod schema (src/config/source.ts...), the template parameters (src/infra/templates/), the
 * CDK props with their `@default` docs (src/infra/settings.generated.ts) and the README tables
 * (`npm run parameter-docs`) are derived from it; test/unit/parameters-table.test.ts fails on a gap.
 */
import { AWS_REGIONS } from '../core/copies/regions.js';

export const ALL_CLUSTERS = 'ALL_CLUSTERS';
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The configuration's blocks: where a parameter applies. */
export const BLOCKS = ['source', 'destination', 'drill', 'recovery', 'organization'] as const;
export type Block = (typeof BLOCKS)[number];

/**
 * The blocks a stack deploys (a template, a construct, a schedule); the Recovery block is read by the
 * `restore` command only, the Organization block by `org deploy` (which deploys the account template with the
 * Source block's parameters through a StackSet).
 */
export const DEPLOYED_BLOCKS = ['source', 'destination', 'drill'] as const;
export type DeployedBlock = (typeof DEPLOYED_BLOCKS)[number];

/** The YAML key of each block. */
export const BLOCK_KEYS = {
  source: 'Source',
  destination: 'Destination',
  drill: 'RestoreDrill',
  recovery: 'Recovery',
  organization: 'Organization',
} as const;

/** How a value is read and checked: each type is one parser of src/config/rules.ts. */
export type ParameterType =
  | 'integer'
  | 'boolean'
  | 'region'
  | 'account'
  | 'organizationId'
  | 'pattern'
  | 'excludePattern'
  | 'clusterTags'
  | 'tags'
  | 'kmsKey'
  | 'ownKmsKey'
  | 'sharedKeyArn'
  | 'cron'
  | 'timeZone'
  | 'logLevel'
  | 'destinations'
  | 'securityGroups'
  | 'subnetGroup'
  | 'instanceClass'
  | 'parameterGroups'
  | 'stackSetName'
  | 'organizationalUnits'
  | 'regions'
  | 'codeBucket'
  | 'codePrefix'
  | 'callAs';

export type ParameterValue = string | number | boolean;

/** A parameter of a CloudFormation template: what the console shows and what CloudFormation accepts. */
export interface TemplateParameterSpec {
  readonly description: string;
  /** Left out for a whole number: the pattern is built from `min` and `max`. */
  readonly allowedPattern?: string;
  readonly allowedValues?: readonly string[];
  /** Left out for a whole number with a built pattern: `must be [empty or ]a whole number of <unit> from...`. */
  readonly constraintDescription?: string;
}

/** What a parameter is in one block, where it differs from the parameter's own entry. */
export interface ParameterUse {
  /** Meaning in this block (README, construct prop docs). */
  readonly description?: string;
  readonly default?: ParameterValue;
  /** The default as the docs say it, when it is derived rather than a value. */
  readonly defaultText?: string;
  /** The parameter of this block's template (`true`: the entry's `template`); none when left out. */
  readonly template?: TemplateParameterSpec | true;
  /** False: optional in this block though required in others. */
  readonly required?: false;
  /** Placed right after this parameter in the block (the block's order is the table's otherwise). */
  readonly after?: string;
}

/** What every entry has, whatever its type. */
interface EntryBase {
  readonly name: string;
  readonly required?: boolean;
  /** Absent and not required: the parameter is optional, off when not set. */
  readonly default?: ParameterValue;
  readonly defaultText?: string;
  /** Meaning (README, construct prop docs). */
  readonly description: string;
  /** The schema's own description (zod metadata), where it has one. */
  readonly schemaDescription?: string;
  /** The template parameter shared by the blocks whose use says `template: true`. */
  readonly template?: TemplateParameterSpec;
  /** The construct prop's TypeScript type, when not the type's usual one. */
  readonly propType?: string;
  /** False: no construct prop (the stack's region gives it). */
  readonly prop?: false;
  readonly appliesTo: Readonly<Partial<Record<Block, ParameterUse>>>;
}

/** A whole number: its bounds, and its unit in messages. */
export interface WholeNumberEntry extends EntryBase {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  readonly unit: string;
}

/** Any other parameter: no bounds, no unit. */
interface OtherEntry extends EntryBase {
  readonly type: Exclude<ParameterType, 'integer'>;
  readonly min?: never;
  readonly max?: never;
  readonly unit?: never;
}

export type ParameterEntry = WholeNumberEntry | OtherEntry;

/** Six EventBridge cron fields; EventBridge and the functions check the values themselves. */
const CRON = '^[0-9*,/-]+ [0-9*,/-]+ [0-9*,/?LW-]+ [0-9A-Za-z*,/-]+ [0-9A-Za-z*,/?L#-]+ [0-9*,/-]+$';
/** ALL_CLUSTERS or a regular expression of the characters the schema allows (no quotes, no spaces). */
const PATTERN = '^(ALL_CLUSTERS|[A-Za-z0-9^$.*+?()\\[\\]{}|\\\\,-]{1,255})$';
const PATTERN_CONSTRAINT =
  'must be ALL_CLUSTERS or 1-255 letters, digits, hyphens and regular-expression characters ^$.*+?()[]{}|\\,';
/** Whole numbers from 1 to 8760 (hours in a year). */
const HOURS_1_8760 = '^0*([1-9][0-9]{0,2}|[1-7][0-9]{3}|8[0-6][0-9]{2}|87[0-5][0-9]|8760)$';
/** Whole numbers from 1 to 36500. */
const DAYS_1_36500 = '^0*([1-9][0-9]{0,3}|[12][0-9]{4}|3[0-5][0-9]{3}|36[0-4][0-9]{2}|36500)$';
/** Whole numbers from 0 to 100000. */
const COUNT_0_100000 = '^0*([0-9]{1,5}|100000)$';
/** A KMS key ARN, empty for none, or `None` (the seed's templates used it for "no key"). */
const KMS_KEY_ARN = '^(|None|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+)$';
const KMS_KEY_CONSTRAINT = 'must be empty, None, or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)';
/**
 * A key of the stack's own account: as KMS_KEY_ARN, or an alias name (AWS's syntax: `alias/` and 1 to 250
 * letters, digits, `/_-`; not `alias/aws/...`, AWS's managed keys), meaning that alias in the stack's account
 * and the key's region. One value then serves every account and region of a stack set.
 */
export const OWN_KMS_KEY_PATTERN =
  '^(|None|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+|alias/(?!aws/)[A-Za-z0-9/_-]{1,250})$';
export const OWN_KMS_KEY_CONSTRAINT =
  'must be empty, None, a key ARN (arn:aws:kms:<region>:<account>:key/<id>) or alias/<name> (not alias/aws/...)';
const TRUE_FALSE = ['TRUE', 'FALSE'] as const;
/** Who `org deploy` calls StackSets as: the management account, or a delegated administrator of StackSets. */
export const CALL_AS = ['SELF', 'DELEGATED_ADMIN'] as const;
export type CallAs = (typeof CALL_AS)[number];
/** The placeholder of CodeBucket replaced by each stack's region (one code bucket per region). */
export const REGION_PLACEHOLDER = '{region}';

/** KeepLast and the GFS counts share their bounds and template constraint. */
const KEEP = { type: 'integer', min: 0, max: 100_000, default: 0 } as const;
const KEEP_CONSTRAINT = 'must be a whole number from 0 to 100000';
const KEEP_DESTINATION = "As for the source, for the copies; lower than the source's as `RetentionDays`.";

/** The table. Its order is each block's order (the schema's keys, the README rows). */
export const PARAMETERS = [
  {
    name: 'Region',
    type: 'region',
    required: true,
    prop: false,
    description: 'Region of the clusters.',
    appliesTo: {
      source: {},
      destination: {
        description:
          'Region of the copies. Must equal `Source.DestinationRegion` (or be the `Region` of one of `Source.Destinations`) when both are in one file.',
      },
      drill: {
        required: false,
        description: 'Region of the snapshots to restore (and of the drill clusters).',
        defaultText: 'the destination region',
      },
      recovery: {
        required: false,
        description:
          'Recovery region: where `restore` looks for the copy and restores the cluster (`--region` overrides it).',
        defaultText: "the RestoreDrill's region (the destination region)",
      },
    },
  },
  {
    name: 'ClusterNamePattern',
    type: 'pattern',
    required: true,
    description:
      'Regular expression searched in each cluster identifier (as the original did: anchor it with `^...$` for an exact name), or `ALL_CLUSTERS`. Letters, digits, hyphens and regex characters only.',
    appliesTo: {
      source: {
        template: {
          description:
            'Regular expression searched in each cluster identifier (anchor it with ^...$ for one exact name), or ALL_CLUSTERS.',
          allowedPattern: PATTERN,
          constraintDescription: PATTERN_CONSTRAINT,
        },
      },
    },
  },
  {
    name: 'SnapshotPattern',
    type: 'pattern',
    required: true,
    description:
      'Regular expression searched in the source cluster identifier of each copy, or `ALL_CLUSTERS`.',
    appliesTo: {
      destination: {
        template: {
          description:
            'Regular expression searched in the source cluster identifier of each copy (anchor it with ^...$ for one exact name), or ALL_CLUSTERS.',
          allowedPattern: PATTERN,
          constraintDescription: PATTERN_CONSTRAINT,
        },
      },
      drill: {
        description:
          'Regular expression searched in the source cluster of each snapshot (`SnapshotTool:SourceCluster`), or `ALL_CLUSTERS`.',
        template: {
          description:
            'Regular expression searched in the source cluster of each snapshot of this region (anchor it with ^...$ for one exact name), or ALL_CLUSTERS: the newest copy the tool made of each matching cluster is restored.',
          allowedPattern: PATTERN,
          constraintDescription: PATTERN_CONSTRAINT,
        },
      },
    },
  },
  {
    name: 'ExcludeClusterPattern',
    type: 'excludePattern',
    description:
      'Regular expression: clusters whose identifier it matches are never selected (nor their snapshots deleted).',
    appliesTo: {
      source: {
        template: {
          description:
            'Regular expression: clusters whose identifier it matches are never selected. Empty for none.',
          allowedPattern: '^([A-Za-z0-9^$.*+?()\\[\\]{}|\\\\,-]{1,255})?$',
          constraintDescription:
            'must be empty or 1-255 letters, digits, hyphens and regular-expression characters ^$.*+?()[]{}|\\,',
        },
      },
    },
  },
  {
    name: 'ClusterTags',
    type: 'clusterTags',
    description:
      "Tags (a mapping of key to value, `*` for any value; or text `team=db,backup=*`) a cluster must all carry to be selected, read from DescribeDBClusters' `TagList`. Combined with `ClusterNamePattern` by AND; with `ALL_CLUSTERS` the tags alone decide. Snapshots of a cluster that no longer exists cannot show its tags: with `ClusterTags` they are left alone.",
    propType: 'Record<string, string>',
    appliesTo: {
      source: {
        template: {
          description:
            'Tags a cluster must all carry to be selected, as key=value pairs separated by commas (value * for any value), for example team=db,backup=*; combined with ClusterNamePattern (ALL_CLUSTERS: the tags alone decide). Empty for none.',
          allowedPattern:
            '^([A-Za-z0-9 _.:/+@-]{1,128}=([A-Za-z0-9 _.:/+@-]{0,256}|\\*)(,[A-Za-z0-9 _.:/+@-]{1,128}=([A-Za-z0-9 _.:/+@-]{0,256}|\\*))*)?$',
          constraintDescription:
            'must be empty or key=value pairs separated by commas; keys and values of letters, digits, spaces and _.:/+-@ (a value may be *)',
        },
      },
    },
  },
  {
    name: 'BackupInterval',
    type: 'integer',
    min: 1,
    max: 8760,
    unit: 'hours',
    default: 24,
    description:
      'Hours between snapshots: a snapshot is taken only when the latest one is older (with a tolerance of 10% of the interval, at most 30 minutes, so a late run never skips a slot). 1–8760.',
    appliesTo: {
      source: {
        template: {
          description:
            'Hours between snapshots: a snapshot is taken only when the latest one is older (with a tolerance of 10% of the interval, at most 30 minutes).',
          allowedPattern: HOURS_1_8760,
          constraintDescription: 'must be a whole number of hours from 1 to 8760',
        },
      },
    },
  },
  {
    name: 'BackupSchedule',
    type: 'cron',
    default: '0 1 * * ? *',
    description:
      "When the tool runs: an EventBridge cron expression of 6 fields (minutes hours day-of-month month day-of-week year), in `ScheduleTimezone`, written without `cron(...)` (the stack writes it around the fields; a value in `cron(...)` is refused); one of day-of-month and day-of-week is `?`. Every form of AWS's cron reference is accepted and run as Scheduler runs it: `, - * ? / L W #`, names (`JAN`, `MON`), ranges that wrap (`22-2`, `FRI-MON`), `L` (last day of the month, or alone in day-of-week Saturday), `LW`, `15W`, `6L` (last Friday), `3#2` (second Tuesday), years 1970-2199. Like EventBridge, `L`, `W` and `#` stand alone in their field and day-of-week takes no `/`.",
    appliesTo: {
      source: {
        template: {
          description:
            'When the tool runs: an EventBridge cron expression of 6 fields (minutes hours day-of-month month day-of-week year), in ScheduleTimezone, without cron(); for example 0 0,8,16 * * ? * with a BackupInterval of 8.',
          allowedPattern: CRON,
          constraintDescription:
            'must be 6 cron fields separated by single spaces, such as 0 1 * * ? * (one of day-of-month and day-of-week is ?)',
        },
      },
    },
  },
  {
    name: 'RetentionDays',
    type: 'integer',
    min: 1,
    max: 36500,
    unit: 'days',
    default: 7,
    description: 'Days a snapshot is kept. 1–36500.',
    appliesTo: {
      source: {
        template: {
          description:
            'Days a snapshot is kept before the tool deletes it (when DeleteOldSnapshots is TRUE).',
          allowedPattern: DAYS_1_36500,
          constraintDescription: 'must be a whole number of days from 1 to 36500',
        },
      },
      destination: {
        description:
          "Days a copy is kept. Lower than the source's: a warning, or refused where the source copies into this region (see above).",
        template: {
          description:
            "Days a copy is kept before the tool deletes it (when DeleteOldSnapshots is TRUE); do not set it lower than the source's RetentionDays.",
          allowedPattern: DAYS_1_36500,
          constraintDescription: 'must be a whole number of days from 1 to 36500',
        },
      },
    },
  },
  {
    name: 'DeleteOldSnapshots',
    type: 'boolean',
    default: true,
    description: "TRUE deletes the tool's snapshots no retention rule keeps; FALSE never deletes.",
    template: {
      description:
        "TRUE deletes the tool's snapshots older than RetentionDays (never the newest of a cluster, never one it did not make); FALSE deletes nothing.",
      allowedValues: TRUE_FALSE,
      constraintDescription: 'must be TRUE or FALSE',
    },
    appliesTo: {
      source: { template: true },
      destination: {
        description: "TRUE deletes the tool's copies (tag `CopiedBy`) older than `RetentionDays`.",
        template: true,
      },
    },
  },
  {
    ...KEEP,
    name: 'KeepLast',
    unit: 'snapshots',
    description: 'Also keep the N newest snapshots. 0–100000 (0: off).',
    template: {
      description: 'Also keep the N newest snapshots, whatever their age (0: off).',
      allowedPattern: COUNT_0_100000,
      constraintDescription: KEEP_CONSTRAINT,
    },
    appliesTo: { source: { template: true }, destination: { description: KEEP_DESTINATION, template: true } },
  },
  {
    ...KEEP,
    name: 'KeepDaily',
    unit: 'days',
    description:
      'Also keep the newest snapshot of each of the N most recent days that have one, in `ScheduleTimezone`. 0–100000 (0: off).',
    template: {
      description:
        'Also keep the newest snapshot of each of the N most recent days that have one, in ScheduleTimezone (0: off).',
      allowedPattern: COUNT_0_100000,
      constraintDescription: KEEP_CONSTRAINT,
    },
    appliesTo: { source: { template: true }, destination: { description: KEEP_DESTINATION, template: true } },
  },
  {
    ...KEEP,
    name: 'KeepWeekly',
    unit: 'weeks',
    description:
      'Also keep the newest snapshot of each of the N most recent ISO weeks (Monday to Sunday) that have one, in `ScheduleTimezone`. 0–100000 (0: off).',
    template: {
      description:
        'Also keep the newest snapshot of each of the N most recent ISO weeks (Monday to Sunday) that have one (0: off).',
      allowedPattern: COUNT_0_100000,
      constraintDescription: KEEP_CONSTRAINT,
    },
    appliesTo: { source: { template: true }, destination: { description: KEEP_DESTINATION, template: true } },
  },
  {
    ...KEEP,
    name: 'KeepMonthly',
    unit: 'months',
    description:
      'Also keep the newest snapshot of each of the N most recent calendar months that have one, in `ScheduleTimezone`. 0–100000 (0: off).',
    template: {
      description:
        'Also keep the newest snapshot of each of the N most recent calendar months that have one (0: off).',
      allowedPattern: COUNT_0_100000,
      constraintDescription: KEEP_CONSTRAINT,
    },
    appliesTo: { source: { template: true }, destination: { description: KEEP_DESTINATION, template: true } },
  },
  {
    ...KEEP,
    name: 'KeepYearly',
    unit: 'years',
    description:
      'Also keep the newest snapshot of each of the N most recent calendar years that have one, in `ScheduleTimezone`. 0–100000 (0: off).',
    template: {
      description:
        'Also keep the newest snapshot of each of the N most recent calendar years that have one (0: off).',
      allowedPattern: COUNT_0_100000,
      constraintDescription: KEEP_CONSTRAINT,
    },
    appliesTo: { source: { template: true }, destination: { description: KEEP_DESTINATION, template: true } },
  },
  {
    name: 'ShareSnapshots',
    type: 'boolean',
    default: false,
    description:
      'TRUE copies snapshots to `DestinationRegion` and shares them with `DestinationAccount` (or to and with every item of `Destinations`).',
    appliesTo: {
      source: {
        template: {
          description:
            'TRUE copies snapshots to DestinationRegion and shares them with DestinationAccount; FALSE does neither.',
          allowedValues: TRUE_FALSE,
          constraintDescription: 'must be TRUE or FALSE',
        },
      },
    },
  },
  {
    name: 'DestinationRegion',
    type: 'region',
    description:
      "Region of the disaster-recovery copies. Required when `ShareSnapshots` is TRUE, unless `DestinationAccount` is set; equal to `Region` only with `DestinationAccount`. In the partition of `Region` (RDS copies snapshots only within `aws`, `aws-cn` or `aws-us-gov`); never another region when either is China (Beijing) `cn-north-1` or China (Ningxia) `cn-northwest-1`, where Aurora copies no cluster snapshot across regions: share in place there (`DestinationAccount` alone). The same holds for each item of `Destinations` and for the destination block's `SourceRegion`.",
    appliesTo: {
      source: {
        template: {
          description:
            'Region of the disaster-recovery copies; required when ShareSnapshots is TRUE unless DestinationAccount is set. Empty for none.',
          allowedValues: ['', ...AWS_REGIONS],
          constraintDescription: 'must be empty or an AWS region name such as us-west-2',
        },
      },
    },
  },
  {
    name: 'DestinationAccount',
    type: 'account',
    description: '12-digit account the snapshots (in `DestinationRegion`) are shared with. Quote it in YAML.',
    appliesTo: {
      source: {
        template: {
          description:
            'Account the snapshots (in DestinationRegion, or in this region) are shared with. Empty for none.',
          allowedPattern: '^([0-9]{12})?$',
          constraintDescription: 'must be empty or a 12-digit AWS account id',
        },
      },
    },
  },
  {
    name: 'KmsKeySource',
    type: 'ownKmsKey',
    description:
      'Customer managed key in `Region`, used to re-encrypt snapshots under `aws/rds` before sharing: its ARN, or an alias name (`alias/<name>`: that alias in the account, in `Region`; one name serves every account of an organization, see [Key policies](docs/deployment.md#key-policies)).',
    appliesTo: {
      source: {
        template: {
          description:
            'Customer managed KMS key of this region that re-encrypts aws/rds-key snapshots before they are shared: its ARN, or alias/<name> (that alias in this account and region). Empty (or None) for none.',
          allowedPattern: OWN_KMS_KEY_PATTERN,
          constraintDescription: OWN_KMS_KEY_CONSTRAINT,
        },
      },
    },
  },
  {
    name: 'KmsKeyDestination',
    type: 'ownKmsKey',
    description:
      'Key in `DestinationRegion` for encrypted copies (needed when the cluster is encrypted): its ARN, or an alias name (`alias/<name>`: that alias in the account, in `DestinationRegion`).',
    appliesTo: {
      source: {
        template: {
          description:
            'KMS key of DestinationRegion that encrypts the copies of encrypted snapshots: its ARN, or alias/<name> (that alias in this account, in DestinationRegion). Empty (or None) for none.',
          allowedPattern: OWN_KMS_KEY_PATTERN,
          constraintDescription: OWN_KMS_KEY_CONSTRAINT,
        },
      },
      destination: {
        description:
          'Key in this region for copies of snapshots shared from another account: its ARN, or an alias name (`alias/<name>`: that alias in this account and region).',
        template: {
          description:
            'KMS key of this region that encrypts the copies of snapshots shared by SourceAccount: its ARN, or alias/<name> (that alias in this account and region). Empty (or None) for none.',
          allowedPattern: OWN_KMS_KEY_PATTERN,
          constraintDescription: OWN_KMS_KEY_CONSTRAINT,
        },
      },
    },
  },
  {
    name: 'Destinations',
    type: 'destinations',
    description:
      'Up to 5 destinations, each `Region`, `Account` (optional), `KmsKeyDestination` (optional): the list form of `DestinationRegion`, `DestinationAccount` and `KmsKeyDestination`, not together with them. See [Several destinations](#several-destinations).',
    schemaDescription:
      'Up to 5 destinations {Region, Account?, KmsKeyDestination?}; the list form of DestinationRegion/DestinationAccount/KmsKeyDestination',
    propType: 'readonly SourceDestinationProps[]',
    appliesTo: { source: {} },
  },
  {
    name: 'ReleaseStuckDestinationsAfterHours',
    type: 'integer',
    min: 1,
    max: 8760,
    unit: 'hours',
    defaultText: 'off',
    description:
      'Hours after which a snapshot a destination has still not received is no longer kept at the source for it. 1–8760. Off: kept until every destination has it.',
    schemaDescription:
      'Hours after which a snapshot a destination has still not received is no longer kept for it at the source (default off)',
    appliesTo: {
      source: {
        template: {
          description:
            'Hours after which a snapshot a destination still has not received (copy or share) is no longer kept for it at the source. Empty: off, a snapshot is kept until every destination has it.',
        },
      },
    },
  },
  {
    name: 'SourceRegion',
    type: 'region',
    description:
      "Only copies from this source region are managed, so two destinations never delete each other's copies.",
    appliesTo: {
      destination: {
        defaultText: '`Source.Region`',
        template: {
          description:
            "Only copies from this source region are managed, so two destination jobs never delete each other's copies. Empty for any.",
          allowedValues: ['', ...AWS_REGIONS],
          constraintDescription: 'must be empty or an AWS region name such as us-east-1',
        },
      },
    },
  },
  {
    name: 'SourceAccount',
    type: 'account',
    description:
      'Cross-account: the account whose shared snapshots are copied in, and whose copies are managed.',
    appliesTo: {
      destination: {
        template: {
          description:
            'Cross-account: the account whose shared snapshots are copied into this one and whose copies are managed. Empty when the source is this account.',
          allowedPattern: '^([0-9]{12})?$',
          constraintDescription: 'must be empty or a 12-digit AWS account id',
        },
      },
    },
  },
  {
    name: 'SourceOrganizationId',
    type: 'organizationId',
    description:
      "A vault for a whole organization: the AWS Organizations id (`o-...`) whose accounts' shared snapshots are copied in, from any of its accounts (IAM refuses the copy of a snapshot or key owned outside it, `aws:ResourceOrgID`), and whose copies are managed; the shapes bucket admits the organization's accounts (`aws:PrincipalOrgID`). With `SourceAccount` too, only that account's. See [docs/organization.md](docs/organization.md).",
    appliesTo: {
      destination: {
        template: {
          description:
            'A vault for a whole organization: its id (o-...). The copy job copies what any account of the organization shares; the functions may copy only snapshots and use only keys owned in it (aws:ResourceOrgID), and the shapes bucket admits its accounts (aws:PrincipalOrgID). Set the same value on destination-lambdas and on each destination-cluster stack. Empty: one SourceAccount, as before this parameter.',
          allowedPattern: '^(o-[a-z0-9]{10,32})?$',
          constraintDescription:
            'must be empty or an AWS Organizations id: o- and 10 to 32 lowercase letters or digits',
        },
      },
    },
  },
  {
    name: 'SharedSnapshotsKmsKey',
    type: 'sharedKeyArn',
    description:
      "Cross-account, with `SourceAccount`: the ARN of that account's key (in this region) that encrypts what it shares; its key policy must admit this account ([Key policies](docs/deployment.md#key-policies)).",
    appliesTo: {
      destination: {
        template: {
          description:
            "Cross-account: ARN of SourceAccount's KMS key that encrypts the snapshots it shares (its key policy must allow this account). Empty (or None) for none.",
          allowedPattern: KMS_KEY_ARN,
          constraintDescription: KMS_KEY_CONSTRAINT,
        },
      },
    },
  },
  {
    name: 'Schedule',
    type: 'cron',
    description:
      'EventBridge cron of the destination job, in `ScheduleTimezone`, without `cron(...)`; the same syntax as `BackupSchedule`.',
    appliesTo: {
      destination: {
        default: '0 * * * ? *',
        template: {
          description:
            'When the destination job runs (retention, and copying shared snapshots cross-account): an EventBridge cron expression of 6 fields, in ScheduleTimezone, without cron().',
          allowedPattern: CRON,
          constraintDescription: 'must be 6 cron fields separated by single spaces, such as 0 * * * ? *',
        },
      },
      drill: {
        default: '0 3 ? * SUN *',
        description: 'When the drill runs (EventBridge cron, 6 fields).',
        template: {
          description:
            'When the restore drill runs: an EventBridge cron expression of 6 fields, UTC, without cron(); weekly by default.',
          allowedPattern: CRON,
          constraintDescription: 'must be 6 cron fields separated by single spaces, such as 0 3 ? * SUN *',
        },
      },
    },
  },
  {
    name: 'ScheduleTimezone',
    type: 'timeZone',
    default: 'UTC',
    description: 'IANA time zone of `Schedule`.',
    template: {
      description:
        'IANA time zone of the schedule and of the days, weeks, months and years of retention, such as UTC, Europe/Berlin or America/New_York. EventBridge Scheduler skips a local time the spring-forward change removes and runs a repeated one once; the tool still takes one snapshot per local day.',
      allowedPattern: '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$',
      constraintDescription: 'must be an IANA time zone name such as UTC or Europe/Berlin',
    },
    appliesTo: {
      source: {
        after: 'BackupSchedule',
        description:
          'IANA time zone (`Europe/Berlin`, `America/New_York`...) of `BackupSchedule`. Deployed with EventBridge Scheduler, which skips a local time the spring-forward change removes and runs a repeated one once; the due decision counts the hours the local wall clock shows (and never fewer than elapsed), so a daily schedule takes exactly one snapshot per local day across both changes. Snapshot names stay in UTC.',
        template: true,
      },
      destination: { template: true },
      drill: {
        description: "IANA time zone of `Schedule` (the drill's EventBridge Scheduler schedule).",
        template: true,
      },
    },
  },
  {
    name: 'DBSubnetGroupName',
    type: 'subnetGroup',
    defaultText: 'the default VPC',
    description: 'Subnet group of the restored cluster.',
    appliesTo: {
      drill: {
        template: {
          description: 'DB subnet group of the restored cluster. Empty for the default VPC.',
          allowedPattern: '^[A-Za-z0-9 ._-]{0,255}$',
          constraintDescription: 'must be empty or a DB subnet group name (letters, digits, spaces, ._-)',
        },
      },
      recovery: {
        description:
          'DB subnet group of the restored cluster; it must exist in the recovery region (checked before anything is created).',
        defaultText: "the source's, where the recovery region has one of that name; else the default VPC",
      },
    },
  },
  {
    name: 'VpcSecurityGroupIds',
    type: 'securityGroups',
    defaultText: "the VPC's default group",
    description: 'Up to 5 security groups of the restored cluster.',
    propType: 'readonly string[]',
    appliesTo: {
      drill: {
        template: {
          description:
            "Security group ids of the restored cluster, comma-separated (at most 5). Empty for the VPC's default group.",
          allowedPattern: '^(sg-[0-9a-f]{8,17}(,sg-[0-9a-f]{8,17}){0,4})?$',
          constraintDescription:
            'must be empty or up to 5 comma-separated security group ids such as sg-0123456789abcdef0',
        },
      },
      recovery: {
        description: 'Up to 5 security groups of the restored cluster, in the recovery region.',
        defaultText: "the source's, where they exist in the recovery region; else the VPC's default group",
      },
    },
  },
  {
    name: 'InstanceClass',
    type: 'instanceClass',
    default: 'db.serverless',
    description:
      'Class of the one instance; `db.serverless` runs Serverless v2 between 0.5 and 1 ACU (see [The instance class](#the-instance-class)).',
    appliesTo: {
      drill: {
        template: {
          description:
            'Class of the one instance of the restored cluster; db.serverless runs Serverless v2 at its minimum capacity (0.5 to 1 ACU), or the smallest class offered where the engine version has none.',
          allowedPattern: '^db\\.[a-z0-9]+(\\.[a-z0-9]+)?$',
          constraintDescription: 'must be an RDS instance class such as db.serverless or db.r6g.large',
        },
      },
    },
  },
  {
    name: 'KmsKeyId',
    type: 'kmsKey',
    defaultText: "the copy's key",
    description:
      'Key of the recovery region that encrypts the restored cluster (its ARN, id or alias); the restoring role must be able to use it (checked before anything is created).',
    appliesTo: { recovery: {} },
  },
  {
    name: 'DBClusterParameterGroups',
    type: 'parameterGroups',
    defaultText: "the source's group where the recovery region has it; else RDS's default",
    description:
      "Cluster parameter groups of the recovery region, by the source's group name or by family (`prod-cluster-params: dr-cluster-params`, `aurora-postgresql15: dr-pg15`); the source's name comes first. Each must exist, of the restored version's family.",
    propType: 'Record<string, string>',
    appliesTo: { recovery: {} },
  },
  {
    name: 'DBParameterGroups',
    type: 'parameterGroups',
    defaultText: "the source's group where the recovery region has it; else RDS's default",
    description:
      "DB (instance) parameter groups of the recovery region, by the source's group name or by family, as `DBClusterParameterGroups`.",
    propType: 'Record<string, string>',
    appliesTo: { recovery: {} },
  },
  {
    name: 'MaxRestoreMinutes',
    type: 'integer',
    min: 10,
    max: 1440,
    unit: 'minutes',
    default: 120,
    description:
      'Minutes from the restore call until the cluster and its instance are both `available`. 10-1440.',
    appliesTo: {
      drill: {
        template: {
          description:
            'Minutes the restore (cluster and instance available) may take before the drill fails naming the snapshot.',
          allowedPattern: '^0*([1-9][0-9]|[1-9][0-9]{2}|1[0-3][0-9]{2}|14[0-3][0-9]|1440)$',
          constraintDescription: 'must be a whole number of minutes from 10 to 1440',
        },
      },
    },
  },
  {
    name: 'LogLevel',
    type: 'logLevel',
    default: 'ERROR',
    description: 'DEBUG, INFO, WARN, ERROR or CRITICAL.',
    propType: 'LogLevel',
    template: {
      description: 'Log level of the functions.',
      allowedValues: LOG_LEVELS,
      constraintDescription: `must be one of ${LOG_LEVELS.join(', ')}`,
    },
    appliesTo: {
      source: { template: true },
      destination: { template: true },
      drill: { description: 'Log level of the drill functions.', template: true },
    },
  },
  {
    name: 'Tags',
    type: 'tags',
    description:
      "Extra tags (a mapping) put on every snapshot the tool takes. The tool's own keys (`CreatedBy`, `CopiedBy`, `CreatedOn`, `shareAndCopy`, `SnapshotTool:*`) are refused.",
    propType: 'Record<string, string>',
    appliesTo: { source: {} },
  },
  {
    name: 'MaxDeletesPerPass',
    type: 'integer',
    min: 1,
    max: 1000,
    unit: 'snapshots',
    default: 20,
    description: 'At most this many snapshots deleted in one run, oldest first.',
    appliesTo: { source: {}, destination: {} },
  },
  {
    name: 'MaxWaitMinutes',
    type: 'integer',
    min: 5,
    max: 10080,
    unit: 'minutes',
    default: 720,
    description:
      'How long a run waits for the snapshots and copies it started. One still making progress then is left to the next runs (a first full copy of a large cluster to another region can take more than a day), and so is a copy that has not started (`copying` at 0%, queued behind other copies: RDS runs 5 at a time into a region); a snapshot still being created with no progress at all fails the run (`SnapshotTimedOut`) naming it.',
    appliesTo: {
      source: {
        template: {
          description:
            'Minutes a run waits for the snapshots and copies it started. One still making progress then, or a copy not started yet (queued behind others), is left to the next runs; a snapshot still being created at 0% fails the run with SnapshotTimedOut, and the alarm fires.',
        },
      },
      destination: {},
    },
  },
  {
    name: 'SnapshotEvents',
    type: 'boolean',
    default: true,
    description:
      "TRUE: an EventBridge rule starts the copy and share of each of the tool's snapshots as soon as RDS reports it created (`RDS-EVENT-0075`), rather than at the next scheduled run. FALSE: no rule (for an account whose policies forbid rules on RDS events); the scheduled runs do all the work. See [Snapshot events](docs/deployment.md#snapshot-events).",
    appliesTo: {
      source: {
        template: {
          description:
            "TRUE: an EventBridge rule starts the copy and share of each of the tool's snapshots as soon as RDS reports it created (RDS-EVENT-0075). FALSE: no rule; the scheduled runs do all the work.",
          allowedValues: TRUE_FALSE,
          constraintDescription: 'must be TRUE or FALSE',
        },
      },
    },
  },
  {
    name: 'RecoveryPointObjectiveHours',
    type: 'integer',
    min: 1,
    max: 17520,
    unit: 'hours',
    description:
      "Hours the recovery point (the newest available copy in `DestinationRegion` when snapshots are copied, else the newest available snapshot) may age before the stack's alarm fires; not below `BackupInterval`.",
    appliesTo: {
      source: {
        defaultText: '`BackupInterval` × 2',
        template: {
          description:
            'Hours the recovery point (the newest restorable copy, or snapshot when nothing is copied) may age before the stack alarm notifies its topic. Empty for BackupInterval + max(BackupInterval, longest wait between runs); not below BackupInterval.',
          allowedPattern: '^([1-9][0-9]{0,4})?$',
          constraintDescription:
            'must be empty or a whole number of hours from 1 to 17520, not below BackupInterval',
        },
      },
      destination: {
        description:
          "Hours the newest copy may age before the stack's alarm fires; not below `Source.BackupInterval`.",
        defaultText: '`Source.BackupInterval` × 2 (48 without a Source block)',
        template: {
          description:
            "Hours the newest copy may age before the stack alarm notifies its topic. Empty for 48 (twice the default BackupInterval): set it to twice the source's BackupInterval.",
          allowedPattern: '^([1-9][0-9]{0,4})?$',
          constraintDescription:
            "must be empty or a whole number of hours from 1 to 17520, not below the source's BackupInterval",
        },
      },
    },
  },
  {
    name: 'StackSetName',
    type: 'stackSetName',
    default: 'AuroraSnapshotTool',
    description:
      'Name of the StackSet `org deploy` creates or updates (a letter, then letters, digits and hyphens, at most 128).',
    appliesTo: { organization: {} },
  },
  {
    name: 'OrganizationalUnits',
    type: 'organizationalUnits',
    required: true,
    description:
      'Organizational units (`ou-...`) or the root (`r-...`) whose accounts are protected, as a list; accounts that join them later get the stack too (automatic deployment).',
    propType: 'readonly string[]',
    appliesTo: { organization: {} },
  },
  {
    name: 'Regions',
    type: 'regions',
    required: true,
    description:
      "Regions where every account of `OrganizationalUnits` gets the account stack, as a list; `Source.Region`, when given, is one of them. The Source block is checked once for each (its region's rules apply).",
    propType: 'readonly string[]',
    appliesTo: { organization: {} },
  },
  {
    name: 'CodeBucket',
    type: 'codeBucket',
    required: true,
    description:
      "Bucket of the function bundles, as `publish --regions` names them: `{region}` (once) in the name stands for each stack's region (Lambda reads code only from its own region), so it must contain `{region}` when `Regions` has more than one. The template is uploaded to this bucket in the command's region too.",
    appliesTo: { organization: {} },
  },
  {
    name: 'CodePrefix',
    type: 'codePrefix',
    default: '',
    defaultText: 'none (the bucket root)',
    description:
      'Key prefix of the bundles in the code buckets (`publish --prefix`); a slash is added when missing.',
    appliesTo: { organization: {} },
  },
  {
    name: 'VaultAccount',
    type: 'account',
    description:
      'The account every member shares its snapshots into (the vault): the default of `Source.DestinationAccount` when the Source block names no account. Quote it in YAML.',
    appliesTo: { organization: {} },
  },
  {
    name: 'StatusAccount',
    type: 'account',
    description:
      'The account that may run `status --organization`: each member stack makes a read-only role it can assume. Quote it in YAML.',
    defaultText: 'none (no reader role)',
    appliesTo: { organization: {} },
  },
  {
    name: 'CallAs',
    type: 'callAs',
    default: 'SELF',
    description:
      '`SELF` when `org deploy` runs in the management account, `DELEGATED_ADMIN` in a delegated administrator account of StackSets.',
    appliesTo: { organization: {} },
  },
] as const satisfies readonly ParameterEntry[];

export type ParameterName = (typeof PARAMETERS)[number]['name'];
type Entry = (typeof PARAMETERS)[number];

/** The entries of one block, in the block's order. */
export type BlockEntry<B extends Block> = Extract<
  Entry,
  { readonly appliesTo: { readonly [K in B]: unknown } }
>;
export type BlockParameterName<B extends Block> = BlockEntry<B>['name'];
/** The parameters of the template of a block. */
export type TemplateParameterName<B extends Block> = Extract<
  BlockEntry<B>,
  { readonly appliesTo: { readonly [K in B]: { readonly template: unknown } } }
>['name'];

/** The entries by name (the table names each parameter once). */
const BY_NAME = Object.fromEntries(PARAMETERS.map((entry) => [entry.name, entry])) as {
  readonly [E in Entry as E['name']]: E;
};

/** The entry of `name`. */
export function parameter(name: ParameterName): ParameterEntry {
  return BY_NAME[name];
}

/** The parameters of `block`, in its order: the table's, with `after` placements applied. */
export function blockParameters(block: Block): readonly ParameterEntry[] {
  const entries = (PARAMETERS as readonly ParameterEntry[]).filter((e) => e.appliesTo[block] !== undefined);
  const placed = entries.filter((e) => e.appliesTo[block]?.after === undefined);
  for (const entry of entries.filter((e) => e.appliesTo[block]?.after !== undefined)) {
    const at = placed.findIndex((e) => e.name === entry.appliesTo[block]?.after);
    placed.splice(at + 1, 0, entry);
  }
  return placed;
}

/** The default of a parameter in a block (undefined: required, or optional and off). */
export function defaultIn(entry: ParameterEntry, block: Block): ParameterValue | undefined {
  return entry.appliesTo[block]?.default ?? entry.default;
}

/** Whether a parameter must be given in a block. */
export function requiredIn(entry: ParameterEntry, block: Block): boolean {
  return entry.appliesTo[block]?.required ?? entry.required ?? false;
}

/** The meaning of a parameter in a block. */
export function descriptionIn(entry: ParameterEntry, block: Block): string {
  return entry.appliesTo[block]?.description ?? entry.description;
}

/** The template parameter of `entry` in the template of `block`, if it has one. */
export function templateSpecIn(entry: ParameterEntry, block: Block): TemplateParameterSpec | undefined {
  const spec = entry.appliesTo[block]?.template;
  return spec === true ? entry.template : spec;
}

/** The construct prop of a parameter: its name lower-camel-cased (`DBSubnetGroupName`: `dbSubnetGroupName`). */
export function propName(name: string): string {
  return name.replace(/^[A-Z]+(?=[A-Z][a-z])|^[A-Z]/, (head) => head.toLowerCase());
}

export type DefaultIn<E, B extends Block> = E extends {
  readonly appliesTo: { readonly [K in B]: { readonly default: infer D } };
}
  ? D
  : E extends { readonly default: infer D }
    ? D
    : never;

/** The defaults of a block, by parameter name. */
export type BlockDefaults<B extends Block> = {
  readonly [E in BlockEntry<B> as [DefaultIn<E, B>] extends [never] ? never : E['name']]: DefaultIn<E, B>;
};

/** The defaults of `block`, by parameter name. */
export function blockDefaults<B extends Block>(block: B): BlockDefaults<B> {
  const defaults: Record<string, ParameterValue> = {};
  for (const entry of blockParameters(block)) {
    const value = defaultIn(entry, block);
    if (value !== undefined) defaults[entry.name] = value;
  }
  return defaults as BlockDefaults<B>;
}

/** The names of the whole-number parameters. */
export type WholeNumberName = Extract<Entry, { readonly type: 'integer' }>['name'];

/** The bounds of a whole-number parameter. */
export function rangeOf(name: WholeNumberName): { readonly min: number; readonly max: number } {
  const { min, max } = BY_NAME[name];
  return { min, max };
}
