// The keys a configuration names, made key ARNs before a pass (src/aws/configured-keys.ts) over the in-memory estate: each alias looked up once in its key's region, key ARNs never, and a missing alias a ConfigError naming the parameter, the alias, the account, the region and what to do.
import { describe, expect, it } from 'vitest';
import { backupPolicyWithKeyArns, destinationPolicyWithKeyArn } from '../../src/aws/configured-keys.js';
import { parseConfig } from '../../src/config/schema.js';
import { backupPolicyOf, destinationPolicyOf } from '../../src/config/to-core.js';
import { ConfigError } from '../../src/core/model/errors.js';
import { ManualClock } from '../support/manual-clock.js';
import { DEFAULT_ACCOUNT, MemoryEstate } from '../support/memory-store.js';
import { rejection } from '../support/rejection.js';

const SRC = 'us-east-1';
const DST = 'us-west-2';
const THIRD = 'eu-west-1';
const ALIAS = 'alias/aurora-snapshot-tool';
const keyIn = (region: string, n = 1) =>
  `arn:aws:kms:${region}:${DEFAULT_ACCOUNT}:key/0b3a2c5e-1111-2222-3333-44445555666${n}`;

function estateWithAliases(regions: readonly string[]): MemoryEstate {
  const estate = new MemoryEstate({ clock: new ManualClock('2026-03-01T00:00:00Z') });
  for (const region of regions) estate.addKeyAlias(region, ALIAS, keyIn(region));
  return estate;
}

const source = (fields: Record<string, unknown>) =>
  backupPolicyOf(
    parseConfig({ Source: { Region: SRC, ClusterNamePattern: '^prod', ShareSnapshots: true, ...fields } })
      .Source as never,
  );

describe('the keys of a source job', () => {
  it('makes KmsKeySource the key its alias names in Region, and KmsKeyDestination the one in DestinationRegion', async () => {
    // Prepare
    const estate = estateWithAliases([SRC, DST]);
    const policy = source({
      DestinationRegion: DST,
      DestinationAccount: '222222222222',
      KmsKeySource: ALIAS,
      KmsKeyDestination: ALIAS,
    });
    // Act
    const resolved = await backupPolicyWithKeyArns(policy, (region) => estate.store(region));
    // Assess
    expect(resolved).toEqual({ ...policy, KmsKeySource: keyIn(SRC), KmsKeyDestination: keyIn(DST) });
    expect(estate.callCount('keyArnOf', SRC)).toBe(1);
    expect(estate.callCount('keyArnOf', DST)).toBe(1);
  });

  it("makes each destination's key the one its alias names in that destination's region, asking once per region", async () => {
    // Prepare: two destinations in DST share one copy (one key); a third names its key by ARN.
    const estate = estateWithAliases([DST, THIRD]);
    const policy = source({
      Destinations: [
        { Region: DST, KmsKeyDestination: ALIAS },
        { Region: DST, Account: '222222222222', KmsKeyDestination: ALIAS },
        { Region: THIRD, KmsKeyDestination: keyIn(THIRD, 2) },
        { Region: 'us-east-2' },
      ],
    });
    // Act
    const resolved = await backupPolicyWithKeyArns(policy, (region) => estate.store(region));
    // Assess
    expect(resolved.Destinations?.map((d) => d.KmsKeyDestination)).toEqual([
      keyIn(DST),
      keyIn(DST),
      keyIn(THIRD, 2),
      undefined,
    ]);
    expect(estate.callCount('keyArnOf')).toBe(1);
  });

  it('passes an alias on as named when the store has no lookup (a store written before it)', async () => {
    // Prepare
    const estate = estateWithAliases([SRC]);
    const policy = source({ DestinationAccount: '222222222222', KmsKeySource: ALIAS });
    const older = (region: string) => {
      const store = estate.store(region);
      return Object.assign(Object.create(store) as typeof store, { keyArnOf: undefined });
    };
    // Act
    const resolved = await backupPolicyWithKeyArns(policy, older);
    // Assess
    expect(resolved.KmsKeySource).toBe(ALIAS);
    expect(estate.callCount('keyArnOf', SRC)).toBe(0);
  });

  it('asks nothing when every key is named by its key ARN, and leaves the policy as it was', async () => {
    // Prepare
    const estate = estateWithAliases([]);
    const policy = source({
      DestinationRegion: DST,
      KmsKeySource: keyIn(SRC),
      KmsKeyDestination: keyIn(DST),
    });
    // Act
    const resolved = await backupPolicyWithKeyArns(policy, (region) => estate.store(region));
    // Assess
    expect(resolved).toEqual(policy);
    expect(estate.callCount('keyArnOf')).toBe(0);
  });

  it('looks an alias of the one-item form up in Region when only DestinationAccount is set (a share in place)', async () => {
    // Prepare
    const estate = estateWithAliases([SRC]);
    const policy = source({ DestinationAccount: '222222222222', KmsKeyDestination: ALIAS });
    // Act
    const resolved = await backupPolicyWithKeyArns(policy, (region) => estate.store(region));
    // Assess
    expect(resolved.KmsKeyDestination).toBe(keyIn(SRC));
  });

  it('refuses an alias missing in its region with one issue per parameter: the alias, the account, the region, the command that creates it', async () => {
    // Prepare: the alias exists in the source region only.
    const estate = estateWithAliases([SRC]);
    const policy = source({
      KmsKeySource: ALIAS,
      Destinations: [
        { Region: DST, KmsKeyDestination: ALIAS },
        { Region: THIRD, Account: '222222222222', KmsKeyDestination: `alias/team/${THIRD}` },
      ],
    });
    // Act
    const error = await rejection(
      backupPolicyWithKeyArns(policy, (region) => estate.store(region)),
      ConfigError,
    );
    // Assess
    expect(error.issues).toEqual([
      {
        parameter: "Source.Destinations[0].KmsKeyDestination (the templates' KmsKeyDestination)",
        value: ALIAS,
        message: `names no KMS key in account ${DEFAULT_ACCOUNT}, region ${DST}: the alias ${ALIAS} does not exist there (KMS DescribeKey). An alias name means that alias in the account the job runs in, in the key's region: create it there for a customer managed key of ${DST} (aws kms create-alias --alias-name ${ALIAS} --target-key-id <key id> --region ${DST}), or name an existing key`,
      },
      {
        parameter: "Source.Destinations[1].KmsKeyDestination (the templates' Destination2KmsKey)",
        value: `alias/team/${THIRD}`,
        message: `names no KMS key in account ${DEFAULT_ACCOUNT}, region ${THIRD}: the alias alias/team/${THIRD} does not exist there (KMS DescribeKey). An alias name means that alias in the account the job runs in, in the key's region: create it there for a customer managed key of ${THIRD} (aws kms create-alias --alias-name alias/team/${THIRD} --target-key-id <key id> --region ${THIRD}), whose key policy lets the accounts the snapshots are shared with use it (docs/deployment.md#key-policies), or name an existing key`,
      },
    ]);
    expect(error.message).toContain(
      `Source.Destinations[0].KmsKeyDestination (the templates' KmsKeyDestination): names no KMS key in account ${DEFAULT_ACCOUNT}, region ${DST}`,
    );
  });

  it('names the key policy for KmsKeySource, whose re-encrypted snapshots are shared, and a key id that names no key', async () => {
    // Prepare
    const estate = estateWithAliases([]);
    const keyId = '0b3a2c5e-1111-2222-3333-444455556666';
    // Act
    const missingAlias = await rejection(
      backupPolicyWithKeyArns(source({ DestinationAccount: '222222222222', KmsKeySource: ALIAS }), (r) =>
        estate.store(r),
      ),
      ConfigError,
    );
    const missingId = await rejection(
      backupPolicyWithKeyArns(source({ DestinationAccount: '222222222222', KmsKeySource: keyId }), (r) =>
        estate.store(r),
      ),
      ConfigError,
    );
    // Assess
    expect(missingAlias.issues.map((i) => i.parameter)).toEqual(['Source.KmsKeySource']);
    expect(missingAlias.issues[0]?.message).toContain(
      'whose key policy lets the accounts the snapshots are shared with use it (docs/deployment.md#key-policies)',
    );
    expect(missingId.issues).toEqual([
      {
        parameter: 'Source.KmsKeySource',
        value: keyId,
        message: `names no KMS key of account ${DEFAULT_ACCOUNT} in ${SRC} (KMS DescribeKey found none): name a key of that account and region by its ARN`,
      },
    ]);
  });
});

