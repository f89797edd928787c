/**
 * The restore plan: from the chosen copy, the cluster's recorded shape (or, without one, what the snapshot
 * itself says), the configuration's Recovery block and the recovery region's facts, the exact ordered API
 * requests that bring back a cluster like the lost one, what was mapped and why, or the refusals that stop
 * the restore before any create call.
 */
import type { ClusterShape, InstanceShape } from '../model/cluster-shape.js';
import type { ConfigIssue } from '../model/errors.js';
import type { SnapshotInfo, Tags } from '../model/model.js';
import { isValidIdentifier } from '../model/naming.js';
import { sourceClusterOf } from '../model/snapshot-kind.js';
import { TAG } from '../model/tags.js';
import { pointInTimeOf } from '../policy/point-in-time.js';
import { compareVersions, familyOf, nearestVersion } from './engine-versions.js';
import type { NamedGroup, RecoveryRegionFacts, RecoverySettings } from './recovery-port.js';
import { restoredInstanceName, singleInstanceName } from './restore-names.js';
import {
  apiTags,
  type CreateInstanceRequest,
  type RestoreClusterRequest,
  type RestoreRequest,
} from './restore-requests.js';

/** The class that gives an instance Serverless v2 capacity. */
export const SERVERLESS_V2_CLASS = 'db.serverless';

/**
 * Serverless v2 capacity (ACUs) when an instance is `db.serverless` and the source's range is unknown
 * (no recorded shape, or a class override): from the smallest to a range a production load can grow into;
 * change it afterwards with modify-db-cluster.
 */
export const DEFAULT_SERVERLESS_V2 = { MinCapacity: 0.5, MaxCapacity: 16 } as const;

export interface RestorePlanInput {
  readonly snapshot: SnapshotInfo;
  /** The cluster's shape read from the copy, undefined when it carries none. */
  readonly shape: ClusterShape | undefined;
  /** Why there is no shape (the decoder's reason). */
  readonly shapeReason?: string | undefined;
  readonly facts: RecoveryRegionFacts;
  readonly recovery: RecoverySettings;
  /** `--name`. @default the source cluster's name */
  readonly name?: string | undefined;
  /** `--instance-class`: every instance's class (required without a shape). */
  readonly instanceClass?: string | undefined;
  /** `--engine-version`. @default the shape's, else the snapshot's */
  readonly engineVersion?: string | undefined;
  /** A restore drill's restore: the same requests, changed only as DrillOverrides says. */
  readonly drill?: DrillOverrides | undefined;
}

/**
 * What a restore drill changes of the restore it proves (every other field is the restore command's own):
 * one instance of the drill's class (`instanceClass`) under the drill's name, with the writer's settings but
 * none that depend on the source's class (its DB parameter group, sized for the source's classes, and
 * Performance Insights, not offered on every small class); Serverless v2 at the drill's capacity; no
 * deletion protection (the drill deletes what it restored); no CloudWatch Logs exports (each drill cluster has
 * a new name, and RDS leaves its log groups behind when the cluster is deleted); and the drill's tags instead
 * of the source's, which the drill's clean-up and IAM conditions select by (the source's tags could draw a
 * drill cluster into the automation, backups or costs of production).
 */
export interface DrillOverrides {
  /** The one instance's identifier. */
  readonly instanceId: string;
  /** Tags of the cluster and its instance: the drill's purpose, the source cluster and snapshot. */
  readonly tags: Tags;
  /** Capacity of the cluster when its instance is db.serverless. */
  readonly serverlessV2: { readonly MinCapacity: number; readonly MaxCapacity: number };
}

export interface RestorePlan {
  readonly region: string;
  readonly sourceClusterId: string;
  readonly clusterId: string;
  readonly snapshotId: string;
  readonly snapshotArn: string;
  /** The point in time of the copy's data: everything written after it is lost. */
  readonly pointInTime: Date | undefined;
  readonly shapeKnown: boolean;
  /** The ordered requests: the cluster's restore, then its instances, writer first. */
  readonly requests: readonly RestoreRequest[];
  /** Identifiers an earlier, interrupted restore of the same copy already created (not created again). */
  readonly existing: readonly string[];
  /** What was mapped, defaulted or left unchecked, and why. */
  readonly notes: readonly string[];
}

export type RestorePlanResult =
  | { readonly ok: true; readonly plan: RestorePlan }
  | { readonly ok: false; readonly refusals: readonly ConfigIssue[] };

