/**
 * The destinations of a source job, whichever form the configuration uses: the list `Destinations`, or the
 * one-item form `DestinationRegion` / `DestinationAccount` / `KmsKeyDestination`. Every part of the tool
 * (planner, status, metrics, report, plan) names a destination by its `id`.
 */
import type { CopyTargets } from '../policy/backup-policy.js';

/**
 * What the tool does for a destination:
 * - `copy`: a copy in another region of this account;
 * - `share`: a share in place (Source.Region) with another account;
 * - `copy-share`: a copy in another region, then a share of that copy with another account.
 */
export type DestinationKind = 'copy' | 'share' | 'copy-share';

export interface DestinationTarget {
  /** `<region>` for a copy in this account, `<account>@<region>` with an account. */
  readonly id: string;
  readonly kind: DestinationKind;
  readonly region: string;
  readonly account?: string | undefined;
  /** The key of the copies made in `region` (undefined for a share in place). */
  readonly kmsKeyId?: string | undefined;
  /** The configuration path of the item, for messages: `Source.Destinations[1]` or `Source.DestinationRegion`. */
  readonly parameter: string;
}

/** The stable id of a destination: `<region>`, or `<account>@<region>` when shared with an account. */
export function destinationId(region: string, account?: string | undefined): string {
  return account === undefined ? region : `${account}@${region}`;
}

function target(
  sourceRegion: string,
  region: string,
  account: string | undefined,
  key: string | undefined,
  parameter: string,
): DestinationTarget {
  const kind: DestinationKind =
    region === sourceRegion ? 'share' : account === undefined ? 'copy' : 'copy-share';
  return {
    id: destinationId(region, account),
    kind,
    region,
    ...(account === undefined ? {} : { account }),
    ...(kind === 'share' || key === undefined ? {} : { kmsKeyId: key }),
    parameter,
  };
}

/**
 * Every destination of a source configuration, in the order written (empty without any). Destinations in
 * one region share one copy of each snapshot: its key is the first KmsKeyDestination given in that region.
 * Whether anything is copied at all is ShareSnapshots' decision, not this list's.
 */
export function destinationsOf(source: CopyTargets): readonly DestinationTarget[] {
  if (source.Destinations !== undefined) {
    const keyOf = new Map<string, string>();
    for (const item of source.Destinations) {
      if (item.KmsKeyDestination !== undefined && !keyOf.has(item.Region)) {
        keyOf.set(item.Region, item.KmsKeyDestination);
      }
    }
    return source.Destinations.map((item, i) =>
      target(source.Region, item.Region, item.Account, keyOf.get(item.Region), `Source.Destinations[${i}]`),
    );
  }
  const region = source.DestinationRegion ?? (source.DestinationAccount ? source.Region : undefined);
  if (region === undefined) return [];
  return [
    target(
      source.Region,
      region,
      source.DestinationAccount,
      source.KmsKeyDestination,
      source.DestinationRegion !== undefined ? 'Source.DestinationRegion' : 'Source.DestinationAccount',
    ),
  ];
}

/** The other regions copies go to, each once, in the order first written. */
export function copyRegionsOf(source: CopyTargets): readonly string[] {
  return [
    ...new Set(
      destinationsOf(source)
        .filter((d) => d.kind !== 'share')
        .map((d) => d.region),
    ),
  ];
}

/** The accounts snapshots are shared with, each once, in the order first written. */
export function shareAccountsOf(source: CopyTargets): readonly string[] {
  return [...new Set(destinationsOf(source).flatMap((d) => (d.account === undefined ? [] : [d.account])))];
}

const ONE_ITEM_PARAMETER = {
  Region: 'Source.DestinationRegion',
  Account: 'Source.DestinationAccount',
  KmsKeyDestination: 'Source.KmsKeyDestination',
} as const;

/** The configuration path of a field of a destination: `Source.Destinations[1].Account`, `Source.DestinationAccount`. */
export function destinationParameter(
  target: DestinationTarget,
  field: 'Region' | 'Account' | 'KmsKeyDestination',
): string {
  return target.parameter.startsWith('Source.Destinations[')
    ? `${target.parameter}.${field}`
    : ONE_ITEM_PARAMETER[field];
}
