// The restore command's adapter where moto cannot answer as AWS does: a key that is disabled or refused, a missing permission for the engine versions, a name taken between the check and the create.
import { DescribeSecurityGroupsCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, KMSClient, KMSServiceException } from '@aws-sdk/client-kms';
import {
  DBClusterAlreadyExistsFault,
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClustersCommand,
  DescribeDBEngineVersionsCommand,
  DescribeDBInstancesCommand,
  DescribeDBParameterGroupsCommand,
  DescribeDBSubnetGroupsCommand,
  RDSClient,
  RDSServiceException,
  RestoreDBClusterFromSnapshotCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildAwsClients } from '../../src/aws/clients.js';
import { buildEc2Client, securityGroupLister } from '../../src/aws/ec2-client.js';
import { RdsRecoveryStore, SECURITY_GROUPS_UNCHECKED } from '../../src/aws/rds-recovery-store.js';
import { ToolError } from '../../src/core/model/errors.js';
import { rejection } from '../support/rejection.js';

const meta = { httpStatusCode: 400, attempts: 1, requestId: 'r-1' };
const rds = mockClient(RDSClient);
const kms = mockClient(KMSClient);
const ec2 = mockClient(EC2Client);

function newStore(): RdsRecoveryStore {
  return new RdsRecoveryStore(
    buildAwsClients({
      region: 'us-west-2',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    }),
  );
}

function emptyRegion(): void {
  rds
    .on(DescribeDBSubnetGroupsCommand)
    .resolves({ DBSubnetGroups: [{ DBSubnetGroupName: 'dr', VpcId: 'vpc-1' }] });
  rds.on(DescribeDBClusterParameterGroupsCommand).resolves({
    DBClusterParameterGroups: [
      { DBClusterParameterGroupName: 'c', DBParameterGroupFamily: 'aurora-postgresql15' },
    ],
  });
  rds.on(DescribeDBParameterGroupsCommand).resolves({ DBParameterGroups: [] });
  rds
    .on(DescribeDBClustersCommand)
    .resolves({ DBClusters: [{ DBClusterIdentifier: 'x', TagList: [{ Key: 'k', Value: 'v' }] }] });
  rds
    .on(DescribeDBInstancesCommand)
    .resolves({ DBInstances: [{ DBInstanceIdentifier: 'x-1', DBClusterIdentifier: 'x' }] });
  rds.on(DescribeDBEngineVersionsCommand).resolves({
    DBEngineVersions: [{ EngineVersion: '15.4', DBParameterGroupFamily: 'aurora-postgresql15' }],
  });
}

// The mocks replace the clients' prototypes: the next file of the worker gets them back.
afterAll(() => {
  rds.restore();
  kms.restore();
  ec2.restore();
});

afterEach(() => {
  rds.reset();
  kms.reset();
  ec2.reset();
});

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };

function storeWithEc2(): RdsRecoveryStore {
  return new RdsRecoveryStore(
    buildAwsClients({ region: 'us-west-2', credentials, maxAttempts: 1 }),
    securityGroupLister(buildEc2Client({ region: 'us-west-2', credentials, maxAttempts: 1 })),
  );
}

describe('the security groups of the recovery region', () => {
  it('lists them with EC2 DescribeSecurityGroups, every page', async () => {
    // Prepare
    emptyRegion();
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce({ SecurityGroups: [{ GroupId: 'sg-1' }, { GroupId: 'sg-2' }], NextToken: 'page-2' })
      .resolvesOnce({ SecurityGroups: [{ GroupId: 'sg-3' }] });

    // Act
    const facts = await storeWithEc2().regionFacts({ engine: 'aurora-postgresql' });

    // Assess
    expect(facts.securityGroups).toEqual({ checked: true, ids: ['sg-1', 'sg-2', 'sg-3'] });
    // The paginator sends one input object, updated in place: the second call is what carries the token.
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(2);
  });

  it('fails, naming ec2:DescribeSecurityGroups, when the credentials may not list them', async () => {
    // Prepare
    emptyRegion();
    ec2.on(DescribeSecurityGroupsCommand).rejects(
      new EC2ServiceException({
        name: 'UnauthorizedOperation',
        $fault: 'client',
        $metadata: meta,
        message: 'You are not authorized to perform this operation.',
      }),
    );

    // Act
    const error = await rejection(storeWithEc2().regionFacts({ engine: 'aurora-postgresql' }));

    // Assess
    expect(error).toBeInstanceOf(ToolError);
    expect(error).toMatchObject({ name: 'AccessDenied' });
    expect((error as Error).message).toContain('ec2:DescribeSecurityGroups');
  });
});

