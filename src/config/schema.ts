/**
 * The one configuration schema: the original tool's parameter names and meanings, validated with zod.
 * The CLI (YAML/JSON files), the Lambda events and the CDK props all go through `parseConfig`. Each block
 * is built from the parameter table (parameters.ts) in its own file; this one joins them and checks the
 * rules between blocks.
 */
import * as z from 'zod';
import { ConfigError, type ConfigIssue } from '../core/model/errors.js';
import { checkDestination, type DestinationConfig, DestinationSchema } from './destination.js';
import { drillRegion, type RestoreDrillConfig, RestoreDrillSchema } from './drill.js';
import { toConfigIssues } from './issues.js';
import { recoveryPointObjectiveHours } from './objective.js';
import { type RecoveryConfig, RecoverySchema } from './recovery.js';
import { refuse } from './rules.js';
import { checkSource, type SourceConfig, SourceSchema } from './source.js';
import { configWarnings, RETENTION_RULES, recopiesWhatDestinationDeletes } from './warnings.js';

export { DestinationItemSchema, MAX_DESTINATIONS } from './destinations.js';
export { DRILL_DEFAULTS } from './drill.js';
export { toConfigIssues } from './issues.js';
export { recoveryPointObjectiveHours, scheduleGap } from './objective.js';
export { ALL_CLUSTERS, LOG_LEVELS, type LogLevel } from './parameters.js';
export {
  DEFAULTS,
  KEEP_RULES,
  KMS_KEY_ARN,
  kmsKeyRegion,
  MAX_KEEP,
  MAX_WAIT_MINUTES_RANGE,
  RELEASE_STUCK_HOURS_RANGE,
} from './rules.js';
export { configWarnings } from './warnings.js';
export {
  type DestinationConfig,
  DestinationSchema,
  type RecoveryConfig,
  RecoverySchema,
  type RestoreDrillConfig,
  RestoreDrillSchema,
  type SourceConfig,
  SourceSchema,
};

export const ConfigSchema = z
  .strictObject({
    Source: SourceSchema.optional(),
    Destination: DestinationSchema.optional(),
    RestoreDrill: RestoreDrillSchema.optional(),
    Recovery: RecoverySchema.optional(),
  })
  .superRefine((config, ctx) => {
    const { Source: source, Destination: destination, RestoreDrill: drill } = config;
    if (!source && !destination && !drill) {
      refuse(ctx, 'a Source or a Destination block is required', ['Source']);
    }
    if (drill && drill.Region === undefined && !source && !destination) {
      refuse(ctx, 'is required when the file has no Source or Destination block to take it from', [
        'RestoreDrill',
        'Region',
      ]);
    }
    if (source) checkSource(source, ctx);
    if (source && destination) {
      // Keeping fewer copies than the source keeps snapshots is a cost choice (a warning, see configWarnings),
      // except where this source copies into Destination.Region and the destination deletes: the source's
      // copy job would copy again each snapshot the destination deleted while the source still keeps it.
      if (recopiesWhatDestinationDeletes(source, destination)) {
        for (const rule of RETENTION_RULES) {
          if (destination[rule] < source[rule]) {
            refuse(
              ctx,
              `is ${destination[rule]}, lower than Source.${rule} (${source[rule]}): the source copies into ${destination.Region} each snapshot it still keeps and has no copy of there, so every copy deleted early would be copied again, pass after pass; keep at least Source.${rule} there, or set Destination.DeleteOldSnapshots FALSE`,
              ['Destination', rule],
            );
          }
        }
      }
      // The objective in effect (its own, else twice the source's interval) is never below the interval.
      if (recoveryPointObjectiveHours(destination, source.BackupInterval) < source.BackupInterval) {
        refuse(
          ctx,
          `must not be below Source.BackupInterval (${source.BackupInterval} hours): a copy arrives at best once per interval`,
          ['Destination', 'RecoveryPointObjectiveHours'],
        );
      }
      if (source.DestinationRegion && destination.Region !== source.DestinationRegion) {
        refuse(ctx, `must equal Source.DestinationRegion (${source.DestinationRegion})`, [
          'Destination',
          'Region',
        ]);
      }
      if (source.Destinations) {
        const regions = [...new Set(source.Destinations.map((d) => d.Region))];
        if (!regions.includes(destination.Region)) {
          refuse(ctx, `must be the Region of one of Source.Destinations (${regions.join(', ')})`, [
            'Destination',
            'Region',
          ]);
        }
      }
    }
    if (destination) checkDestination(destination, ctx);
  });

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** Validates a whole configuration; throws ConfigError naming every bad parameter. */
export function parseConfig(input: unknown): Config {
  const result = ConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(toConfigIssues(result.error, input));
  const config = result.data;
  if (config.Source && config.Destination && !config.Destination.SourceRegion) {
    config.Destination.SourceRegion = config.Source.Region;
  }
  if (config.RestoreDrill && config.RestoreDrill.Region === undefined) {
    config.RestoreDrill.Region = drillRegion(config);
  }
  if (config.Source && config.Destination && config.Destination.RecoveryPointObjectiveHours === undefined) {
    config.Destination.RecoveryPointObjectiveHours = recoveryPointObjectiveHours(config.Source);
  }
  WARNINGS.set(config, configWarnings(config, input));
  return config;
}

const WARNINGS = new WeakMap<Config, readonly ConfigIssue[]>();

/** The warnings parseConfig found in `config` (none for a configuration it did not parse). */
export function warningsOf(config: Config): readonly ConfigIssue[] {
  return WARNINGS.get(config) ?? [];
}
