// The source state machine on moto with its keys named by alias (KmsKeySource, KmsKeyDestination = alias/<name>, as one stack set value serves every account and region): each alias is looked up in its key's region, RDS is asked with the key ARN found there, an aws/rds backup is re-encrypted with the aliased key and shared, a DR copy is made with the destination region's key, and an alias missing in its region fails the run with ConfigError before any snapshot is taken or changed.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shareCopyName } from '../../src/core/model/naming.js';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { setClock } from '../../src/handlers/runtime.js';
import { SOURCE_STATES, sourceStateMachineDefinition } from '../../src/state-machines/source.js';
import { recordedCalls, startRecording } from '../support/api-recorder.js';
import { restoreEnvironment } from '../support/environment.js';
import { createEstate, type Estate } from '../support/estate.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { execute, sourceFunctions } from './execute.js';
import { type CapturedOutput, captureStdout } from './harness.js';
import { describeRecordedCallsAllowed } from './recorded-calls-iam.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '222233334444';
const ALIAS = 'alias/aurora-snapshot-tool';
const { arns: FNS, handlers: FUNCTIONS } = sourceFunctions(SRC, ACCOUNT);
const definition = sourceStateMachineDefinition(FNS);
const S = SOURCE_STATES;

let moto: MotoServer;
let estate: Estate;
let output: CapturedOutput;
const savedEnv = { ...process.env };

function input(extra: Record<string, unknown>) {
  return {
    Source: {
      Region: SRC,
      ClusterNamePattern: '^orders',
      ShareSnapshots: 'TRUE',
      RetentionDays: '7',
      BackupInterval: '24',
      LogLevel: 'INFO',
      ...extra,
    },
  };
}

/** A key of `region` with the alias ALIAS, as the team creates it in each account and region. */
async function aliasedKey(region: string): Promise<string> {
  const key = await estate.createKey(region, `aurora-snapshot-tool ${region}`);
  await estate.createAlias(region, ALIAS, key.keyId);
  return key.arn;
}

/** The calls of one action the functions made since `from` (an index into the recorded calls). */
const callsOf = (action: string, from = 0) =>
  recordedCalls()
    .slice(from)
    .filter((call) => call.action === action);

/** The key RDS records for a snapshot of `region`. */
async function keyOf(region: string, id: string): Promise<string | undefined> {
  return (await estate.snapshots(region)).find((s) => s.DBClusterSnapshotIdentifier === id)?.KmsKeyId;
}

beforeAll(async () => {
  moto = await startMoto();
  startRecording(() => moto.endpoint);
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  process.env.AWS_MAX_ATTEMPTS = '1';
  estate = createEstate({ endpoint: moto.endpoint });
  output = captureStdout();
});

afterEach(() => {
  output.restore();
  setClock(undefined);
  restoreEnvironment({ ...savedEnv, ...moto.env });
  delete process.env.AWS_MAX_ATTEMPTS;
});

describe('KmsKeySource named by alias', () => {
  it('re-encrypts an aws/rds backup with the key the alias names in the source region, and shares that copy', async () => {
    // Prepare: the cluster is under aws/rds (no key named); the same alias exists in another region too.
    await estate.createCluster(SRC, 'orders-db', { encrypted: true });
    const sourceKey = await aliasedKey(SRC);
    await aliasedKey(DST);
    const from = recordedCalls().length;

    // Act
    const outcome = await execute(
      definition,
      input({ DestinationAccount: OTHER_ACCOUNT, KmsKeySource: ALIAS }),
      FUNCTIONS,
    );

    // Assess
    expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
    const backup = ((outcome.results(S.take)[0]?.taken ?? []) as string[])[0] ?? '';
    const copy = shareCopyName(backup);
    expect(outcome.results(S.share)[0]).toMatchObject({ copied: [copy], follow: true });
    expect(outcome.results(S.shareFollowed)[0]).toMatchObject({ shared: [copy] });
    // RDS was asked with the key ARN the alias names in the source region, and the copy is under that key.
    expect(callsOf('CopyDBClusterSnapshot', from).map((call) => call.input.KmsKeyId)).toEqual([sourceKey]);
    expect(await keyOf(SRC, copy)).toBe(sourceKey);
    expect(await keyOf(SRC, backup)).toBe('alias/aws/rds');
    // The copy is shared, never the aws/rds backup.
    expect(await estate.as(OTHER_ACCOUNT).snapshotIds(SRC, 'shared')).toEqual([copy]);
    // The alias was looked up in the source region by the functions that use it: once per run each.
    const lookups = callsOf('DescribeKey', from).filter((call) => call.input.KeyId === ALIAS);
    expect(lookups.map((call) => [call.fn.name, call.region])).toEqual([
      ['TakeSnapshotsAurora', SRC],
      ['ShareSnapshotsAurora', SRC],
      ['ShareSnapshotsAurora', SRC],
    ]);
  });
});

