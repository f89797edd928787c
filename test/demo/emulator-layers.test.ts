// The layers the organization demo puts between the tool and moto, as an account sees them through the SDK: a
// shared snapshot copied as AWS copies it (again and again, within the same minute), and snapshots dated on the
// virtual clock for their owner and for the account they are shared with.
import {
  CopyDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Layer } from '../../src/demo/http-forward.js';
import { type SharedCopyLayer, startSharedCopyLayer } from '../../src/demo/shared-copy-layer.js';
import { startVirtualTimeLayer, withVirtualTimes } from '../../src/demo/virtual-time-layer.js';
import { createEstate } from '../support/estate.js';
import { type MotoServer, startMoto } from '../support/moto.js';

const REGION = 'us-east-1';
const MEMBER = '111111111111';
const VAULT = '222222222222';

let moto: MotoServer;
let copies: SharedCopyLayer;
let time: Layer;
let virtualNow = new Date('2030-03-04T01:00:00Z');

beforeAll(async () => {
  moto = await startMoto();
  copies = await startSharedCopyLayer(moto.endpoint, { record: false });
  time = await startVirtualTimeLayer(copies.endpoint, () => virtualNow);
});

afterAll(async () => {
  await time?.stop();
  await copies?.stop();
  await moto?.stop();
});

describe('the shared copy layer', () => {
  it('copies two snapshots of the same cluster shared by another account one after the other, and leaves no stand-in behind', async () => {
    // Prepare: two backups of one member cluster, shared with the vault
    const member = createEstate({ endpoint: moto.endpoint, accountId: MEMBER });
    const vault = createEstate({ endpoint: copies.endpoint, accountId: VAULT });
    await member.createCluster(REGION, 'orders-db');
    const arns: string[] = [];
    for (const day of ['01', '02']) {
      const made = await member.createSnapshot(REGION, {
        clusterId: 'orders-db',
        snapshotId: `orders-db-${day}`,
      });
      await member.shareSnapshot(REGION, `orders-db-${day}`, VAULT);
      arns.push(made.arn);
    }

    // Act: the vault copies both, within the same minute
    for (const [i, arn] of arns.entries()) {
      await vault.clients(REGION).rds.send(
        new CopyDBClusterSnapshotCommand({
          SourceDBClusterSnapshotIdentifier: arn,
          TargetDBClusterSnapshotIdentifier: `copy-${i + 1}`,
          Tags: [{ Key: 'CopiedBy', Value: 'test' }],
        }),
      );
    }

    // Assess: both copies are the vault's, of the member's cluster; no cluster and no automated snapshot left
    const rds = vault.clients(REGION).rds;
    const manual = await rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }));
    expect(
      manual.DBClusterSnapshots?.map((s) => `${s.DBClusterSnapshotIdentifier} ${s.DBClusterIdentifier}`),
    ).toEqual(['copy-1 orders-db', 'copy-2 orders-db']);
    const automated = await rds.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'automated' }));
    expect(automated.DBClusterSnapshots ?? []).toEqual([]);
    expect((await rds.send(new DescribeDBClustersCommand({}))).DBClusters ?? []).toEqual([]);
  });
});

describe('the virtual time layer', () => {
  it('dates a snapshot at the virtual time it was made, for its owner and for the account it is shared with', async () => {
    // Prepare
    const member = createEstate({ endpoint: time.endpoint, accountId: MEMBER });
    await member.createCluster(REGION, 'billing-db');
    virtualNow = new Date('2030-03-05T01:00:00Z');

    // Act
    await member.createSnapshot(REGION, {
      clusterId: 'billing-db',
      snapshotId: 'billing-db-2030-03-05-01-00',
    });
    await member.shareSnapshot(REGION, 'billing-db-2030-03-05-01-00', VAULT);
    virtualNow = new Date('2030-03-06T01:00:00Z');

    // Assess
    const own = await member.snapshots(REGION);
    const shared = await member.as(VAULT).snapshots(REGION, 'shared');
    for (const seen of [own, shared]) {
      expect(
        seen
          .filter((s) => s.DBClusterSnapshotIdentifier?.endsWith('billing-db-2030-03-05-01-00'))
          .map((s) => s.SnapshotCreateTime?.toISOString()),
      ).toEqual(['2030-03-05T01:00:00.000Z']);
    }
  });

  it('leaves the creation time of a snapshot it did not see made as the emulator said', () => {
    // Prepare
    const xml =
      '<DBClusterSnapshots><DBClusterSnapshot><DBClusterSnapshotArn>arn:aws:rds:us-east-1:1:cluster-snapshot:a</DBClusterSnapshotArn>' +
      '<SnapshotCreateTime>2026-01-01T00:00:00Z</SnapshotCreateTime></DBClusterSnapshot></DBClusterSnapshots>';

    // Act
    const rewritten = withVirtualTimes(
      xml,
      new Map([['arn:aws:rds:us-east-1:1:cluster-snapshot:b', new Date(0)]]),
    );

    // Assess
    expect(rewritten).toBe(xml);
  });
});
