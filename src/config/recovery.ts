/**
 * The Recovery block (from the parameter table): how the `restore` command maps the lost cluster into the
 * recovery region, and its mapping into the core's RecoverySettings.
 */
import * as z from 'zod';
import type { RecoverySettings } from '../core/restore/recovery-port.js';
import { shapeOf } from './fields.js';

export const RecoverySchema = z.strictObject(shapeOf('recovery'));

export type RecoveryConfig = z.output<typeof RecoverySchema>;

/** The Recovery block in the core's words (an absent block maps nothing). */
export function recoverySettingsOf(block: RecoveryConfig | undefined): RecoverySettings {
  if (block === undefined) return {};
  return {
    dbSubnetGroupName: block.DBSubnetGroupName,
    vpcSecurityGroupIds: block.VpcSecurityGroupIds,
    kmsKeyId: block.KmsKeyId,
    clusterParameterGroups: block.DBClusterParameterGroups,
    instanceParameterGroups: block.DBParameterGroups,
  };
}
