/**
 * Carries out a plan: takes, then copies, then shares (recording the share in a tag), then deletes.
 * Each action is independent: a failure is collected and the rest still run. Outcomes that mean the
 * work is already done (a snapshot that exists after a crash, one already deleted) count as success.
 */

import { isToolError } from '../model/errors.js';
import { type EngineLogger, silentLogger } from '../model/ports.js';
import { TAG } from '../model/tags.js';
import type { StoreForRegion } from './observation.js';
import type { Action, ActionResult, Plan } from './plan.js';

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

async function perform(
  action: Action,
  storeFor: StoreForRegion,
  shared: SharedSoFar,
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
): Promise<ActionResult[]> {
  // Array sort is stable: actions of one kind keep the plan's order (oldest deleted first).
  const actions = [...plan.actions].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  const results: ActionResult[] = [];
  const shared: SharedSoFar = new Map();
  for (const action of actions) {
    const fields = actionFields(action);
    try {
      const message = await perform(action, storeFor, shared);
      logger.info(`${action.kind} done: ${message ?? action.reason}`, fields);
      results.push(message === undefined ? { action, ok: true } : { action, ok: true, message });
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      logger.error(`${action.kind} failed: ${message}`, { ...fields, error: name });
      results.push({ action, ok: false, error: name, message });
    }
  }
  return results;
}
