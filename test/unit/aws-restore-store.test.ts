// The restore drill's adapter (its restore sent through the restore command's) turns the RDS answers a drill converges on into typed errors (what moto cannot produce as AWS does).
import {
  CreateDBInstanceCommand,
  DBClusterAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  InvalidDBClusterStateFault,
  RDSClient,
  RDSServiceException,
  RestoreDBClusterFromSnapshotCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { buildAwsClients } from '../../src/aws/clients.js';
import { RdsRestoreStore } from '../../src/aws/rds-restore-store.js';
import { ToolError } from '../../src/core/model/errors.js';
import { rejection } from '../support/rejection.js';

const meta = { httpStatusCode: 400, attempts: 1, requestId: 'r-1' };

function newStore(): RdsRestoreStore {
  return new RdsRestoreStore(
    buildAwsClients({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    }),
  );
}

describe('RdsRestoreStore errors', () => {
  it('names a restore onto an existing drill cluster ResourceAlreadyExists, a missing instance ResourceNotFound, a cluster with instances ResourceBusy', async () => {
    // Prepare
    const store = newStore();
    const rds = mockClient(RDSClient);
    rds
      .on(RestoreDBClusterFromSnapshotCommand)
      .rejects(new DBClusterAlreadyExistsFault({ message: 'exists', $metadata: meta }));
    rds
      .on(DeleteDBInstanceCommand)
      .rejects(new DBInstanceNotFoundFault({ message: 'gone', $metadata: meta }));
    rds
      .on(DeleteDBClusterCommand)
      .rejects(new InvalidDBClusterStateFault({ message: 'has instances', $metadata: meta }));

    // Act
    const exists = await rejection(
      store.restoreCluster({
        DBClusterIdentifier: 'orders-drill-1',
        SnapshotIdentifier: 's',
        Engine: 'aurora-postgresql',
        EnableIAMDatabaseAuthentication: false,
        EnableCloudwatchLogsExports: [],
        DeletionProtection: false,
        Tags: [],
        CopyTagsToSnapshot: true,
      }),
      ToolError,
    );
    const gone = await rejection(store.deleteInstance('orders-drill-1-1'), ToolError);
    const busy = await rejection(store.deleteCluster('orders-drill-1'), ToolError);
    rds.restore();

    // Assess
    expect(exists.name).toBe('ResourceAlreadyExists');
    expect(exists.message).toContain('orders-drill-1');
    expect(gone.name).toBe('ResourceNotFound');
    expect(busy.name).toBe('ResourceBusy');
    expect(rds.commandCalls(DeleteDBClusterCommand)[0]?.args[0].input).toEqual({
      DBClusterIdentifier: 'orders-drill-1',
      SkipFinalSnapshot: true,
    });
  });

  it("names RDS's answers for a missing service-linked role ServiceLinkedRoleMissing, saying how to create it, and leaves other invalid values alone", async () => {
    // Prepare: the two texts RDS answers with, code InvalidParameterValue, when it cannot create AWSServiceRoleForRDS
    const store = newStore();
    const rds = mockClient(RDSClient);
    const invalid = (message: string) =>
      new RDSServiceException({
        name: 'InvalidParameterValue',
        $fault: 'client',
        message,
        $metadata: meta,
      });
    rds
      .on(CreateDBInstanceCommand)
      .rejectsOnce(
        invalid(
          'Missing necessary credentials. Please check http://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAM.ServiceLinkedRoles.html',
        ),
      )
      .rejectsOnce(invalid('Invalid DB instance class: db.x1.nano'));
    const create = () =>
      store.createInstance({
        DBInstanceIdentifier: 'orders-drill-1-1',
        DBClusterIdentifier: 'orders-drill-1',
        DBInstanceClass: 'db.serverless',
        Engine: 'aurora-postgresql',
        PubliclyAccessible: false,
        Tags: [],
      });

    // Act
    const missing = await rejection(create(), ToolError);
    const other = await rejection(create(), ToolError);
    rds.restore();

    // Assess
    expect(missing.name).toBe('ServiceLinkedRoleMissing');
    expect(missing.message).toMatch(
      /^CreateDBInstance in eu-west-1: RDS could not create its service-linked role AWSServiceRoleForRDS, .*`aws iam create-service-linked-role --aws-service-name rds\.amazonaws\.com`.*iam:CreateServiceLinkedRole/,
    );
    expect(missing.details).toMatchObject({ awsCode: 'InvalidParameterValue', region: 'eu-west-1' });
    expect(other.name).toBe('AwsRequestError');
  });
});
