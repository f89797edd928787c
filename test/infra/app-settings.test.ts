// The CDK app (addToolStacks) builds each construct from the configuration file's block: every parameter of the table that applies to the block reaches the construct, and the schedule starts the state machine with it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  BLOCK_KEYS,
  type Block,
  blockParameters,
  type DeployedBlock,
  defaultIn,
} from '../../src/config/parameters.js';
import { parseConfig } from '../../src/config/schema.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';
import { addToolStacks } from '../../src/infra/app.js';

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '111122223333';
const SOURCE_REGION = 'eu-west-1';
const COPY_REGION = 'eu-central-1';
const key = (region: string, account = ACCOUNT) =>
  `arn:aws:kms:${region}:${account}:key/0b3a2c5e-1111-2222-3333-444455556666`;

function bundleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), 'zip');
  return dir;
}
const BUNDLES = bundleDir();

function build(config: Record<string, unknown>) {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
  return addToolStacks(app, parseConfig(config), { bundleDir: BUNDLES, account: ACCOUNT });
}

/** The schedule of a stack: its time zone and the state machine input it starts the run with. */
function scheduleOf(stack: Stack | undefined): { timeZone: unknown; input: Record<string, unknown> } {
  const schedules = Object.values(
    Template.fromStack(stack as Stack).findResources('AWS::Scheduler::Schedule'),
  ) as { Properties: { ScheduleExpressionTimezone: unknown; Target: { Input: unknown } } }[];
  expect(schedules).toHaveLength(1);
  const [schedule] = schedules as [(typeof schedules)[number]];
  return {
    timeZone: schedule.Properties.ScheduleExpressionTimezone,
    input: JSON.parse(String(schedule.Properties.Target.Input)) as Record<string, unknown>,
  };
}

/** The configuration block a construct of the app holds (the block its state machine is started with). */
function constructBlock(stack: Stack | undefined, block: Block): unknown {
  const id = block === 'drill' ? 'Drill' : 'Cluster';
  const construct = (stack as Stack).node.findChild(id) as unknown as {
    config: Record<string, unknown>;
  };
  return construct.config[BLOCK_KEYS[block]];
}

/**
 * Configurations that, together, set every parameter of each block to a value other than its default (two
 * source blocks: Destinations is the list form of DestinationRegion, DestinationAccount, KmsKeyDestination).
 */
const EVERY_PARAMETER: Record<DeployedBlock, readonly Record<string, unknown>[]> = {
  source: [
    {
      Region: SOURCE_REGION,
      ClusterNamePattern: '^orders',
      ExcludeClusterPattern: '-test$',
      ClusterTags: 'team=db,backup=*',
      BackupInterval: 12,
      BackupSchedule: '0 0,12 * * ? *',
      ScheduleTimezone: 'Europe/Berlin',
      RetentionDays: 10,
      DeleteOldSnapshots: 'FALSE',
      KeepLast: 3,
      KeepDaily: 4,
      KeepWeekly: 5,
      KeepMonthly: 6,
      KeepYearly: 7,
      ShareSnapshots: 'TRUE',
      DestinationRegion: COPY_REGION,
      DestinationAccount: OTHER_ACCOUNT,
      KmsKeySource: key(SOURCE_REGION),
      KmsKeyDestination: key(COPY_REGION),
      LogLevel: 'DEBUG',
      Tags: { team: 'db' },
      MaxDeletesPerPass: 30,
      MaxWaitMinutes: 600,
      SnapshotEvents: 'FALSE',
      RecoveryPointObjectiveHours: 30,
    },
    {
      Region: SOURCE_REGION,
      ClusterNamePattern: '^orders',
      ShareSnapshots: 'TRUE',
      Destinations: [
        { Region: COPY_REGION, Account: OTHER_ACCOUNT, KmsKeyDestination: key(COPY_REGION) },
        { Region: 'us-east-1' },
      ],
      ReleaseStuckDestinationsAfterHours: 48,
    },
  ],
  destination: [
    {
      Region: COPY_REGION,
      SnapshotPattern: '^orders',
      RetentionDays: 20,
      DeleteOldSnapshots: 'FALSE',
      KeepLast: 3,
      KeepDaily: 4,
      KeepWeekly: 5,
      KeepMonthly: 6,
      KeepYearly: 7,
      KmsKeyDestination: key(COPY_REGION),
      SourceRegion: SOURCE_REGION,
      SourceAccount: OTHER_ACCOUNT,
      SourceOrganizationId: 'o-a1b2c3d4e5',
      SharedSnapshotsKmsKey: key(COPY_REGION, OTHER_ACCOUNT),
      Schedule: '0 3 * * ? *',
      ScheduleTimezone: 'America/New_York',
      LogLevel: 'INFO',
      MaxDeletesPerPass: 40,
      MaxWaitMinutes: 300,
      RecoveryPointObjectiveHours: 50,
    },
  ],
  drill: [
    {
      Region: COPY_REGION,
      SnapshotPattern: '^orders',
      Schedule: '0 5 ? * MON *',
      ScheduleTimezone: 'Asia/Tokyo',
      DBSubnetGroupName: 'drill-subnets',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
      InstanceClass: 'db.r6g.large',
      MaxRestoreMinutes: 90,
      LogLevel: 'WARN',
    },
  ],
};

