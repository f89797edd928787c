/**
 * The parsers the blocks share, one per parameter type of the table (src/config/parameters.ts): each reads
 * a value as YAML, JSON, a Lambda event or a CloudFormation parameter may carry it, and refuses it with a
 * message saying what is accepted.
 */
import * as z from 'zod';
import { AWS_REGIONS, isAwsRegion, partitionOf } from '../core/copies/regions.js';
import { TAG } from '../core/model/tags.js';
import { checkEventBridgeCron } from '../core/policy/schedule.js';
import { isTimeZone } from '../core/policy/zone.js';
import {
  ALL_CLUSTERS,
  blockDefaults,
  CALL_AS,
  type CallAs,
  LOG_LEVELS,
  type LogLevel,
  REGION_PLACEHOLDER,
  rangeOf,
} from './parameters.js';

/** Defaults written down once, in the parameter table; the README and the templates come from it too. */
export const DEFAULTS = blockDefaults('source');

/** KeepLast and the GFS counts: each 0 (off) or a count of snapshots, periods. */
export const KEEP_RULES = ['KeepLast', 'KeepDaily', 'KeepWeekly', 'KeepMonthly', 'KeepYearly'] as const;
export const MAX_KEEP = rangeOf('KeepLast').max;

/** ReleaseStuckDestinationsAfterHours' range (hours). */
export const RELEASE_STUCK_HOURS_RANGE = rangeOf('ReleaseStuckDestinationsAfterHours');

/** MaxWaitMinutes' range (minutes): the template parameter's AllowedPattern is built from it. */
export const MAX_WAIT_MINUTES_RANGE = rangeOf('MaxWaitMinutes');

/**
 * Reports a refusal of the value at `path` (relative to the value refined). Only the message and the path
 * reach the user (see toConfigIssues).
 */
export function refuse(ctx: z.RefinementCtx, message: string, path: PropertyKey[] = []): void {
  ctx.addIssue({ code: 'custom', message, path });
}

/**
 * Why `region` cannot take copies from or to `home` (named `homeName`, such as Source.Region) when it lies
 * in another partition (aws, aws-cn, aws-us-gov): RDS copies and shares snapshots only within one.
 * Undefined when both are in one partition.
 */
export function otherPartition(homeName: string, home: string, region: string): string | undefined {
  const partition = partitionOf(home);
  const other = partitionOf(region);
  if (partition === other) return undefined;
  return `must be a region of the same partition as ${homeName} (${home}, partition ${partition}), not partition ${other}: RDS copies snapshots only within a partition`;
}

export const booleanParam = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const upper = value.trim().toUpperCase();
  if (upper === 'TRUE') return true;
  if (upper === 'FALSE') return false;
  refuse(ctx, 'must be TRUE or FALSE');
  return z.NEVER;
});

export function integerParam(min: number, max: number, unit: string) {
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

export const region = z.string().refine(isAwsRegion, {
  message: `must be an AWS region name such as us-east-1 (one of ${AWS_REGIONS.join(', ')})`,
});

export const accountId = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = String(value);
  if (!/^\d{12}$/.test(text)) {
    refuse(ctx, 'must be a 12-digit AWS account id (quote it in YAML: "012345678901")');
    return z.NEVER;
  }
  return text;
});

/** An AWS Organizations id, as Organizations writes it (`o-` and 10 to 32 lowercase letters or digits). */
export const organizationId = z.string().refine((text) => /^o-[a-z0-9]{10,32}$/.test(text), {
  message:
    'must be an AWS Organizations id: o- and 10 to 32 lowercase letters or digits, such as o-a1b2c3d4e5',
});

// Cluster identifiers hold letters, digits and hyphens; a pattern may add regular-expression
// syntax, and nothing else (no spaces, quotes or shell characters).
const PATTERN_CHARS = /^[A-Za-z0-9\-^$.*+?()[\]{}|\\,]+$/;
export const pattern = z
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

