/**
 * Carries out a plan: takes, then copies, then shares (recording the share in a tag), then deletes.
 * Each action is independent: a failure is collected and the rest still run. Outcomes that mean the
 * work is already done (a snapshot that exists after a crash, one already deleted) count as success.
 */

import { isToolError } from '../model/errors.js';
import { type EngineLogger, type ShapeCarrier, silentLogger } from '../model/ports.js';
import { TAG } from '../model/tags.js';
import type { StoreForRegion } from './observation.js';
import type { Action, ActionResult, Note, Plan } from './plan.js';

const ORDER: Readonly<Record<Action['kind'], number>> = { take: 0, copy: 1, share: 2, delete: 3 };

/** The identifiers to log with an action. */
export function actionFields(action: Action): Record<string, unknown> {
  switch (action.kind) {
    case 'take':
      return {
        action: 'take',
        region: action.region,
        clusterId: action.clusterId,
        snapshotId: action.snapshotId,
      };
    case 'copy':
      return {
        action: 'copy',
        purpose: action.purpose,
        region: action.targetRegion,
        clusterId: action.clusterId,
        snapshotId: action.targetId,
        sourceArn: action.sourceArn,
      };
    case 'share':
      return {
        action: 'share',
        region: action.region,
        clusterId: action.clusterId,
        snapshotId: action.snapshotId,
        accountId: action.accountId,
      };
    case 'delete':
      return {
        action: 'delete',
        region: action.region,
        clusterId: action.clusterId,
        snapshotId: action.snapshotId,
      };
  }
}

/** Accounts each snapshot (by ARN) was shared with during this apply, for its SharedWith tag. */
type SharedSoFar = Map<string, Set<string>>;

type ShareAction = Extract<Action, { kind: 'share' }>;

/**
 * Leaves the shape of a snapshot just shared for the account it was shared with, which cannot read the
 * snapshot's tags. A backup never fails for its shape: a delivery that fails is a warning note, the share
 * stands and the account's copy will carry no shape.
 */
async function deliverShape(
  action: ShareAction,
  sourceAccount: string,
  carrier: ShapeCarrier,
  notes: Note[],
): Promise<void> {
  if (action.shapeTags === undefined) return;
  try {
    await carrier.deliver({
      region: action.region,
      vaultAccount: action.accountId,
      sourceAccount,
      snapshotId: action.snapshotId,
      shapeTags: action.shapeTags,
    });
  } catch (error) {
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    notes.push({
      level: 'warn',
      code: 'shape-not-delivered',
      message: `${action.snapshotId} is shared with ${action.accountId}, but its shape could not be left in that account's shapes bucket (${why}): its copy there will record no shape`,
      clusterId: action.clusterId,
      snapshotId: action.snapshotId,
      ...(action.destinations ? { destinations: action.destinations } : {}),
    });
  }
}

async function perform(
  action: Action,
  storeFor: StoreForRegion,
  shared: SharedSoFar,
  carrier: ShapeCarrier | undefined,
  notes: Note[],
): Promise<string | undefined> {
  switch (action.kind) {
    case 'take':
      try {
        await storeFor(action.region).createSnapshot({
          clusterId: action.clusterId,
          snapshotId: action.snapshotId,
          tags: action.tags,
        });
      } catch (error) {
        if (isToolError(error, 'SnapshotAlreadyExists')) return 'already exists (an earlier pass took it)';
        throw error;
      }
      return undefined;
    case 'copy':
      try {
        await storeFor(action.targetRegion).copySnapshot({
          sourceArn: action.sourceArn,
          sourceRegion: action.sourceRegion,
          targetId: action.targetId,
          kmsKeyId: action.kmsKeyId,
          tags: action.tags,
        });
      } catch (error) {
        if (isToolError(error, 'SnapshotAlreadyExists')) return 'already exists (an earlier pass copied it)';
        throw error;
      }
      return undefined;
    case 'share': {
      const store = storeFor(action.region);
      await store.shareSnapshot({ snapshotId: action.snapshotId, accountId: action.accountId });
      // Before the SharedWith tag: a crash in between shares (and delivers) again on the next pass.
      if (carrier) await deliverShape(action, await store.accountId(), carrier, notes);
      // One snapshot shared with several accounts: the tag names each share that succeeded.
      const accounts = shared.get(action.snapshotArn) ?? new Set(action.alreadySharedWith ?? []);
      accounts.add(action.accountId);
      shared.set(action.snapshotArn, accounts);
      await store.addTags(action.snapshotArn, { [TAG.SharedWith]: [...accounts].join(' ') });
      return undefined;
    }
    case 'delete':
      try {
        await storeFor(action.region).deleteSnapshot(action.snapshotId);
      } catch (error) {
        if (isToolError(error, 'SnapshotNotFound')) return 'already deleted';
        throw error;
      }
      return undefined;
  }
}

export async function applyPlan(
  plan: Plan,
  storeFor: StoreForRegion,
  logger: EngineLogger = silentLogger,
  /** Delivers the shape of each snapshot shared with another account; without it, none is delivered. */
  carrier?: ShapeCarrier | undefined,
): Promise<ActionResult[]> {
  // Array sort is stable: actions of one kind keep the plan's order (oldest deleted first).
  const actions = [...plan.actions].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  const results: ActionResult[] = [];
  const shared: SharedSoFar = new Map();
  for (const action of actions) {
    const fields = actionFields(action);
    const notes: Note[] = [];
    try {
      const message = await perform(action, storeFor, shared, carrier, notes);
      logger.info(`${action.kind} done: ${message ?? action.reason}`, fields);
      for (const note of notes) logger.warn(note.message, { ...fields, code: note.code });
      results.push({
        action,
        ok: true,
        ...(message === undefined ? {} : { message }),
        ...(notes.length > 0 ? { notes } : {}),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      logger.error(`${action.kind} failed: ${message}`, { ...fields, error: name });
      results.push({ action, ok: false, error: name, message });
    }
  }
  return results;
}