/** The key the restored cluster is encrypted with: Recovery.KmsKeyId, else the copy's own key (none when unencrypted). */
export function restoreKeyOf(snapshot: SnapshotInfo, recovery: RecoverySettings): string | undefined {
  return recovery.kmsKeyId ?? (snapshot.encrypted ? snapshot.kmsKeyId : undefined);
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

interface GroupKind {
  readonly label: 'Recovery.DBClusterParameterGroups' | 'Recovery.DBParameterGroups';
  readonly what: 'cluster parameter group' | 'DB parameter group';
  readonly groups: readonly NamedGroup[];
  readonly mapping: Readonly<Record<string, string>>;
}

/**
 * The parameter group of the restored cluster or instance: the Recovery mapping of the source's group
 * name, else of the family, else the source's name when the region has it, else RDS's default of the family.
 */
function mapGroup(
  kind: GroupKind,
  sourceName: string | undefined,
  family: string | undefined,
  region: string,
  refusals: ConfigIssue[],
  notes: string[],
): string | undefined {
  const key =
    sourceName !== undefined && kind.mapping[sourceName] !== undefined
      ? sourceName
      : family !== undefined && kind.mapping[family] !== undefined
        ? family
        : undefined;
  const ofFamily = kind.groups.filter((g) => family === undefined || g.family === family).map((g) => g.name);
  if (key !== undefined) {
    const mapped = kind.mapping[key] as string;
    const group = kind.groups.find((g) => g.name === mapped);
    if (group === undefined) {
      refusals.push({
        parameter: `${kind.label}.${key}`,
        value: mapped,
        message: `no ${kind.what} ${mapped} in ${region}; the region has${family === undefined ? '' : ` of family ${family}`}: ${list(ofFamily)}`,
      });
      return undefined;
    }
    if (family !== undefined && group.family !== undefined && group.family !== family) {
      refusals.push({
        parameter: `${kind.label}.${key}`,
        value: mapped,
        message: `${kind.what} ${mapped} is of family ${group.family}; the restored engine version needs family ${family}: ${list(ofFamily)}`,
      });
      return undefined;
    }
    return mapped;
  }
  if (sourceName === undefined) return undefined;
  const same = kind.groups.find((g) => g.name === sourceName);
  if (same !== undefined && (family === undefined || same.family === undefined || same.family === family)) {
    return sourceName;
  }
  if (!sourceName.startsWith('default.')) {
    notes.push(
      `the source's ${kind.what} ${sourceName} does not exist in ${region}${family === undefined ? '' : ` for family ${family}`} and ${kind.label} maps neither it nor the family: RDS's default group is used (map it to carry the source's parameters)`,
    );
  }
  return undefined;
}

/** An instance the restore creates, in the order created (which one is the writer is settled by then). */
type PlannedInstance = Omit<InstanceShape, 'writer'>;

/**
 * A drill's one instance: the source's writer (else the first instance) under the drill's name and class,
 * without the settings that depend on the source's class (see DrillOverrides).
 */
function drillInstance(
  drill: DrillOverrides,
  shape: ClusterShape | undefined,
  instanceClass: string,
): PlannedInstance {
  const writer = shape === undefined ? undefined : writerFirst(shape.instances)[0];
  return {
    id: drill.instanceId,
    instanceClass,
    ...(writer?.promotionTier !== undefined ? { promotionTier: writer.promotionTier } : {}),
  };
}

/** Writer first, then the readers by failover priority, then by identifier. */
function writerFirst(instances: readonly InstanceShape[]): InstanceShape[] {
  return [...instances].sort(
    (a, b) =>
      Number(b.writer) - Number(a.writer) ||
      (a.promotionTier ?? 16) - (b.promotionTier ?? 16) ||
      a.id.localeCompare(b.id),
  );
}

/** The engine version to restore, or a refusal naming the nearest version the region offers. */
function chooseVersion(
  input: RestorePlanInput,
  engine: string,
  refusals: ConfigIssue[],
  notes: string[],
): string | undefined {
  const { facts, snapshot } = input;
  const wanted = input.engineVersion ?? input.shape?.engineVersion ?? snapshot.engineVersion;
  if (wanted === undefined) return undefined;
  const own = snapshot.engineVersion;
  if (
    input.engineVersion !== undefined &&
    own !== undefined &&
    compareVersions(input.engineVersion, own) < 0
  ) {
    refusals.push({
      parameter: '--engine-version',
      value: input.engineVersion,
      message: `is older than the snapshot's ${engine} ${own}: RDS restores a snapshot into its own version or a later one`,
    });
    return wanted;
  }
  if (!facts.engineVersions.checked) {
    notes.push(`engine version ${engine} ${wanted} not checked: ${facts.engineVersions.reason}`);
    return wanted;
  }
  const offered = facts.engineVersions.versions;
  if (offered.some((v) => v.version === wanted)) return wanted;
  const nearest = nearestVersion(wanted, offered);
  refusals.push({
    parameter: '--engine-version',
    value: wanted,
    message:
      nearest === undefined
        ? `${engine} is not offered in ${facts.region}`
        : `${engine} ${wanted} is no longer offered in ${facts.region}; the nearest offered version is ${nearest}: restore with --engine-version ${nearest}`,
  });
  return wanted;
}

function chooseSubnetGroup(
  input: RestorePlanInput,
  refusals: ConfigIssue[],
  notes: string[],
): string | undefined {
  const { facts, recovery, shape } = input;
  const names = facts.subnetGroups.map((g) => g.name);
  if (recovery.dbSubnetGroupName !== undefined) {
    if (!names.includes(recovery.dbSubnetGroupName)) {
      refusals.push({
        parameter: 'Recovery.DBSubnetGroupName',
        value: recovery.dbSubnetGroupName,
        message: `no DB subnet group ${recovery.dbSubnetGroupName} in ${facts.region}; the region has: ${list(names)}`,
      });
    }
    return recovery.dbSubnetGroupName;
  }
  const source = shape?.dbSubnetGroup;
  if (source !== undefined && names.includes(source)) return source;
  if (source !== undefined) {
    notes.push(
      `the source's DB subnet group ${source} does not exist in ${facts.region}: the restore uses the default VPC (set Recovery.DBSubnetGroupName; the region has: ${list(names)})`,
    );
  }
  return undefined;
}

function chooseSecurityGroups(
  input: RestorePlanInput,
  sourceRegion: string | undefined,
  refusals: ConfigIssue[],
  notes: string[],
): readonly string[] | undefined {
  const { facts, recovery, shape } = input;
  const known = facts.securityGroups;
  const given = recovery.vpcSecurityGroupIds;
  if (given !== undefined && given.length > 0) {
    if (!known.checked) {
      notes.push(`Recovery.VpcSecurityGroupIds not checked before the restore: ${known.reason}`);
      return given;
    }
    const missing = given.filter((id) => !known.ids.includes(id));
    if (missing.length > 0) {
      refusals.push({
        parameter: 'Recovery.VpcSecurityGroupIds',
        value: missing.join(', '),
        message: `no security group ${missing.join(', ')} in ${facts.region}; the region has: ${list(known.ids)}`,
      });
    }
    return given;
  }
  const source = shape?.vpcSecurityGroupIds;
  if (source === undefined || source.length === 0) return undefined;
  if (known.checked ? source.every((id) => known.ids.includes(id)) : sourceRegion === facts.region) {
    if (!known.checked)
      notes.push(`the source's security groups are used unchecked (same region): ${known.reason}`);
    return source;
  }
  notes.push(
    `the source's security groups (${source.join(', ')}) ${known.checked ? 'do not exist' : 'belong to another region'} in ${facts.region}: the restore uses the VPC's default group (set Recovery.VpcSecurityGroupIds)`,
  );
  return undefined;
}

function checkKey(input: RestorePlanInput, refusals: ConfigIssue[]): string | undefined {
  const keyId = restoreKeyOf(input.snapshot, input.recovery);
  const fact = input.facts.key;
  // An unencrypted restore (no key) matches no fact: a fact always names its key.
  if (fact !== undefined && fact.keyId === keyId && !fact.usable) {
    const given = input.recovery.kmsKeyId !== undefined;
    refusals.push({
      parameter: given ? 'Recovery.KmsKeyId' : 'KmsKeyId',
      value: keyId,
      message: `${given ? 'the key' : "the copy's key"} cannot be used in ${input.facts.region} by these credentials (${fact.reason}): the restoring role needs kms:DescribeKey, kms:Decrypt and kms:CreateGrant on it${given ? '' : ', or set Recovery.KmsKeyId to a key it may use'}`,
    });
  }
  return keyId;
}

/** Builds the plan, or the refusals; nothing here calls AWS. */
export function planRestore(input: RestorePlanInput): RestorePlanResult {
  const { snapshot, shape, facts, recovery } = input;
  const refusals: ConfigIssue[] = [];
  const notes: string[] = [];
  const region = facts.region;
  const sourceClusterId = shape?.clusterId ?? sourceClusterOf(snapshot);
  const clusterId = input.name ?? sourceClusterId;
  const engine = shape?.engine ?? snapshot.engine ?? 'aurora-postgresql';
  const sourceRegion = snapshot.tags[TAG.SourceRegion];

  if (shape === undefined) {
    if (input.instanceClass === undefined) {
      refusals.push({
        parameter: '--instance-class',
        message: `is required: the copy ${snapshot.id} carries no shape of the cluster (${input.shapeReason ?? 'none recorded'}), so the class of its instance must be given, e.g. --instance-class db.r6g.large or db.serverless`,
      });
    } else {
      notes.push(
        `the cluster's shape is unknown (${input.shapeReason ?? 'the copy carries none'}): restored from what the snapshot says (engine, version, port, IAM authentication) with one ${input.instanceClass} instance; parameter groups, log exports and tags are not carried`,
      );
    }
  } else if (input.drill !== undefined && input.instanceClass === undefined) {
    // Without it the drill's one instance would be created with no class, after the cluster's restore began.
    refusals.push({
      parameter: '--instance-class',
      message: "is required for a restore drill: its one instance is of the drill's class, not the source's",
    });
  }

  const version = chooseVersion(input, engine, refusals, notes);
  const offered = facts.engineVersions.checked ? facts.engineVersions.versions : [];
  const family = familyOf(engine, version, offered);

  // The name: free, or taken by an earlier attempt of this very restore (the rerun resumes it).
  const snapshotRef = snapshot.arn || snapshot.id;
  const existingCluster = facts.clusters.find((c) => c.id === clusterId);
  const resuming = existingCluster !== undefined && existingCluster.tags[TAG.SourceSnapshot] === snapshotRef;
  if (input.name !== undefined && !isValidIdentifier(input.name)) {
    refusals.push({
      parameter: '--name',
      value: input.name,
      message:
        'must be 1-63 lowercase letters, digits or hyphens, starting with a letter, without two hyphens in a row or one at the end',
    });
  }
  if (existingCluster !== undefined && !resuming) {
    refusals.push({
      parameter: '--name',
      value: clusterId,
      message: `a cluster ${clusterId} already exists in ${region}; choose another name, e.g. --name ${clusterId}-restored`,
    });
  }

  const subnetGroup = chooseSubnetGroup(input, refusals, notes);
  const securityGroups = chooseSecurityGroups(input, sourceRegion, refusals, notes);
  const keyId = checkKey(input, refusals);
  const clusterGroup = mapGroup(
    {
      label: 'Recovery.DBClusterParameterGroups',
      what: 'cluster parameter group',
      groups: facts.clusterParameterGroups,
      mapping: recovery.clusterParameterGroups ?? {},
    },
    shape?.clusterParameterGroup,
    family,
    region,
    refusals,
    notes,
  );

  const drill = input.drill;
  const instances: PlannedInstance[] =
    drill !== undefined
      ? [drillInstance(drill, shape, input.instanceClass ?? '')]
      : shape === undefined
        ? [{ id: singleInstanceName(clusterId), instanceClass: input.instanceClass ?? '' }]
        : writerFirst(shape.instances);
  const classOf = (instance: PlannedInstance) => input.instanceClass ?? instance.instanceClass;
  const serverless = instances.some((i) => classOf(i) === SERVERLESS_V2_CLASS);
  if (shape !== undefined && input.instanceClass !== undefined && drill === undefined) {
    notes.push(`every instance gets the class ${input.instanceClass} (--instance-class), not the source's`);
  }
  if (shape?.tagsOmitted === true) {
    notes.push(
      "the cluster's own tags did not fit beside its shape in the snapshot's tags: the restored cluster has only the tool's",
    );
  }
  // Only a shape can have no instance: without one, or in a drill, there is always the one instance.
  if (instances.length === 0) {
    notes.push('the source cluster had no instance: the restored cluster has none either');
  }

  const restoreTags: Tags = drill?.tags ?? {
    ...(shape?.tags ?? {}),
    [TAG.SourceCluster]: sourceClusterId,
    [TAG.SourceSnapshot]: snapshotRef,
  };
  const capacity =
    drill !== undefined
      ? serverless
        ? { ...drill.serverlessV2 }
        : undefined
      : shape?.serverlessV2
        ? { MinCapacity: shape.serverlessV2.min, MaxCapacity: shape.serverlessV2.max }
        : serverless
          ? { ...DEFAULT_SERVERLESS_V2 }
          : undefined;
  if (serverless && !shape?.serverlessV2 && drill === undefined) {
    notes.push(
      `Serverless v2 capacity ${DEFAULT_SERVERLESS_V2.MinCapacity} to ${DEFAULT_SERVERLESS_V2.MaxCapacity} ACUs (the source's range is unknown)`,
    );
  }
  const port = shape?.port ?? snapshot.port;
  const backtrack = shape?.backtrackWindowSeconds;
  const cluster: RestoreClusterRequest = {
    DBClusterIdentifier: clusterId,
    SnapshotIdentifier: snapshot.id,
    Engine: engine,
    ...(version !== undefined ? { EngineVersion: version } : {}),
    ...(subnetGroup !== undefined ? { DBSubnetGroupName: subnetGroup } : {}),
    ...(securityGroups !== undefined ? { VpcSecurityGroupIds: [...securityGroups] } : {}),
    ...(keyId !== undefined ? { KmsKeyId: keyId } : {}),
    ...(clusterGroup !== undefined ? { DBClusterParameterGroupName: clusterGroup } : {}),
    EnableIAMDatabaseAuthentication:
      shape?.iamDatabaseAuthentication ?? snapshot.iamDatabaseAuthentication ?? false,
    EnableCloudwatchLogsExports: drill !== undefined ? [] : [...(shape?.logExports ?? [])],
    // Unknown, a restored production cluster is protected: nothing may delete what should be kept.
    DeletionProtection: drill !== undefined ? false : (shape?.deletionProtection ?? true),
    ...(capacity !== undefined ? { ServerlessV2ScalingConfiguration: capacity } : {}),
    ...(backtrack !== undefined && backtrack > 0 ? { BacktrackWindow: backtrack } : {}),
    ...(port !== undefined ? { Port: port } : {}),
    Tags: apiTags(restoreTags),
    CopyTagsToSnapshot: true,
  };

  const instanceGroups: GroupKind = {
    label: 'Recovery.DBParameterGroups',
    what: 'DB parameter group',
    groups: facts.instanceParameterGroups,
    mapping: recovery.instanceParameterGroups ?? {},
  };
  const existing: string[] = resuming ? [clusterId] : [];
  const mappedInstanceGroups = new Map<string | undefined, string | undefined>();
  const requests: RestoreRequest[] = [{ action: 'RestoreDBClusterFromSnapshot', input: cluster }];
  for (const instance of instances) {
    const id =
      shape === undefined || drill !== undefined
        ? instance.id
        : restoredInstanceName({ sourceClusterId, sourceInstanceId: instance.id, clusterId });
    const inUse = facts.instances.find((i) => i.id === id);
    if (inUse !== undefined) {
      if (resuming && inUse.clusterId === clusterId) existing.push(id);
      else {
        refusals.push({
          parameter: '--name',
          value: clusterId,
          message: `the instance name ${id} it gives is in use in ${region}${inUse.clusterId === undefined ? '' : ` (cluster ${inUse.clusterId})`}; choose another --name`,
        });
      }
    }
    if (!mappedInstanceGroups.has(instance.parameterGroup)) {
      mappedInstanceGroups.set(
        instance.parameterGroup,
        mapGroup(instanceGroups, instance.parameterGroup, family, region, refusals, notes),
      );
    }
    const group = mappedInstanceGroups.get(instance.parameterGroup);
    const request: CreateInstanceRequest = {
      DBInstanceIdentifier: id,
      DBClusterIdentifier: clusterId,
      DBInstanceClass: classOf(instance),
      Engine: engine,
      ...(instance.promotionTier !== undefined ? { PromotionTier: instance.promotionTier } : {}),
      ...(group !== undefined ? { DBParameterGroupName: group } : {}),
      ...(instance.performanceInsights !== undefined
        ? { EnablePerformanceInsights: instance.performanceInsights }
        : {}),
      PubliclyAccessible: false,
      Tags: apiTags(restoreTags),
    };
    requests.push({ action: 'CreateDBInstance', input: request });
  }
  if (existing.length > 0) {
    notes.push(
      `an earlier restore of ${snapshot.id} into ${clusterId} was interrupted: ${existing.join(', ')} already exist and are not created again`,
    );
  }
  if (refusals.length > 0) return { ok: false, refusals };
  return {
    ok: true,
    plan: {
      region,
      sourceClusterId,
      clusterId,
      snapshotId: snapshot.id,
      snapshotArn: snapshot.arn,
      pointInTime: pointInTimeOf(snapshot),
      shapeKnown: shape !== undefined,
      requests,
      existing,
      notes,
    },
  };
}
