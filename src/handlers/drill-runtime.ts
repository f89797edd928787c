/**
 * What the four restore-drill functions share: the drill's part of the event (the run the start step
 * made, the check's minutes, a caught failure), the RestoreDrill block, the restore stores, and the
 * drill metrics.
 */
import * as z from 'zod';
import { type Config, type RestoreDrillConfig, toConfigIssues } from '../config/schema.js';
import type { DrillCheck, DrillRestoreStore, DrillRun, DrillStores } from '../core/drill/drill-engine.js';
import { ConfigError } from '../core/model/errors.js';
import { defaultRestoreStoreFactory } from './default-stores.js';
import type { MetricPoint } from './metrics.js';
import type { FunctionName } from './names.js';
import type { Invocation } from './runtime.js';

const TargetSchema = z.object({
  clusterId: z.string().min(1),
  region: z.string().min(1),
  snapshotId: z.string().min(1),
  snapshotArn: z.string(),
  engine: z.string().min(1),
  engineVersion: z.string().optional(),
  kmsKeyId: z.string().optional(),
  drillClusterId: z.string().min(1),
  drillInstanceId: z.string().min(1),
  instanceClass: z.string().optional(),
  instanceClassNote: z.string().optional(),
});

const DrillEventSchema = z.object({
  /** The run StartRestoreDrill returned (`$.drill`); empty targets before it ran. */
  drill: z.object({ startedAt: z.string(), targets: z.array(TargetSchema) }).optional(),
  /** What CheckRestoreDrill returned (`$.check`), on success. */
  check: z.object({ state: z.literal('available'), minutes: z.array(z.number()) }).optional(),
  /** The error the state machine caught (`$.failure`), on failure. */
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  /** A snapshot to restore instead of the newest of each cluster (`drill --snapshot`, or the execution input). */
  snapshotId: z.string().min(1).optional(),
});

export interface DrillEvent {
  readonly drill: DrillRun | undefined;
  readonly check: DrillCheck | undefined;
  readonly failure: { readonly Error?: string | undefined; readonly Cause?: string | undefined } | undefined;
  readonly snapshotId: string | undefined;
}

/** The drill fields of an event; a malformed one is a ConfigError naming the field. */
export function parseDrillEvent(event: unknown): DrillEvent {
  const parsed = DrillEventSchema.safeParse(event);
  if (!parsed.success) throw new ConfigError(toConfigIssues(parsed.error, event, ['event']));
  const drill = parsed.data.drill;
  return {
    drill:
      drill === undefined
        ? undefined
        : {
            startedAt: drill.startedAt,
            targets: drill.targets.map((t) => ({
              ...t,
              engineVersion: t.engineVersion,
              kmsKeyId: t.kmsKeyId,
              instanceClass: t.instanceClass,
              instanceClassNote: t.instanceClassNote,
            })),
          },
    check: parsed.data.check,
    failure: parsed.data.failure,
    snapshotId: parsed.data.snapshotId,
  };
}

export function requireDrill(config: Config, functionName: FunctionName): RestoreDrillConfig {
  const drill = config.RestoreDrill;
  if (drill?.Region !== undefined) return drill as RestoreDrillConfig;
  throw new ConfigError([
    {
      parameter: 'RestoreDrill',
      value: undefined,
      message: `is required: ${functionName} runs restore drills`,
    },
  ]);
}

let injectedRestoreStores: ((region: string) => DrillRestoreStore) | undefined;

/** Replaces how restore stores are made (undefined restores the AWS SDK stores from the environment). */
export function setRestoreStoreFactory(factory: ((region: string) => DrillRestoreStore) | undefined): void {
  injectedRestoreStores = factory;
}

export function drillStoresFor(run: Invocation, region: string): DrillStores {
  const restore = (injectedRestoreStores ?? defaultRestoreStoreFactory())(region);
  return { snapshots: run.storeFor(region), restore };
}

/** RestoreDrillSucceeded (1 or 0) and, on success, RestoreMinutes, per restored cluster. */
export function drillMetrics(
  drill: RestoreDrillConfig,
  run: DrillRun | undefined,
  minutes: readonly number[] | undefined,
): MetricPoint[] {
  const succeeded = minutes !== undefined;
  const targets = run?.targets ?? [];
  if (targets.length === 0) {
    return [
      {
        name: 'RestoreDrillSucceeded',
        value: 0,
        unit: 'Count',
        dimensions: { SnapshotPattern: drill.SnapshotPattern },
      },
    ];
  }
  const points: MetricPoint[] = [];
  for (const [index, target] of targets.entries()) {
    const dimensions = { ClusterId: target.clusterId };
    points.push({ name: 'RestoreDrillSucceeded', value: succeeded ? 1 : 0, unit: 'Count', dimensions });
    const taken = minutes?.[index];
    if (succeeded && taken !== undefined) {
      points.push({ name: 'RestoreMinutes', value: taken, unit: 'None', dimensions });
    }
  }
  return points;
}
