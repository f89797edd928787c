/**
 * One pass of the tool over a configuration, as the CLI runs it and as a program may: the source job and,
 * when configured, the destination job, against the stores of their regions (AWS by default).
 */

import { backupPolicyWithKeyArns, destinationPolicyWithKeyArn } from './aws/configured-keys.js';
import { shapeCarrierFromEnv, storeFactoryFromEnv } from './aws/store-factory.js';
import type { Config } from './config/schema.js';
import { backupPolicyOf, destinationPolicyOf } from './config/to-core.js';
import { ConfigError } from './core/model/errors.js';
import {
  type Clock,
  type EngineLogger,
  type ShapeCarrier,
  type SnapshotStore,
  systemClock,
} from './core/model/ports.js';
import {
  type DestinationPassReport,
  observeSource,
  runDestinationPass,
  runSourcePass,
  type SourcePassReport,
  type SourceStores,
  type StatusReport,
  sourceStoresWith,
  statusReport,
} from './core/plan/pass.js';

export interface PassInput {
  /**
   * The store of a region. @default AWS through the SDK's credential chain, honouring AWS_ENDPOINT_URL
   * (one store per region).
   */
  readonly storeFor?: ((region: string) => SnapshotStore) | undefined;
  /** The time the pass acts at. @default the system clock */
  readonly clock?: Clock | undefined;
  readonly logger?: EngineLogger | undefined;
  /**
   * Delivers and collects the shapes of snapshots shared with another account (docs/vault-account.md).
   * @default S3 from the environment when `storeFor` is the default; none beside a given `storeFor`
   */
  readonly shapeCarrier?: ShapeCarrier | undefined;
}

/** What a pass planned and, unless it was a plan only, did: per job, its actions, notes and results. */
export interface PassOutcome {
  source?: SourcePassReport;
  destination?: DestinationPassReport;
}

function storeFactory(input: PassInput): (region: string) => SnapshotStore {
  return input.storeFor ?? storeFactoryFromEnv(process.env);
}

/** The stores of a Source block: its region and, when it copies to another region, that region. */
export function sourceStoresOf(
  config: Config,
  storeFor: (region: string) => SnapshotStore,
): SourceStores | undefined {
  const source = config.Source;
  if (!source) return undefined;
  return sourceStoresWith(backupPolicyOf(source), storeFor);
}

async function pass(config: Config, input: PassInput, dryRun: boolean): Promise<PassOutcome> {
  const storeFor = storeFactory(input);
  const clock = input.clock ?? systemClock;
  const shapeCarrier =
    input.shapeCarrier ?? (input.storeFor ? undefined : shapeCarrierFromEnv(storeFor, process.env));
  const options = { dryRun, logger: input.logger, shapeCarrier };
  const outcome: PassOutcome = {};
  const stores = sourceStoresOf(config, storeFor);
  // Every key named by an alias (or alias ARN, key id) is found first: one that is missing stops the pass
  // before either job plans or changes anything.
  const source = config.Source && (await backupPolicyWithKeyArns(backupPolicyOf(config.Source), storeFor));
  const destination =
    config.Destination &&
    (await destinationPolicyWithKeyArn(
      destinationPolicyOf(config.Destination),
      storeFor(config.Destination.Region),
    ));
  if (source && stores) {
    outcome.source = await runSourcePass(stores, source, clock, ['take', 'share', 'delete'], options);
  }
  if (destination) {
    outcome.destination = await runDestinationPass(
      storeFor(destination.Region),
      destination,
      clock,
      ['copy', 'delete'],
      options,
    );
  }
  return outcome;
}

/** What a pass would do and why, changing nothing (`aurora-snapshot-tool plan`). */
export function planPass(config: Config, input: PassInput = {}): Promise<PassOutcome> {
  return pass(config, input, true);
}

/**
 * One pass: take, copy, share and delete as planned (`aurora-snapshot-tool run`). Failed actions are in
 * the reports' `failed`; the pass does not throw for them.
 */
export function runPass(config: Config, input: PassInput = {}): Promise<PassOutcome> {
  return pass(config, input, false);
}

/** The latest snapshot and recovery point of each cluster, and the quota (`aurora-snapshot-tool status`). */
export async function sourceStatus(config: Config, input: PassInput = {}): Promise<StatusReport> {
  const stores = sourceStoresOf(config, storeFactory(input));
  if (!config.Source || !stores) {
    throw new ConfigError([
      { parameter: 'Source', value: undefined, message: 'is required for a status report' },
    ]);
  }
  const observation = await observeSource(stores, backupPolicyOf(config.Source), input.clock ?? systemClock, [
    'delete',
  ]);
  return statusReport(observation, backupPolicyOf(config.Source));
}