export const cron = z.string().superRefine((value, ctx) => {
  const check = checkEventBridgeCron(value);
  if (!check.ok) {
    refuse(ctx, `must be a 6-field EventBridge cron expression such as "0 0,8,16 * * ? *": ${check.reason}`);
  }
});

// AWS's alias names: `alias/` then 1 to 250 letters, digits, slashes, underscores and hyphens (256 in all).
const KMS_ARN =
  /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]{1,250})$/;
const KMS_ID =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]{1,250})$/;
export const kmsKey = z.string().refine((v) => KMS_ARN.test(v) || KMS_ID.test(v), {
  message: 'must be a KMS key ARN, key id or alias (alias/name)',
});

/** `alias/aws/...`: AWS reserves it for its managed keys (customers cannot create aliases there). */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

/**
 * A key of the account the tool encrypts its copies with (KmsKeySource, KmsKeyDestination): by key ARN, key
 * id, alias ARN or alias name, but not an AWS managed key's alias (aws/rds cannot be shared, and re-encrypting
 * with it changes nothing). An alias name means that alias in the stack's own account, in the key's region.
 */
export const ownKmsKey = kmsKey.superRefine((value, ctx) => {
  if (AWS_MANAGED_ALIAS.test(value)) {
    refuse(
      ctx,
      'must not name an AWS managed key (alias/aws/...): the copies are encrypted with a customer managed key, named by its key ARN or by an alias you created (alias/<name>)',
    );
  }
});

/** A key named by its key ARN (not an alias): how another account's key must be named. */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/[A-Za-z0-9-]+$/;

/** The region named in a KMS key ARN, if the key is given as an ARN. */
export function kmsKeyRegion(key: string): string | undefined {
  return KMS_ARN.exec(key)?.[1];
}

/** Another account's key, by its key ARN (SharedSnapshotsKmsKey). */
export const sharedKeyArn = z.string().refine((v) => KMS_KEY_ARN.test(v), {
  message: "must be the ARN of the source account's key (arn:aws:kms:<region>:<account>:key/<id>)",
});

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/**
 * The tags the tool reads to decide (who made a snapshot, its point in time, whether it was shared...):
 * set from the configuration they would make it skip a share, or expire snapshots that are not its own.
 */
