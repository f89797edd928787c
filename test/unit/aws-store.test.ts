// What moto cannot show, with aws-sdk-client-mock: pagination markers, the creating state, a cross-account copy of a shared snapshot, retries exhausted.
import { Readable } from 'node:stream';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  CopyDBClusterSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  type DBClusterSnapshot,
  DescribeAccountAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  ListTagsForResourceCommand,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { HttpResponse } from '@smithy/core/protocols';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createSnapshotStore, type RdsSnapshotStore } from '../../src/aws/index.js';
import { isToolError } from '../../src/core/model/errors.js';
import { rejection } from '../support/rejection.js';

const REGION = 'us-west-2';
const OWN = '333333333333';
const SOURCE_ACCOUNT = '111111111111';

function newStore(): RdsSnapshotStore {
  // Own credentials: fresh clients, not the shared ones, so mocks never leak between tests.
  return createSnapshotStore({
    region: REGION,
    credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
  });
}

function snapshot(i: number, overrides: Partial<DBClusterSnapshot> = {}): DBClusterSnapshot {
  const id = `prod-db-${String(i).padStart(4, '0')}`;
  return {
    DBClusterSnapshotIdentifier: id,
    DBClusterSnapshotArn: `arn:aws:rds:${REGION}:${OWN}:cluster-snapshot:${id}`,
    DBClusterIdentifier: 'prod-db',
    SnapshotType: 'manual',
    Status: 'available',
    StorageEncrypted: false,
    SnapshotCreateTime: new Date(Date.UTC(2024, 0, 1, 0, i)),
    TagList: [{ Key: 'Index', Value: String(i) }],
    ...overrides,
  };
}

function page(from: number, count: number): DBClusterSnapshot[] {
  return Array.from({ length: count }, (_, k) => snapshot(from + k));
}

