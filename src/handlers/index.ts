/**
 * The Lambda functions by name, for whatever runs them outside Lambda (the demo's local state machine
 * executions, benchmarks), with the runtime's clock and store injection and the event and result types.
 */
import { handler as checkRestoreDrill } from './check-restore-drill.js';
import { handler as checkSnapshotStatus } from './check-snapshot-status.js';
import { handler as cleanupRestoreDrill } from './cleanup-restore-drill.js';
import { handler as copySnapshotsDest } from './copy-snapshots-dest.js';
import { handler as deleteOldSnapshots } from './delete-old-snapshots.js';
import { handler as deleteOldSnapshotsDest } from './delete-old-snapshots-dest.js';
import type { FunctionName } from './names.js';
import { handler as recordRestoreDrill } from './record-restore-drill.js';
import { handler as shareSnapshots } from './share-snapshots.js';
import { handler as startRestoreDrill } from './start-restore-drill.js';
import { handler as takeSnapshots } from './take-snapshots.js';

export type { CheckResult } from './check-snapshot-status.js';
export type { CopyResult } from './copy-snapshots-dest.js';
export type { DeleteResult } from './delete-old-snapshots.js';
export { setRestoreStoreFactory } from './drill-runtime.js';
export type { MetricName, MetricPoint } from './metrics.js';
export { METRICS_NAMESPACE } from './metrics.js';
export type { HandlerEvent, StartedResult } from './runtime.js';
export { setClock, setStoreFactory } from './runtime.js';
export type { ShareResult } from './share-snapshots.js';
export type { TakeResult } from './take-snapshots.js';

export type LambdaHandler = (event: unknown) => Promise<unknown>;

export const HANDLERS: Readonly<Record<FunctionName, LambdaHandler>> = {
  TakeSnapshotsAurora: takeSnapshots,
  CheckSnapshotStatus: checkSnapshotStatus,
  ShareSnapshotsAurora: shareSnapshots,
  DeleteOldSnapshotsAurora: deleteOldSnapshots,
  CopySnapshotsDestAurora: copySnapshotsDest,
  DeleteOldSnapshotsDestAurora: deleteOldSnapshotsDest,
  StartRestoreDrill: startRestoreDrill,
  CheckRestoreDrill: checkRestoreDrill,
  RecordRestoreDrill: recordRestoreDrill,
  CleanupRestoreDrill: cleanupRestoreDrill,
};