describe('the CDK app from a configuration file', () => {
  it('starts the source state machine with the keep rules, time zone, exclude pattern and cluster tags of the file', () => {
    // Prepare
    const config = {
      Source: {
        Region: SOURCE_REGION,
        ClusterNamePattern: '^orders',
        KeepWeekly: 8,
        ScheduleTimezone: 'Europe/Berlin',
        ExcludeClusterPattern: '-test$',
        ClusterTags: { team: 'db' },
      },
    };

    // Act
    const { source } = build(config);

    // Assess
    const { timeZone, input } = scheduleOf(source);
    expect(timeZone).toBe('Europe/Berlin');
    expect(input.Source).toMatchObject({
      KeepWeekly: 8,
      ScheduleTimezone: 'Europe/Berlin',
      ExcludeClusterPattern: '-test$',
      ClusterTags: { team: 'db' },
    });
  });

  it('starts the destination state machine with the keep rules and time zone of the file', () => {
    // Prepare
    const config = {
      Destination: {
        Region: COPY_REGION,
        SnapshotPattern: '^orders',
        KeepWeekly: 12,
        KeepYearly: 2,
        ScheduleTimezone: 'America/New_York',
      },
    };

    // Act
    const { destination } = build(config);

    // Assess
    const { timeZone, input } = scheduleOf(destination);
    expect(timeZone).toBe('America/New_York');
    expect(input.Destination).toMatchObject({
      KeepWeekly: 12,
      KeepYearly: 2,
      ScheduleTimezone: 'America/New_York',
    });
  });

  for (const block of ['source', 'destination', 'drill'] as const) {
    it(`the ${block} fixtures set every parameter of the table that applies to the block, none to its default`, () => {
      // Prepare
      const set = EVERY_PARAMETER[block].flatMap((fixture) =>
        Object.entries(parseConfig({ [BLOCK_KEYS[block]]: fixture })[BLOCK_KEYS[block]] ?? {}).filter(
          ([name]) => name in fixture,
        ),
      );

      // Act
      const atDefault = set
        .filter(([name, value]) => {
          const entry = blockParameters(block).find((e) => e.name === name);
          return entry !== undefined && defaultIn(entry, block) === value;
        })
        .map(([name]) => name);

      // Assess
      expect(new Set(set.map(([name]) => name))).toEqual(new Set(blockParameters(block).map((e) => e.name)));
      expect(atDefault).toEqual([]);
    });

    it(`carries every parameter of the ${block} block to its construct`, () => {
      for (const fixture of EVERY_PARAMETER[block]) {
        // Prepare
        const config = parseConfig({ [BLOCK_KEYS[block]]: fixture });

        // Act
        const stacks = addToolStacks(new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) }), config, {
          bundleDir: BUNDLES,
          account: ACCOUNT,
        });

        // Assess
        expect(constructBlock(stacks[block], block)).toEqual(config[BLOCK_KEYS[block]]);
      }
    });
  }
});

describe('the shapes carrier in the CDK app', () => {
  it("lets the source functions leave shapes in the buckets of the accounts they share with, and makes a vault's bucket when SourceAccount is set", () => {
    // Act
    const sharing = build({
      Source: {
        Region: SOURCE_REGION,
        ClusterNamePattern: '^prod$',
        ShareSnapshots: true,
        Destinations: [
          { Region: SOURCE_REGION, Account: OTHER_ACCOUNT },
          { Region: COPY_REGION, Account: '999988887777', KmsKeyDestination: key(COPY_REGION) },
          { Region: COPY_REGION, KmsKeyDestination: key(COPY_REGION) },
        ],
      },
      Destination: { Region: SOURCE_REGION, SnapshotPattern: '^prod', SourceAccount: OTHER_ACCOUNT },
    });
    const alone = build({
      Source: { Region: SOURCE_REGION, ClusterNamePattern: '^prod$' },
      Destination: { Region: SOURCE_REGION, SnapshotPattern: '^prod' },
    });

    // Assess
    const put = Template.fromStack(sharing.source as Stack).findResources('AWS::IAM::Policy', {
      Properties: { PolicyName: 'LeaveShapesInTheVaults' },
    });
    expect(
      Object.values(put).map(
        (p) =>
          (p as { Properties: { PolicyDocument: { Statement: { Condition: unknown }[] } } }).Properties
            .PolicyDocument.Statement[0]?.Condition,
      ),
    ).toEqual([{ StringEquals: { 's3:ResourceAccount': [OTHER_ACCOUNT, '999988887777'] } }]);
    const vault = Template.fromStack(sharing.destination as Stack);
    vault.resourceCountIs('AWS::S3::Bucket', 1);
    vault.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'OnlyOverTls' },
          { Sid: 'SourceAccountsLeaveShapesUnderTheirOwnPrefix', Principal: { AWS: [OTHER_ACCOUNT] } },
          { Sid: 'SourceAccountsNothingElse', Principal: { AWS: [OTHER_ACCOUNT] } },
        ],
      },
    });
    expect(
      Template.fromStack(alone.source as Stack).findResources('AWS::IAM::Policy', {
        Properties: { PolicyName: 'LeaveShapesInTheVaults' },
      }),
    ).toEqual({});
    Template.fromStack(alone.destination as Stack).resourceCountIs('AWS::S3::Bucket', 0);
  });
});