describe('pagination', () => {
  it('follows the Marker through three pages: three calls of 100 records, every snapshot, no tag calls', async () => {
    // Prepare
    const store = newStore();
    const rds = mockClient(store.clients.rds);
    // The paginator reuses one input object: copy each call's input as it is made.
    const inputs: unknown[] = [];
    const pages = [
      { DBClusterSnapshots: page(0, 100), Marker: 'marker-1' },
      { DBClusterSnapshots: page(100, 100), Marker: 'marker-2' },
      { DBClusterSnapshots: page(200, 42) },
    ];
    rds.on(DescribeDBClusterSnapshotsCommand).callsFake((input) => {
      inputs.push({ ...input });
      return pages.shift();
    });

    // Act
    const snapshots = await store.listSnapshots('manual');

    // Assess
    expect(snapshots).toHaveLength(242);
    expect(new Set(snapshots.map((s) => s.id)).size).toBe(242);
    expect(snapshots[241]?.tags).toEqual({ Index: '241' });
    expect(rds.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(3);
    expect(inputs).toEqual([
      { SnapshotType: 'manual', MaxRecords: 100 },
      { SnapshotType: 'manual', MaxRecords: 100, Marker: 'marker-1' },
      { SnapshotType: 'manual', MaxRecords: 100, Marker: 'marker-2' },
    ]);
    expect(rds.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
  });

  it('follows the Marker through cluster pages and keeps only Aurora engines', async () => {
    // Prepare
    const store = newStore();
    const rds = mockClient(store.clients.rds);
    const markers: unknown[] = [];
    const pages = [
      {
        DBClusters: [
          { DBClusterIdentifier: 'a', Engine: 'aurora-postgresql' },
          { DBClusterIdentifier: 'n', Engine: 'neptune' },
        ],
        Marker: 'next',
      },
      { DBClusters: [{ DBClusterIdentifier: 'b', Engine: 'aurora-mysql' }] },
    ];
    rds.on(DescribeDBClustersCommand).callsFake((input) => {
      markers.push(input.Marker);
      return pages.shift();
    });

    // Act
    const clusters = await store.listClusters();

    // Assess
    expect(clusters.map((c) => c.id)).toEqual(['a', 'b']);
    expect(markers).toEqual([undefined, 'next']);
  });
});

describe('snapshots in progress', () => {
  it('reports a snapshot still being created with its state, progress and size', async () => {
    // Prepare
    const store = newStore();
    mockClient(store.clients.rds)
      .on(DescribeDBClusterSnapshotsCommand)
      .resolves({
        DBClusterSnapshots: [
          snapshot(1, { Status: 'creating', PercentProgress: 40, AllocatedStorage: 2048 }),
          snapshot(2, { Status: 'copying' }),
        ],
      });

    // Act
    const found = await store.getSnapshot('prod-db-0001');
    const listed = await store.listSnapshots('manual');

    // Assess
    expect(found).toMatchObject({ status: 'creating', percentProgress: 40, allocatedStorageGiB: 2048 });
    expect(listed.map((s) => s.status)).toEqual(['creating', 'copying']);
    // A snapshot whose size RDS does not report has no size (the wait for it is then the shortest).
    expect(listed[1]).not.toHaveProperty('allocatedStorageGiB');
  });
});

describe('cross-account copy of a shared snapshot', () => {
  it('lists the shared snapshot by ARN and copies it in the same region with the destination key and explicit tags', async () => {
    // Prepare
    const store = newStore();
    const rds = mockClient(store.clients.rds);
    mockClient(store.clients.sts).on(GetCallerIdentityCommand).resolves({ Account: OWN });
    const sharedArn = `arn:aws:rds:${REGION}:${SOURCE_ACCOUNT}:cluster-snapshot:prod-db-2024-01-01-00-00`;
    rds.on(DescribeDBClusterSnapshotsCommand).resolves({
      DBClusterSnapshots: [
        {
          ...snapshot(0),
          DBClusterSnapshotIdentifier: sharedArn,
          DBClusterSnapshotArn: sharedArn,
          SnapshotType: 'shared',
          StorageEncrypted: true,
          KmsKeyId: `arn:aws:kms:${REGION}:${SOURCE_ACCOUNT}:key/source-key`,
        },
      ],
    });
    const copyArn = `arn:aws:rds:${REGION}:${OWN}:cluster-snapshot:prod-db-2024-01-01-00-00`;
    rds.on(CopyDBClusterSnapshotCommand).resolves({
      DBClusterSnapshot: snapshot(0, {
        DBClusterSnapshotIdentifier: 'prod-db-2024-01-01-00-00',
        DBClusterSnapshotArn: copyArn,
        Status: 'copying',
        StorageEncrypted: true,
        KmsKeyId: `arn:aws:kms:${REGION}:${OWN}:key/destination-key`,
        TagList: [{ Key: 'CopiedBy', Value: 'Snapshot Tool for Aurora' }],
      }),
    });
    const destinationKey = `arn:aws:kms:${REGION}:${OWN}:key/destination-key`;

    // Act
    const [shared] = await store.listSnapshots('shared');
    const copy = await store.copySnapshot({
      sourceArn: shared?.arn ?? '',
      sourceRegion: shared?.region ?? '',
      targetId: 'prod-db-2024-01-01-00-00',
      kmsKeyId: destinationKey,
      tags: { CopiedBy: 'Snapshot Tool for Aurora' },
    });

    // Assess
    expect(shared).toMatchObject({
      id: sharedArn,
      accountId: SOURCE_ACCOUNT,
      region: REGION,
      type: 'shared',
    });
    expect(rds.commandCalls(DescribeDBClusterSnapshotsCommand)[0]?.args[0].input).toEqual({
      SnapshotType: 'shared',
      IncludeShared: true,
      MaxRecords: 100,
    });
    expect(rds.commandCalls(CopyDBClusterSnapshotCommand).map((call) => call.args[0].input)).toEqual([
      {
        SourceDBClusterSnapshotIdentifier: sharedArn,
        TargetDBClusterSnapshotIdentifier: 'prod-db-2024-01-01-00-00',
        KmsKeyId: destinationKey,
        Tags: [{ Key: 'CopiedBy', Value: 'Snapshot Tool for Aurora' }],
        CopyTags: false,
      },
    ]);
    expect(copy).toMatchObject({ id: 'prod-db-2024-01-01-00-00', accountId: OWN, status: 'copying' });
  });
});

describe('cross-region copy', () => {
  it('presigns a cross-region copy for the source region, as the SDK does from the source ARN', async () => {
    // Prepare
    const bodies: string[] = [];
    const store = createSnapshotStore({
      region: REGION,
      credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
      requestHandler: {
        async handle(request: { body?: unknown }) {
          bodies.push(String(request.body));
          const xml =
            '<CopyDBClusterSnapshotResponse><CopyDBClusterSnapshotResult><DBClusterSnapshot>' +
            '<DBClusterSnapshotIdentifier>prod-db-0001</DBClusterSnapshotIdentifier>' +
            `<DBClusterSnapshotArn>arn:aws:rds:${REGION}:${OWN}:cluster-snapshot:prod-db-0001</DBClusterSnapshotArn>` +
            '<Status>copying</Status></DBClusterSnapshot></CopyDBClusterSnapshotResult></CopyDBClusterSnapshotResponse>';
          return {
            response: new HttpResponse({
              statusCode: 200,
              headers: { 'content-type': 'text/xml' },
              body: Readable.from([xml]),
            }),
          };
        },
      },
    });

    // Act
    const copy = await store.copySnapshot({
      sourceArn: `arn:aws:rds:us-east-1:${OWN}:cluster-snapshot:prod-db-0001`,
      sourceRegion: 'us-east-1',
      targetId: 'prod-db-0001',
      kmsKeyId: `arn:aws:kms:${REGION}:${OWN}:key/destination-key`,
      tags: { CopiedBy: 'Snapshot Tool for Aurora' },
    });

    // Assess
    expect(copy.status).toBe('copying');
    const form = new URLSearchParams(bodies[0] ?? '');
    const presigned = new URL(form.get('PreSignedUrl') ?? 'http://missing');
    expect(presigned.hostname).toBe('rds.us-east-1.amazonaws.com');
    expect(presigned.searchParams.get('Action')).toBe('CopyDBClusterSnapshot');
    expect(presigned.searchParams.get('DestinationRegion')).toBe(REGION);
    expect(presigned.searchParams.get('KmsKeyId')).toBe(`arn:aws:kms:${REGION}:${OWN}:key/destination-key`);
    expect(presigned.searchParams.get('X-Amz-Credential')).toContain('/us-east-1/rds/aws4_request');
    expect(form.get('Tags.Tag.1.Key') ?? form.get('Tags.member.1.Key')).toBe('CopiedBy');
  });

  it('refuses a cross-region copy whose source is not an ARN of the source region, without calling RDS', async () => {
    // Prepare
    const store = newStore();
    const rds = mockClient(store.clients.rds);

    // Act
    const error = await rejection(
      store.copySnapshot({
        sourceArn: 'prod-db-0001',
        sourceRegion: 'us-east-1',
        targetId: 'prod-db-0001',
        tags: {},
      }),
    );

    // Assess
    expect(isToolError(error, 'AwsRequestError')).toBe(true);
    expect((error as Error).message).toContain("needs the source snapshot's ARN in us-east-1");
    expect(rds.calls()).toHaveLength(0);
  });
});

describe('retries exhausted', () => {
  it('names throttling that outlasted the retries ThrottlingError with the attempts made', async () => {
    // Prepare
    const store = newStore();
    mockClient(store.clients.rds)
      .on(CreateDBClusterSnapshotCommand)
      .rejects(
        new RDSServiceException({
          name: 'Throttling',
          $fault: 'client',
          message: 'Rate exceeded',
          $metadata: { httpStatusCode: 400, attempts: 8, requestId: 'req-1' },
        }),
      );

    // Act
    const error = await rejection(
      store.createSnapshot({ clusterId: 'prod-db', snapshotId: 'prod-db-1', tags: {} }),
    );

    // Assess
    expect(isToolError(error, 'ThrottlingError')).toBe(true);
    expect((error as Error).message).toContain('after 8 attempts');
    expect(isToolError(error) && error.details).toMatchObject({
      attempts: 8,
      requestId: 'req-1',
      snapshotId: 'prod-db-1',
      clusterId: 'prod-db',
      region: REGION,
    });
    expect((error as Error).cause).toBeInstanceOf(RDSServiceException);
  });
});

describe('quota and keys from the real API shapes', () => {
  it('reads the ManualClusterSnapshots quota from DescribeAccountAttributes', async () => {
    // Prepare
    const store = newStore();
    mockClient(store.clients.rdsProbe)
      .on(DescribeAccountAttributesCommand)
      .resolves({
        AccountQuotas: [
          { AccountQuotaName: 'ManualSnapshots', Used: 3, Max: 100 },
          { AccountQuotaName: 'ManualClusterSnapshots', Used: 140, Max: 150 },
        ],
      });

    // Act
    const quota = await store.manualSnapshotQuota();

    // Assess
    expect(quota).toBe(150);
  });

  it('asks again after a throttled quota lookup instead of keeping the default', async () => {
    // Prepare
    const store = newStore();
    mockClient(store.clients.rdsProbe)
      .on(DescribeAccountAttributesCommand)
      .rejectsOnce(new RDSServiceException({ name: 'Throttling', $fault: 'client', $metadata: {} }))
      .resolves({ AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: 1, Max: 300 }] });

    // Act
    const first = await store.manualSnapshotQuota();
    const second = await store.manualSnapshotQuota();

    // Assess
    expect(first).toBe(100);
    expect(second).toBe(300);
  });

  it('treats a key whose KeyManager is AWS as AWS-managed', async () => {
    // Prepare
    const store = newStore();
    const keyArn = `arn:aws:kms:${REGION}:${OWN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    mockClient(store.clients.kms)
      .on(DescribeKeyCommand)
      .resolves({ KeyMetadata: { KeyId: 'k', Arn: keyArn, KeyManager: 'AWS' } });

    // Act
    const managed = await store.isAwsManagedKey(keyArn);

    // Assess
    expect(managed).toBe(true);
  });
});
