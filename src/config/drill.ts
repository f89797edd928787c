/**
 * The RestoreDrill block: its schema (from the parameter table) and the region it restores in when it
 * names none.
 */
import * as z from 'zod';
import type { AwsRegion } from '../core/copies/regions.js';
import type { DestinationConfig } from './destination.js';
import { shapeOf } from './fields.js';
import { blockDefaults } from './parameters.js';
import type { SourceConfig } from './source.js';

/** Defaults of the RestoreDrill block. */
export const DRILL_DEFAULTS = blockDefaults('drill');

export const RestoreDrillSchema = z.strictObject(shapeOf('drill'));

export type RestoreDrillConfig = z.output<typeof RestoreDrillSchema> & { readonly Region: string };

/**
 * Where a RestoreDrill without its own Region restores: the destination block's region, else the source's
 * copy region (DestinationRegion, or the first of Destinations outside Source.Region), else Source.Region.
 */
export function drillRegion(config: {
  readonly Source?: SourceConfig | undefined;
  readonly Destination?: DestinationConfig | undefined;
}): AwsRegion | undefined {
  if (config.Destination) return config.Destination.Region;
  const source = config.Source;
  if (!source) return undefined;
  return (
    source.DestinationRegion ??
    source.Destinations?.find((d) => d.Region !== source.Region)?.Region ??
    source.Region
  );
}
