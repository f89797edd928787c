// The CLI as a new user runs it against moto's RDS API: take, copy, skip when not due, retention on both sides.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { runCli } from '../support/cli.js';
import { createEstate } from '../support/estate.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { useMotoBehindFaultProxy } from '../support/moto-fixture.js';

const SOURCE = 'us-east-1';
const DESTINATION = 'us-west-2';
const T0 = Date.parse('2026-03-01T00:00:00Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();

const dir = mkdtempSync(join(tmpdir(), 'ast-cli-run-'));

function configFile(destinationKeyArn: string, extra = '', destination = true): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    `Source:
  Region: ${SOURCE}
  ClusterNamePattern: ^prod-db$
  BackupInterval: 24
  BackupSchedule: "0 0 * * ? *"
  RetentionDays: 3
  DeleteOldSnapshots: TRUE
  ShareSnapshots: TRUE
  DestinationRegion: ${DESTINATION}
  KmsKeyDestination: ${destinationKeyArn}
${extra}${
  destination
    ? `Destination:
  Region: ${DESTINATION}
  SnapshotPattern: prod-db
  RetentionDays: 5
  DeleteOldSnapshots: TRUE
`
    : ''
}`,
  );
  return path;
}

async function tagsOf(region: string, id: string): Promise<Record<string, string>> {
  const snapshot = (await aws.estate.snapshots(region)).find((s) => s.DBClusterSnapshotIdentifier === id);
  return Object.fromEntries((snapshot?.TagList ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

const aws = useMotoBehindFaultProxy({ seed: 7 });

describe('run against the RDS API', () => {
  it('takes, copies with the tags, skips when not due, and expires on both sides while keeping what it must', async () => {
    // Prepare: an encrypted cluster selected by the pattern, one that is not, an untagged manual snapshot,
    // and an old tool snapshot of the other cluster.
    const sourceKey = await aws.estate.createKey(SOURCE);
    const destinationKey = await aws.estate.createKey(DESTINATION);
    await aws.estate.createCluster(SOURCE, 'prod-db', { encrypted: true, kmsKeyId: sourceKey.arn });
    await aws.estate.createCluster(SOURCE, 'prod-db-replica');
    await aws.estate.createSnapshot(SOURCE, { clusterId: 'prod-db', snapshotId: 'before-upgrade' });
    await aws.estate.createSnapshot(SOURCE, {
      clusterId: 'prod-db-replica',
      snapshotId: 'prod-db-replica-2026-02-01-00-00',
      tags: { [TAG.CreatedBy]: TOOL_TAG_VALUE, [TAG.PointInTime]: '2026-02-01T00:00:00.000Z' },
    });
    const config = configFile(destinationKey.arn);

    // Act 1: the first run takes a snapshot of prod-db and copies it to the destination.
    const first = await runCli(['run', '--config', config, '--now', at(0)], aws.env);

    // Assess 1
    expect(first.code, first.stderr).toBe(0);
    const name = 'prod-db-2026-03-01-00-00';
    expect(await aws.estate.snapshotIds(SOURCE)).toContain(name);
    const sourceTags = await tagsOf(SOURCE, name);
    expect(sourceTags).toMatchObject({
      [TAG.CreatedBy]: TOOL_TAG_VALUE,
      [TAG.CreatedOn]: '2026-03-01-00-00',
      [TAG.ShareAndCopy]: 'YES',
      [TAG.PointInTime]: at(0),
      [TAG.SourceCluster]: 'prod-db',
      [TAG.SourceRegion]: SOURCE,
    });
    const copyTags = await tagsOf(DESTINATION, name);
    expect(copyTags).toMatchObject({ [TAG.CopiedBy]: TOOL_TAG_VALUE, [TAG.PointInTime]: at(0) });
    expect(copyTags[TAG.CreatedBy]).toBeUndefined();
    const copy = (await aws.estate.snapshots(DESTINATION)).find(
      (s) => s.DBClusterSnapshotIdentifier === name,
    );
    expect(copy?.KmsKeyId).toBe(destinationKey.arn);

    // Act 2: an hour later nothing is due.
    const second = await runCli(['run', '--config', config, '--now', at(1), '--json'], aws.env);

    // Assess 2
    expect(second.code, second.stderr).toBe(0);
    expect(
      JSON.parse(second.stdout).source.actions.filter((a: { kind: string }) => a.kind === 'take'),
    ).toEqual([]);
    expect((await aws.estate.snapshotIds(SOURCE)).filter((id) => id.startsWith('prod-db-2026'))).toEqual([
      name,
    ]);

    // Act 3: a run a day later takes a new one; then daily runs for ten days.
    for (let day = 1; day <= 10; day++) {
      const result = await runCli(['run', '--config', config, '--now', at(day * 24)], aws.env);
      expect(result.code, result.stderr).toBe(0);
    }

    // Assess 3: the source keeps 3 days (+ the day's), the destination 5; the rest survives.
    const source = (await aws.estate.snapshotIds(SOURCE)).sort();
    const destination = (await aws.estate.snapshotIds(DESTINATION)).sort();
    const days = (ids: string[]) =>
      ids.filter((id) => id.startsWith('prod-db-2026-03')).map((id) => id.slice(16, 18));
    expect(days(source)).toEqual(['08', '09', '10', '11']);
    expect(days(destination)).toEqual(['06', '07', '08', '09', '10', '11']);
    expect(source).toContain('before-upgrade');
    expect(source).toContain('prod-db-replica-2026-02-01-00-00');
  });

  it('lists each region once per source pass and never asks for tags one snapshot at a time', async () => {
    // Prepare
    const destinationKey = await aws.estate.createKey(DESTINATION);
    await aws.estate.createCluster(SOURCE, 'prod-db');
    for (let i = 0; i < 30; i++) {
      await aws.estate.createSnapshot(SOURCE, {
        clusterId: 'prod-db',
        snapshotId: `prod-db-old-${i}`,
        tags: {
          [TAG.CreatedBy]: TOOL_TAG_VALUE,
          [TAG.PointInTime]: new Date(T0 - (i + 1) * HOUR).toISOString(),
        },
      });
    }
    const config = configFile(destinationKey.arn, '', false);
    aws.proxy.reset();

    // Act
    const result = await runCli(['plan', '--config', config, '--now', at(0)], aws.env);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const counts = aws.proxy.counts();
    expect(counts[`${SOURCE}:DescribeDBClusterSnapshots`]).toBe(1);
    expect(counts[`${DESTINATION}:DescribeDBClusterSnapshots`]).toBe(1);
    expect(aws.proxy.total('ListTagsForResource')).toBe(0);
    expect(aws.proxy.total('CreateDBClusterSnapshot')).toBe(0);
    expect(aws.proxy.total('DeleteDBClusterSnapshot')).toBe(0);
  });

  it('exits 2 on a bad configuration and makes no AWS call', async () => {
    // Prepare
    const config = configFile('arn:aws:kms:eu-west-1:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666');
    aws.proxy.reset();

    // Act
    const result = await runCli(['run', '--config', config, '--now', at(0)], aws.env);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Source.KmsKeyDestination: must be a key in DestinationRegion (us-west-2)',
    );
    expect(aws.proxy.total()).toBe(0);
  });

  it('copies with the key KmsKeyDestination names by alias in the destination region', async () => {
    // Prepare: the same alias in both regions, each for its region's key.
    const sourceKey = await aws.estate.createKey(SOURCE);
    const destinationKey = await aws.estate.createKey(DESTINATION);
    await aws.estate.createAlias(SOURCE, 'alias/snapshot-tool', sourceKey.keyId);
    await aws.estate.createAlias(DESTINATION, 'alias/snapshot-tool', destinationKey.keyId);
    await aws.estate.createCluster(SOURCE, 'prod-db', { encrypted: true, kmsKeyId: sourceKey.arn });
    const config = configFile('alias/snapshot-tool', '', false);

    // Act
    const result = await runCli(['run', '--config', config, '--now', at(0)], aws.env);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const copy = (await aws.estate.snapshots(DESTINATION)).find(
      (s) => s.DBClusterSnapshotIdentifier === 'prod-db-2026-03-01-00-00',
    );
    expect(copy?.KmsKeyId).toBe(destinationKey.arn);
    expect(result.stdout).toContain(`key ${destinationKey.arn}`);
  });

  it('exits 2 naming a KmsKeyDestination alias missing in the destination region, before taking anything', async () => {
    // Prepare: the alias exists in the source region only.
    const sourceKey = await aws.estate.createKey(SOURCE);
    await aws.estate.createAlias(SOURCE, 'alias/snapshot-tool', sourceKey.keyId);
    await aws.estate.createCluster(SOURCE, 'prod-db', { encrypted: true, kmsKeyId: sourceKey.arn });
    const config = configFile('alias/snapshot-tool');
    aws.proxy.reset();

    // Act
    const result = await runCli(['run', '--config', config, '--now', at(0)], aws.env);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Source.KmsKeyDestination: names no KMS key in account 123456789012, region ${DESTINATION}: the alias alias/snapshot-tool does not exist there`,
    );
    expect(aws.proxy.total('CreateDBClusterSnapshot')).toBe(0);
    expect(aws.proxy.total('CopyDBClusterSnapshot')).toBe(0);
    expect(await aws.estate.snapshotIds(SOURCE)).toEqual([]);
  });

  it('exits 1 naming EncryptionKeyRequired when an encrypted cluster has no KmsKeyDestination, after taking its snapshot', async () => {
    // Prepare
    const sourceKey = await aws.estate.createKey(SOURCE);
    await aws.estate.createCluster(SOURCE, 'prod-db', { encrypted: true, kmsKeyId: sourceKey.arn });
    const path = join(dir, 'no-key.yaml');
    writeFileSync(
      path,
      `Source:\n  Region: ${SOURCE}\n  ClusterNamePattern: ^prod-db$\n  ShareSnapshots: TRUE\n  DestinationRegion: ${DESTINATION}\n`,
    );

    // Act
    const result = await runCli(['run', '--config', path, '--now', at(0)], aws.env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('EncryptionKeyRequired');
    expect(result.stderr).toContain('KmsKeyDestination');
    expect(await aws.estate.snapshotIds(SOURCE)).toContain('prod-db-2026-03-01-00-00');
    expect(await aws.estate.snapshotIds(DESTINATION)).toEqual([]);
  });

  it('status shows the latest snapshot and the recovery point', async () => {
    // Prepare
    const destinationKey = await aws.estate.createKey(DESTINATION);
    await aws.estate.createCluster(SOURCE, 'prod-db');
    const config = configFile(destinationKey.arn);
    await runCli(['run', '--config', config, '--now', at(0)], aws.env);

    // Act
    const result = await runCli(['status', '--config', config, '--now', at(5), '--json'], aws.env);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const cluster = report.clusters.find((c: { clusterId: string }) => c.clusterId === 'prod-db');
    expect(cluster.latestSnapshot.ageHours).toBeCloseTo(5);
    expect(cluster.latestCopy.region).toBe(DESTINATION);
    expect(cluster.latestCopy.ageHours).toBeCloseTo(5);
  });
});

describe('run when the manual snapshot quota is full', () => {
  let limited: MotoServer;
  beforeAll(async () => {
    limited = await startMoto({ env: { MOTO_RDS_SNAPSHOT_LIMIT: '3' } });
  });
  afterAll(async () => {
    await limited?.stop();
  });

  it('exits 1 naming SnapshotQuotaExceeded and deletes nothing', async () => {
    // Prepare
    const full = createEstate({ endpoint: limited.endpoint });
    const destinationKey = await full.createKey(DESTINATION);
    await full.createCluster(SOURCE, 'prod-db');
    await full.createSnapshot(SOURCE, { clusterId: 'prod-db', snapshotId: 'keep-1' });
    await full.createSnapshot(SOURCE, { clusterId: 'prod-db', snapshotId: 'keep-2' });
    const config = configFile(destinationKey.arn);

    // Act
    const result = await runCli(['run', '--config', config, '--now', at(0)], { ...aws.env, ...limited.env });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SnapshotQuotaExceeded');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect((await full.snapshotIds(SOURCE)).sort()).toEqual(['keep-1', 'keep-2']);
  });
});
