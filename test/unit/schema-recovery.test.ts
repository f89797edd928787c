// The Recovery block: what the restore command maps into the recovery region, each bad value refused naming the parameter, and its mapping into the core.
import { describe, expect, it } from 'vitest';
import { recoverySettingsOf } from '../../src/config/recovery.js';
import { parseConfig } from '../../src/config/schema.js';
import { configIssues } from '../support/config-issues.js';

const SOURCE = { Region: 'us-east-1', ClusterNamePattern: '^prod-db$' };

describe('the Recovery block', () => {
  it('reads every parameter and maps them into the core', () => {
    // Prepare
    const input = {
      Source: SOURCE,
      Recovery: {
        Region: 'us-west-2',
        DBSubnetGroupName: 'dr-subnets',
        VpcSecurityGroupIds: 'sg-0123456789abcdef0, sg-0aaaaaaaaaaaaaaaa',
        KmsKeyId: 'alias/dr',
        DBClusterParameterGroups: {
          'prod-cluster-params': 'dr-cluster-params',
          'aurora-postgresql15': 'dr-pg15',
        },
        DBParameterGroups: { 'aurora-mysql8.0': 'default.aurora-mysql8.0' },
      },
    };

    // Act
    const config = parseConfig(input);

    // Assess
    expect(config.Recovery?.Region).toBe('us-west-2');
    expect(recoverySettingsOf(config.Recovery)).toEqual({
      dbSubnetGroupName: 'dr-subnets',
      vpcSecurityGroupIds: ['sg-0123456789abcdef0', 'sg-0aaaaaaaaaaaaaaaa'],
      kmsKeyId: 'alias/dr',
      clusterParameterGroups: {
        'prod-cluster-params': 'dr-cluster-params',
        'aurora-postgresql15': 'dr-pg15',
      },
      instanceParameterGroups: { 'aurora-mysql8.0': 'default.aurora-mysql8.0' },
    });
    expect(recoverySettingsOf(undefined)).toEqual({});
  });

  it('refuses bad values naming the parameter, the value and what is accepted', () => {
    // Act
    const issues = configIssues({
      Source: SOURCE,
      Recovery: {
        Region: 'us-west-9',
        VpcSecurityGroupIds: ['sg-nope'],
        KmsKeyId: 'my key',
        DBClusterParameterGroups: { 'bad key!': 'x' },
        DBParameterGroups: { 'aurora-postgresql15': '-bad' },
        SubnetGroup: 'typo',
      },
    });

    // Assess
    expect(issues.map((i) => i.parameter).sort()).toEqual([
      'Recovery.DBClusterParameterGroups.bad key!',
      'Recovery.DBParameterGroups.aurora-postgresql15',
      'Recovery.KmsKeyId',
      'Recovery.Region',
      'Recovery.SubnetGroup',
      'Recovery.VpcSecurityGroupIds',
    ]);
    const byName = Object.fromEntries(issues.map((i) => [i.parameter, i]));
    expect(byName['Recovery.KmsKeyId']).toMatchObject({
      value: 'my key',
      message: 'must be a KMS key ARN, key id or alias (alias/name)',
    });
    expect(byName['Recovery.DBClusterParameterGroups.bad key!']?.message).toBe(
      "keys are the source's parameter group names or parameter group families such as aurora-postgresql15 (a letter, then letters, digits, dots or hyphens)",
    );
    expect(byName['Recovery.DBParameterGroups.aurora-postgresql15']?.message).toBe(
      'must be the name of a parameter group of the recovery region (a letter, then letters, digits, dots or hyphens)',
    );
    expect(byName['Recovery.SubnetGroup']?.message).toBe(
      'is not a known parameter (check its spelling; names are case-sensitive)',
    );
  });
});