describe('the key of a destination job', () => {
  const destination = (fields: Record<string, unknown>) =>
    destinationPolicyOf(
      parseConfig({ Destination: { Region: DST, SnapshotPattern: '^prod', ...fields } }).Destination as never,
    );

  it('makes KmsKeyDestination the key its alias names in Region, and leaves a policy without a key alone', async () => {
    // Prepare
    const estate = estateWithAliases([DST]);
    // Act
    const named = await destinationPolicyWithKeyArn(
      destination({ KmsKeyDestination: ALIAS }),
      estate.store(DST),
    );
    const none = await destinationPolicyWithKeyArn(destination({}), estate.store(DST));
    // Assess
    expect(named.KmsKeyDestination).toBe(keyIn(DST));
    expect(none.KmsKeyDestination).toBeUndefined();
    expect(estate.callCount('keyArnOf')).toBe(1);
  });

  it('refuses an alias missing in its region, naming Destination.KmsKeyDestination, without the sharing advice', async () => {
    // Prepare
    const estate = estateWithAliases([SRC]);
    // Act
    const error = await rejection(
      destinationPolicyWithKeyArn(
        destination({ KmsKeyDestination: ALIAS }),
        estate.store(DST, '999988887777'),
      ),
      ConfigError,
    );
    // Assess
    expect(error.issues).toEqual([
      {
        parameter: 'Destination.KmsKeyDestination',
        value: ALIAS,
        message: `names no KMS key in account 999988887777, region ${DST}: the alias ${ALIAS} does not exist there (KMS DescribeKey). An alias name means that alias in the account the job runs in, in the key's region: create it there for a customer managed key of ${DST} (aws kms create-alias --alias-name ${ALIAS} --target-key-id <key id> --region ${DST}), or name an existing key`,
      },
    ]);
  });
});