describe('RdsRecoveryStore', () => {
  it('gathers the region facts, leaving security groups unchecked and saying why', async () => {
    // Prepare
    emptyRegion();
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: 'arn:k', KeyState: 'Enabled' } });

    // Act
    const facts = await newStore().regionFacts({ engine: 'aurora-postgresql', keyId: 'alias/dr' });

    // Assess
    expect(facts).toEqual({
      region: 'us-west-2',
      subnetGroups: [{ name: 'dr', family: 'vpc-1' }],
      securityGroups: { checked: false, reason: SECURITY_GROUPS_UNCHECKED },
      clusterParameterGroups: [{ name: 'c', family: 'aurora-postgresql15' }],
      instanceParameterGroups: [],
      engineVersions: { checked: true, versions: [{ version: '15.4', family: 'aurora-postgresql15' }] },
      clusters: [{ id: 'x', tags: { k: 'v' } }],
      instances: [{ id: 'x-1', clusterId: 'x' }],
      key: { keyId: 'alias/dr', usable: true, arn: 'arn:k' },
    });
    expect(rds.commandCalls(DescribeDBEngineVersionsCommand)[0]?.args[0].input).toMatchObject({
      Engine: 'aurora-postgresql',
    });
  });

  it('calls a disabled or refused key unusable, with the reason', async () => {
    // Prepare
    emptyRegion();
    kms
      .on(DescribeKeyCommand, { KeyId: 'disabled' })
      .resolves({ KeyMetadata: { KeyId: 'd', KeyState: 'Disabled' } });
    kms.on(DescribeKeyCommand, { KeyId: 'refused' }).rejects(
      new KMSServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: meta,
        message: 'no',
      }),
    );

    // Act
    const disabled = (await newStore().regionFacts({ engine: 'aurora-postgresql', keyId: 'disabled' })).key;
    const refused = (await newStore().regionFacts({ engine: 'aurora-postgresql', keyId: 'refused' })).key;

    // Assess
    expect(disabled).toEqual({ keyId: 'disabled', usable: false, reason: 'the key is Disabled' });
    expect(refused).toEqual({
      keyId: 'refused',
      usable: false,
      reason: 'KMS DescribeKey answered AccessDeniedException',
    });
  });

  it('fails on a missing permission to list engine versions, and says another failure left them unchecked', async () => {
    // Prepare
    emptyRegion();
    const denied = new RDSServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: meta,
      message: 'no',
    });
    rds.on(DescribeDBEngineVersionsCommand).rejectsOnce(denied).rejects(new Error('socket hang up'));

    // Act
    const error = await rejection(newStore().regionFacts({ engine: 'aurora-postgresql' }), ToolError);
    const facts = await newStore().regionFacts({ engine: 'aurora-postgresql' });

    // Assess
    expect(error.name).toBe('AccessDenied');
    expect(facts.engineVersions.checked).toBe(false);
    expect(facts.engineVersions.checked || facts.engineVersions.reason).toMatch(
      /^DescribeDBEngineVersions failed in us-west-2/,
    );
  });

  it('names a restore onto a name taken meanwhile ResourceAlreadyExists, and sends the request as planned', async () => {
    // Prepare
    rds
      .on(RestoreDBClusterFromSnapshotCommand)
      .rejects(new DBClusterAlreadyExistsFault({ message: 'exists', $metadata: meta }));
    const request = {
      DBClusterIdentifier: 'prod-db',
      SnapshotIdentifier: 's',
      Engine: 'aurora-postgresql',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      DeletionProtection: true,
      Tags: [{ Key: 'team', Value: 'db' }],
      CopyTagsToSnapshot: true,
    };

    // Act
    const error = await rejection(newStore().restoreCluster(request), ToolError);

    // Assess
    expect(error.name).toBe('ResourceAlreadyExists');
    expect(rds.commandCalls(RestoreDBClusterFromSnapshotCommand)[0]?.args[0].input).toEqual(request);
  });
});
