// ShareSnapshotsAurora delivers the shape of what it shares with another account, and CopySnapshotsDestAurora
// collects it for its copy, through the carrier of src/handlers/shape-carrier.ts (in-memory estate and buckets).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shapeFromTags } from '../../src/core/model/cluster-shape-tags.js';
import { handler as copyShared } from '../../src/handlers/copy-snapshots-dest.js';
import { setClock, setStoreFactory } from '../../src/handlers/runtime.js';
import { setShapeCarrier } from '../../src/handlers/shape-carrier.js';
import { handler as share } from '../../src/handlers/share-snapshots.js';
import { handler as take } from '../../src/handlers/take-snapshots.js';
import { type CapturedOutput, captureStdout } from '../state-machine/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { MemoryShapeCarrier } from '../support/memory-shape-carrier.js';
import { MemoryEstate } from '../support/memory-store.js';

const REGION = 'us-east-1';
const PRODUCTION = '111111111111';
const VAULT = '222222222222';
const SNAPSHOT = 'prod-db-2025-03-01-01-00';

let clock: ManualClock;
let estate: MemoryEstate;
let output: CapturedOutput;

const sourceEvent = {
  config: {
    Source: {
      Region: REGION,
      ClusterNamePattern: '^prod-db$',
      ShareSnapshots: 'TRUE',
      DestinationAccount: VAULT,
      LogLevel: 'INFO',
    },
  },
};
const vaultEvent = {
  config: {
    Destination: { Region: REGION, SnapshotPattern: '^prod-db', SourceAccount: PRODUCTION, LogLevel: 'INFO' },
  },
};

beforeEach(() => {
  clock = new ManualClock('2025-03-01T01:00:00.000Z');
  estate = new MemoryEstate({ clock, instant: true });
  estate.addCluster({
    region: REGION,
    id: 'prod-db',
    instances: [
      { id: 'prod-db-1', instanceClass: 'db.r6g.large' },
      { id: 'prod-db-2', instanceClass: 'db.r6g.xlarge' },
    ],
  });
  setClock(clock);
  output = captureStdout();
});

afterEach(() => {
  output.restore();
  setClock(undefined);
  setStoreFactory(undefined);
  setShapeCarrier(undefined);
});

describe('the shape across accounts, through the functions', () => {
  it('ShareSnapshotsAurora leaves it in the vault’s bucket, CopySnapshotsDestAurora writes it on the vault’s copy', async () => {
    // Prepare
    const carrier = new MemoryShapeCarrier(PRODUCTION);
    carrier.createBucket(VAULT, REGION);
    setStoreFactory((region) => estate.store(region, PRODUCTION));
    await take(sourceEvent);

    // Act
    setShapeCarrier(carrier);
    await share(sourceEvent);
    setStoreFactory((region) => estate.store(region, VAULT));
    const inVault = carrier.as(VAULT);
    setShapeCarrier(inVault);
    await copyShared(vaultEvent);

    // Assess
    expect(carrier.calls).toEqual([`deliver ${VAULT} ${REGION} ${PRODUCTION}/${SNAPSHOT}`]);
    expect(inVault.calls).toEqual([`collect ${REGION} ${PRODUCTION}/${SNAPSHOT}`]);
    const backup = shapeFromTags(estate.find(SNAPSHOT, REGION, PRODUCTION)?.tags ?? {}).shape;
    expect(backup?.instances.map((i) => i.instanceClass)).toEqual(['db.r6g.large', 'db.r6g.xlarge']);
    expect(shapeFromTags(estate.find(SNAPSHOT, REGION, VAULT)?.tags ?? {})).toEqual({ shape: backup });
  });

  it('go without a carrier beside injected stores: the share and the copy are made, nothing is delivered', async () => {
    // Prepare
    setStoreFactory((region) => estate.store(region, PRODUCTION));
    await take(sourceEvent);

    // Act
    const shared = await share(sourceEvent);
    setStoreFactory((region) => estate.store(region, VAULT));
    const copied = await copyShared(vaultEvent);

    // Assess
    expect(shared.shared).toEqual([SNAPSHOT]);
    expect(copied.copied).toEqual([SNAPSHOT]);
    expect(shapeFromTags(estate.find(SNAPSHOT, REGION, VAULT)?.tags ?? {}).code).toBe('absent');
  });
});