const TOOL_TAGS = new Set<string>(Object.values(TAG).map((key) => key.toLowerCase()));
const isToolTag = (key: string) => TOOL_TAGS.has(key.toLowerCase()) || /^snapshottool:/i.test(key);
export const tags = z.record(z.string(), z.string()).superRefine((value, ctx) => {
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
export const clusterTags = z
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
export const excludePattern = pattern.refine((value) => value !== ALL_CLUSTERS, {
  message: `must be a regular expression; ${ALL_CLUSTERS} would leave every cluster out`,
});

export const timeZone = z.string().refine(isTimeZone, {
  message: 'must be an IANA time zone name such as UTC, Europe/Berlin or America/New_York',
});

export const logLevel = z
  .string()
  .transform((v) => v.toUpperCase())
  .refine((v): v is LogLevel => (LOG_LEVELS as readonly string[]).includes(v), {
    message: `must be one of ${LOG_LEVELS.join(', ')}`,
  });

const SECURITY_GROUP = /^sg-[0-9a-f]{8,17}$/;
/** A list of security group ids, or one comma-separated text (as a CloudFormation parameter passes it). */
export const securityGroups = z.union([z.array(z.string()), z.string()]).transform((value, ctx) => {
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

export const subnetGroup = z.string().regex(/^[A-Za-z0-9 ._-]{1,255}$/, {
  message: 'must be a DB subnet group name (letters, digits, spaces, ._-)',
});

/** A parameter group name (`default.aurora-postgresql15` included) or, as a key, a family (`aurora-mysql8.0`). */
const PARAMETER_GROUP = /^[A-Za-z][A-Za-z0-9.-]{0,254}$/;
/**
 * Recovery.DBClusterParameterGroups and DBParameterGroups: a mapping from the source's group name, or from a
 * parameter group family, to the group of the recovery region.
 */
export const parameterGroups = z.record(z.string(), z.string()).superRefine((value, ctx) => {
  for (const [key, group] of Object.entries(value)) {
    if (!PARAMETER_GROUP.test(key)) {
      refuse(
        ctx,
        "keys are the source's parameter group names or parameter group families such as aurora-postgresql15 (a letter, then letters, digits, dots or hyphens)",
        [key],
      );
    } else if (!PARAMETER_GROUP.test(group)) {
      refuse(
        ctx,
        'must be the name of a parameter group of the recovery region (a letter, then letters, digits, dots or hyphens)',
        [key],
      );
    }
  }
});

export const instanceClass = z.string().regex(/^db\.[a-z0-9]+(\.[a-z0-9]+)?$/, {
  message: 'must be an RDS instance class such as db.serverless or db.r6g.large',
});

/** A StackSet name as CloudFormation accepts it. */
export const stackSetName = z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, {
  message: 'must be a StackSet name: a letter, then letters, digits and hyphens, at most 128 characters',
});

/** A list, or one comma-separated text (as a command-line option or a CloudFormation parameter passes it). */
function listOf(value: string | readonly string[]): string[] {
  return (typeof value === 'string' ? value.split(',') : value).map((item) => item.trim()).filter(Boolean);
}

/** A list of distinct items each matching `item`, at least one. */
function distinctList(test: (item: string) => boolean, accepted: string) {
  return z.union([z.array(z.string()), z.string()]).transform((value, ctx) => {
    const items = listOf(value);
    const bad = items.filter((item) => !test(item));
    const repeated = items.filter((item, i) => items.indexOf(item) !== i);
    if (items.length === 0) refuse(ctx, `must name at least one: ${accepted}`);
    else if (bad.length > 0) refuse(ctx, `must be ${accepted} (not ${bad.join(', ')})`);
    else if (repeated.length > 0) refuse(ctx, `names ${[...new Set(repeated)].join(', ')} more than once`);
    else return items;
    return z.NEVER;
  });
}

/** Organizations' own patterns of an OU id and a root id (what CreateStackInstances accepts). */
const ORGANIZATIONAL_UNIT = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
export const organizationalUnits = distinctList(
  (id) => ORGANIZATIONAL_UNIT.test(id),
  'organizational unit ids such as ou-ab12-cdef3456 or the root id such as r-ab12',
);

export const regions = distinctList(isAwsRegion, 'AWS region names such as us-east-1, eu-west-1');

/** A bucket name once `{region}` is replaced by the longest region name. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const LONGEST_REGION = AWS_REGIONS.reduce((a, b) => (b.length > a.length ? b : a));
export const codeBucket = z.string().superRefine((value, ctx) => {
  const named = value.replaceAll(REGION_PLACEHOLDER, LONGEST_REGION);
  if (value.split(REGION_PLACEHOLDER).length > 2) {
    // The templates replace it once (Fn::Split on it, then Fn::Join with the region) and allow it once.
    refuse(ctx, `must contain ${REGION_PLACEHOLDER} at most once, such as acme-tool-${REGION_PLACEHOLDER}`);
  } else if (!BUCKET_NAME.test(named) || /[{}]/.test(named)) {
    refuse(
      ctx,
      `must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens, counting a region name for each ${REGION_PLACEHOLDER}), such as acme-tool-${REGION_PLACEHOLDER}`,
    );
  }
});

const PREFIX_SEGMENT = /^[A-Za-z0-9!_.*'()-]+$/;
/** A key prefix: segments separated by slashes; normalized to end in one slash (empty stays empty). */
export const codePrefix = z.string().transform((value, ctx) => {
  const trimmed = value.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (!trimmed.split('/').every((segment) => PREFIX_SEGMENT.test(segment))) {
    refuse(ctx, "must be key segments of letters, digits and !_.*'()- separated by slashes");
    return z.NEVER;
  }
  return `${trimmed}/`;
});

export const callAs = z
  .string()
  .transform((v) => v.toUpperCase())
  .refine((v): v is CallAs => (CALL_AS as readonly string[]).includes(v), {
    message: `must be one of ${CALL_AS.join(', ')}`,
  });
