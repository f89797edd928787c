/**
 * The Lambda functions, with the original tool's names. The bundles (`dist/lambda/<name>.zip`),
 * the templates and the state machines all take their names and entry points from here.
 */

export const SOURCE_FUNCTIONS = [
  'TakeSnapshotsAurora',
  'CheckSnapshotStatus',
  'ShareSnapshotsAurora',
  'DeleteOldSnapshotsAurora',
] as const;

export const DESTINATION_FUNCTIONS = ['CopySnapshotsDestAurora', 'DeleteOldSnapshotsDestAurora'] as const;

/** The restore drill's functions (their own stack, their own roles). */
export const DRILL_FUNCTIONS = [
  'StartRestoreDrill',
  'CheckRestoreDrill',
  'RecordRestoreDrill',
  'CleanupRestoreDrill',
] as const;

export type SourceFunctionName = (typeof SOURCE_FUNCTIONS)[number];
export type DrillFunctionName = (typeof DRILL_FUNCTIONS)[number];
export type DestinationFunctionName = (typeof DESTINATION_FUNCTIONS)[number];
export type FunctionName = SourceFunctionName | DestinationFunctionName | DrillFunctionName;

export const ALL_FUNCTIONS: readonly FunctionName[] = [
  ...SOURCE_FUNCTIONS,
  ...DESTINATION_FUNCTIONS,
  ...DRILL_FUNCTIONS,
];

/** Source file of each function under src/handlers/ (kebab-case). */
export const HANDLER_FILES: Readonly<Record<FunctionName, string>> = {
  TakeSnapshotsAurora: 'take-snapshots.ts',
  CheckSnapshotStatus: 'check-snapshot-status.ts',
  ShareSnapshotsAurora: 'share-snapshots.ts',
  DeleteOldSnapshotsAurora: 'delete-old-snapshots.ts',
  CopySnapshotsDestAurora: 'copy-snapshots-dest.ts',
  DeleteOldSnapshotsDestAurora: 'delete-old-snapshots-dest.ts',
  StartRestoreDrill: 'start-restore-drill.ts',
  CheckRestoreDrill: 'check-restore-drill.ts',
  RecordRestoreDrill: 'record-restore-drill.ts',
  CleanupRestoreDrill: 'cleanup-restore-drill.ts',
};

/** The Lambda `Handler` setting of every bundle: `index.mjs` exporting `handler`. */
export const LAMBDA_HANDLER = 'index.handler';
export const LAMBDA_RUNTIME = 'nodejs22.x';
