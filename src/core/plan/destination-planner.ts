/**
 * The destination side's planner (pure): import the snapshots other accounts shared with this one, and
 * expire the tool's copies of the configured source, never another source's.
 */

import {
  CopySlots,
  copiesInFlight,
  MAX_COPIES_IN_FLIGHT,
  QUOTA_WARNING_FRACTION,
} from '../copies/copy-limit.js';
import {
  isSharedFromSource,
  sharedPointInTime,
  sharedSourceAccount,
  sharedSourceRegion,
  sortSharedNewestFirst,
} from '../copies/shared-origin.js';
import type { SnapshotInfo } from '../model/model.js';
import { identifierFromArn, withSuffix } from '../model/naming.js';
import { compilePattern } from '../model/pattern.js';
import { isAvailable, isCopiedByTool, isManual, sourceClusterOf } from '../model/snapshot-kind.js';
import { TAG, TOOL_TAG_VALUE } from '../model/tags.js';
import type { DestinationPolicy } from '../policy/backup-policy.js';
import { daysToMs } from '../policy/point-in-time.js';
import { DELETE_DISABLED_NOTE, decideRetention, keepPolicyOf, keptSnapshots } from '../policy/retention.js';
import type { DestinationObservation, DestinationPhase } from './observation.js';
import type { Action, KeptSnapshot, Note, Plan } from './plan.js';

type CopyAction = Extract<Action, { kind: 'copy' }>;
type DeleteAction = Extract<Action, { kind: 'delete' }>;

/**
 * True when a copy belongs to the configured source. A tag that is present must match; copies without
 * the tag (made by the original tool) are managed when the pattern matches their cluster.
 */
export function isCopyOfSource(
  config: DestinationPolicy,
  matches: (clusterId: string) => boolean,
  snapshot: SnapshotInfo,
): boolean {
  const region = snapshot.tags[TAG.SourceRegion];
  const account = snapshot.tags[TAG.SourceAccount];
  if (config.SourceRegion !== undefined && region !== undefined && region !== config.SourceRegion)
    return false;
  if (config.SourceAccount !== undefined && account !== undefined && account !== config.SourceAccount)
    return false;
  return matches(sourceClusterOf(snapshot));
}

export function planDestination(
  obs: DestinationObservation,
  config: DestinationPolicy,
  phases: readonly DestinationPhase[],
): Plan {
  const matches = compilePattern(config.SnapshotPattern);
  const notes: Note[] = [];
  const copies = phases.includes('copy') ? planImports(obs, config, matches, notes) : [];
  const kept: KeptSnapshot[] = [];
  const deletes = phases.includes('delete') ? planCopyDeletes(obs, config, matches, notes, kept) : [];
  const count = obs.snapshots.filter(isManual).length + copies.length;
  if (count >= obs.manualSnapshotQuota * QUOTA_WARNING_FRACTION) {
    notes.push({
      level: 'warn',
      code: 'quota-near',
      message: `${count} manual cluster snapshots in ${obs.region} (quota ${obs.manualSnapshotQuota}): lower RetentionDays or ask AWS for a higher quota`,
    });
  }
  const actions = [...copies, ...deletes];
  return phases.includes('delete') && config.DeleteOldSnapshots
    ? { actions, notes, kept }
    : { actions, notes };
}

