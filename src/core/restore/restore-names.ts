/**
 * The names of what a restore creates. The cluster: `--name`, else the source cluster's name (so the
 * application's configuration, dashboards and alarms find it). Each instance: the source instance's
 * identifier with the source cluster's name at its start replaced by the new cluster's name
 * (`prod-db-instance-1` restored as `prod-db-dr` is `prod-db-dr-instance-1`; restored under the source's own
 * name it keeps its identifier); an identifier that does not start with the cluster's name gets the new name
 * and a hyphen before it (a hash of it when that part is over 40 characters). Without a recorded shape the one instance is `<name>-1`. A name too long for RDS is
 * shortened with a hash (as snapshot names are).
 */
import { MAX_IDENTIFIER_LENGTH, shortHash, withSuffix } from '../model/naming.js';

/** The longest part of a source instance's identifier kept after the new name; longer, a hash of it stands in. */
const MAX_KEPT = 40;

export function restoredInstanceName(input: {
  readonly sourceClusterId: string;
  readonly sourceInstanceId: string;
  readonly clusterId: string;
}): string {
  const { sourceClusterId, sourceInstanceId, clusterId } = input;
  const kept = sourceInstanceId.startsWith(sourceClusterId)
    ? sourceInstanceId.slice(sourceClusterId.length)
    : `-${sourceInstanceId}`;
  const rest = kept.length > MAX_KEPT ? `-${shortHash(sourceInstanceId)}` : kept;
  if (rest === '') return withSuffix(clusterId, '');
  return withSuffix(clusterId, rest.startsWith('-') ? rest : `-${rest}`, MAX_IDENTIFIER_LENGTH);
}

/** The one instance of a restore without a recorded shape. */
export function singleInstanceName(clusterId: string): string {
  return withSuffix(clusterId, '-1');
}