describe('KmsKeyDestination named by alias', () => {
  it('makes the DR copy with the key the alias names in DestinationRegion, not the source region’s', async () => {
    // Prepare: the cluster is under a key of its own; the alias names another key in each region.
    const clusterKey = await estate.createKey(SRC, 'the cluster key');
    await estate.createCluster(SRC, 'orders-db', { kmsKeyId: clusterKey.arn });
    const sourceKey = await aliasedKey(SRC);
    const destinationKey = await aliasedKey(DST);
    const from = recordedCalls().length;

    // Act
    const outcome = await execute(
      definition,
      input({ DestinationRegion: DST, KmsKeyDestination: ALIAS }),
      FUNCTIONS,
    );

    // Assess
    expect(outcome.status, outcome.cause).toBe('SUCCEEDED');
    const backup = ((outcome.results(S.take)[0]?.taken ?? []) as string[])[0] ?? '';
    expect(outcome.results(S.share)[0]).toMatchObject({ copied: [backup], follow: false });
    const copies = callsOf('CopyDBClusterSnapshot', from);
    expect(copies.map((call) => [call.region, call.input.KmsKeyId])).toEqual([[DST, destinationKey]]);
    expect(await keyOf(DST, backup)).toBe(destinationKey);
    expect(destinationKey).not.toBe(sourceKey);
    expect(
      callsOf('DescribeKey', from)
        .filter((call) => call.input.KeyId === ALIAS)
        .map((call) => call.region),
    ).toEqual([DST, DST]);
  });

  it('fails the run with ConfigError at the take when the alias is missing in DestinationRegion: nothing taken, copied or deleted', async () => {
    // Prepare: the alias exists in the source region only; an expired backup and its copy would otherwise go,
    // and a backup not yet copied would be copied.
    const clusterKey = await estate.createKey(SRC, 'the cluster key');
    await estate.createCluster(SRC, 'orders-db', { kmsKeyId: clusterKey.arn });
    await aliasedKey(SRC);
    const tags = (daysAgo: number) => ({
      [TAG.CreatedBy]: TOOL_TAG_VALUE,
      [TAG.PointInTime]: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
      [TAG.SourceCluster]: 'orders-db',
      [TAG.SourceRegion]: SRC,
      [TAG.SourceAccount]: ACCOUNT,
      [TAG.Purpose]: 'backup',
    });
    await estate.createSnapshot(SRC, {
      clusterId: 'orders-db',
      snapshotId: 'orders-db-expired',
      tags: tags(30),
    });
    await estate.createSnapshot(SRC, {
      clusterId: 'orders-db',
      snapshotId: 'orders-db-recent',
      tags: tags(1),
    });
    const before = await estate.snapshots(SRC);
    const from = recordedCalls().length;

    // Act
    const outcome = await execute(
      definition,
      input({ DestinationRegion: DST, KmsKeyDestination: ALIAS }),
      FUNCTIONS,
    );

    // Assess: the failure names the parameter, the alias, the account, the region and what to do.
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('ConfigError');
    expect(outcome.cause).toContain('ClusterNamePattern ^orders');
    expect(outcome.cause).toContain(
      `Source.KmsKeyDestination: names no KMS key in account ${ACCOUNT}, region ${DST}: the alias ${ALIAS} does not exist there (KMS DescribeKey)`,
    );
    expect(outcome.cause).toContain(
      `aws kms create-alias --alias-name ${ALIAS} --target-key-id <key id> --region ${DST}`,
    );
    expect(outcome.path()).toEqual([S.trigger, S.take, S.describeFailure, S.failureWithCluster, S.failed]);
    const changes = recordedCalls()
      .slice(from)
      .filter((call) => !/^(Describe|List|GetCallerIdentity)/.test(call.action));
    expect(changes).toEqual([]);
    expect(await estate.snapshots(SRC)).toEqual(before);
    expect(await estate.snapshotIds(DST)).toEqual([]);
  });
});

describeRecordedCallsAllowed(
  [
    'TakeSnapshotsAurora DescribeKey',
    'ShareSnapshotsAurora DescribeKey',
    'ShareSnapshotsAurora CopyDBClusterSnapshot',
    'ShareSnapshotsAurora ModifyDBClusterSnapshotAttribute',
  ],
  [['kms:DescribeKey', 'TakeSnapshotsAurora kms:DescribeKey']],
);