function planImports(
  obs: DestinationObservation,
  config: DestinationPolicy,
  matches: (clusterId: string) => boolean,
  notes: Note[],
): CopyAction[] {
  const importedFrom = new Set<string>();
  /** Own identifiers, with the snapshot each was copied from (empty when unknown). */
  const ownIds = new Map<string, string>();
  for (const own of obs.snapshots) {
    const source = own.tags[TAG.SourceSnapshot];
    if (source !== undefined) importedFrom.add(source);
    ownIds.set(own.id, source ?? '');
  }
  const slots = new CopySlots(copiesInFlight(obs.snapshots));
  const copies: CopyAction[] = [];
  // The owner's tags are not visible here (AWS returns tags only to the owning account).
  const wanted = sortSharedNewestFirst(
    obs.shared
      .filter((s) => config.SourceAccount === undefined || s.accountId === config.SourceAccount)
      .filter((s) => isSharedFromSource(config, matches, s)),
  );
  // A vault for an organization names each copy after its owner too: the members run one schedule, so two of
  // them with clusters of the same name share snapshots of the same name at the same minute.
  const forOrganization = config.SourceOrganizationId !== undefined;
  for (const shared of wanted) {
    if (importedFrom.has(shared.arn)) continue;
    const plainId = identifierFromArn(shared.arn);
    const ownerId = withSuffix(plainId, `-${shared.accountId}`);
    let targetId = forOrganization ? ownerId : plainId;
    const clusterId = sourceClusterOf(shared);
    const note = (level: Note['level'], code: string, message: string): void => {
      notes.push({ level, code, message, clusterId, snapshotId: shared.arn });
    };
    const holder = ownIds.get(targetId);
    if (holder !== undefined) {
      // An empty holder is a copy made before the SourceSnapshot tag existed: already imported.
      if (holder === '') continue;
      // Another account's snapshot of the same name holds the name (a vault serving several source accounts
      // with one stack each): this one is named after its owner, not left uncopied. (When the name held is
      // already the owner-named one, `ownIds` has it, so it is taken.)
      if (!ownIds.has(ownerId)) {
        targetId = ownerId;
      } else {
        note(
          'warn',
          'name-taken',
          `${shared.arn} cannot be copied: this account already has ${targetId}, a copy of ${holder}`,
        );
        continue;
      }
    }
    if (!isAvailable(shared)) {
      note(
        'info',
        'shared-not-available',
        `shared snapshot ${shared.arn} is ${shared.status}: copied once available`,
      );
      continue;
    }
    const pointInTime = sharedPointInTime(shared);
    if (obs.now.getTime() - (pointInTime ?? obs.now).getTime() > daysToMs(config.RetentionDays)) {
      note(
        'info',
        'too-old-to-copy',
        `shared snapshot ${shared.arn} is older than RetentionDays (${config.RetentionDays}): not copied, it would be deleted at once`,
      );
      continue;
    }
    if (shared.encrypted && config.KmsKeyDestination === undefined) {
      note(
        'warn',
        'encryption-key-required',
        `EncryptionKeyRequired: shared snapshot ${shared.arn} is encrypted; set Destination.KmsKeyDestination to a key in ${obs.region} to copy it`,
      );
      continue;
    }
    if (!slots.take()) continue;
    ownIds.set(targetId, shared.arn);
    const { [TAG.CreatedBy]: _created, [TAG.SharedWith]: _shared, ...rest } = shared.tags;
    copies.push({
      kind: 'copy',
      purpose: 'import',
      sourceArn: shared.arn,
      sourceRegion: obs.region,
      targetRegion: obs.region,
      targetId,
      kmsKeyId: shared.encrypted ? config.KmsKeyDestination : undefined,
      clusterId,
      tags: {
        ...rest,
        [TAG.CopiedBy]: TOOL_TAG_VALUE,
        [TAG.PointInTime]: (pointInTime ?? obs.now).toISOString(),
        [TAG.SourceCluster]: clusterId,
        [TAG.SourceRegion]: sharedSourceRegion(shared) ?? config.SourceRegion ?? obs.region,
        [TAG.SourceAccount]: sharedSourceAccount(shared),
        [TAG.SourceSnapshot]: shared.arn,
        [TAG.Purpose]: 'dr-copy',
      },
      reason: `shared by ${shared.accountId} and not yet copied into ${obs.accountId}`,
    });
  }
  if (slots.waitingCount > 0) {
    notes.push({
      level: 'info',
      code: 'copy-limit',
      message: `${slots.waitingCount} copy(ies) wait for a later pass: at most ${MAX_COPIES_IN_FLIGHT} copies in flight in ${obs.region}`,
    });
  }
  return copies;
}

function planCopyDeletes(
  obs: DestinationObservation,
  config: DestinationPolicy,
  matches: (clusterId: string) => boolean,
  notes: Note[],
  kept: KeptSnapshot[],
): DeleteAction[] {
  if (!config.DeleteOldSnapshots) {
    notes.push(DELETE_DISABLED_NOTE);
    return [];
  }
  const decision = decideRetention({
    now: obs.now,
    retentionDays: config.RetentionDays,
    maxDeletes: config.MaxDeletesPerPass,
    snapshots: obs.snapshots,
    owned: (s) => isCopiedByTool(s) && isCopyOfSource(config, matches, s),
    // Copies the original tool made carry no origin tags: they belong with the tool's copies of the same
    // source (which isCopyOfSource already established), or the newest of them would be kept forever.
    groupOf: (s) =>
      [
        s.tags[TAG.SourceAccount] ?? config.SourceAccount ?? obs.accountId,
        // Stryker disable next-line StringLiteral: equivalent, any constant marks "region unknown" alike
        s.tags[TAG.SourceRegion] ?? config.SourceRegion ?? '',
        sourceClusterOf(s),
      ].join('\u0000'),
    policy: keepPolicyOf(config),
  });
  // One push per item: spreading a list of hundreds of thousands overflows the call stack.
  for (const note of decision.notes) notes.push(note);
  for (const k of keptSnapshots(decision, obs.region, sourceClusterOf)) kept.push(k);
  return decision.deletes.map(({ snapshot, reason }) => ({
    kind: 'delete',
    region: obs.region,
    snapshotId: snapshot.id,
    clusterId: sourceClusterOf(snapshot),
    reason,
  }));
}
