/** The six Lambda functions' real handlers by function name, as the demo's task overrides call them. */
import { handler as checkRestoreDrill } from '../handlers/check-restore-drill.js';
import { handler as checkSnapshotStatus } from '../handlers/check-snapshot-status.js';
import { handler as cleanupRestoreDrill } from '../handlers/cleanup-restore-drill.js';
import { handler as copySnapshotsDest } from '../handlers/copy-snapshots-dest.js';
import { handler as deleteOldSnapshots } from '../handlers/delete-old-snapshots.js';
import { handler as deleteOldSnapshotsDest } from '../handlers/delete-old-snapshots-dest.js';
import type { FunctionName } from '../handlers/names.js';
import { handler as recordRestoreDrill } from '../handlers/record-restore-drill.js';
import { handler as shareSnapshots } from '../handlers/share-snapshots.js';
import { handler as startRestoreDrill } from '../handlers/start-restore-drill.js';
import { handler as takeSnapshots } from '../handlers/take-snapshots.js';

export type LambdaHandler = (event: unknown) => Promise<unknown>;

export const HANDLERS: Readonly<Record<FunctionName, LambdaHandler>> = {
  TakeSnapshotsAurora: (event) => takeSnapshots(event),
  CheckSnapshotStatus: (event) => checkSnapshotStatus(event),
  ShareSnapshotsAurora: (event) => shareSnapshots(event),
  DeleteOldSnapshotsAurora: (event) => deleteOldSnapshots(event),
  CopySnapshotsDestAurora: (event) => copySnapshotsDest(event),
  DeleteOldSnapshotsDestAurora: (event) => deleteOldSnapshotsDest(event),
  StartRestoreDrill: (event) => startRestoreDrill(event),
  CheckRestoreDrill: (event) => checkRestoreDrill(event),
  RecordRestoreDrill: (event) => recordRestoreDrill(event),
  CleanupRestoreDrill: (event) => cleanupRestoreDrill(event),
};

/** A fake but well-formed function ARN (the definitions need one; the overrides replace the call). */
export function functionArn(name: FunctionName, region: string, accountId: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

/** The function name an ARN (or a plain name) designates, when it is one of the tool's. */
export function functionNameOf(arnOrName: string): FunctionName | undefined {
  const name = arnOrName.split(':').at(-1) ?? '';
  return name in HANDLERS ? (name as FunctionName) : undefined;
}
