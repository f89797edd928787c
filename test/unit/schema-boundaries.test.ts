// The edges of what the schema accepts: identifiers with text around them, list limits, boundaries equal to
// the limit, and the exact issue (parameter, value, message) a refusal reports.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, recoveryPointObjectiveHours, warningsOf } from '../../src/config/schema.js';
import { formatConfigIssue } from '../../src/core/model/errors.js';
import { configIssues as issues } from '../support/config-issues.js';

const SOURCE = { Region: 'us-east-1', ClusterNamePattern: 'prod' };
const DESTINATION = { Region: 'us-west-2', SnapshotPattern: 'prod' };
const KEY_ID = '0b3a2c5e-1111-2222-3333-444455556666';
const keyArn = (region: string, account = '111122223333') => `arn:aws:kms:${region}:${account}:key/${KEY_ID}`;

const drill = (fields: Record<string, unknown>) =>
  parseConfig({ Source: SOURCE, RestoreDrill: { SnapshotPattern: 'prod', ...fields } }).RestoreDrill!;
const drillIssues = (fields: Record<string, unknown>) =>
  issues({ Source: SOURCE, RestoreDrill: { SnapshotPattern: 'prod', ...fields } });

describe('KMS key ARNs', () => {
  it('refuses a KmsKeySource ARN with text before it, naming the parameter and the value', () => {
    // Arrange
    const value = `key=${keyArn('us-east-1')}`;
    // Act
    const found = issues({ Source: { ...SOURCE, KmsKeySource: value } });
    // Assess
    expect(found).toEqual([
      {
        parameter: 'Source.KmsKeySource',
        value,
        message: 'must be a KMS key ARN, key id or alias (alias/name)',
      },
    ]);
  });

  it.each([
    ['text before it', `my ${keyArn('us-west-2')}`],
    ['text after it', `${keyArn('us-west-2')}/extra`],
    ['an alias instead of a key', 'arn:aws:kms:us-west-2:111122223333:alias/shared'],
  ])('refuses a SharedSnapshotsKmsKey with %s', (_label, value) => {
    // Act
    const found = issues({
      Destination: { ...DESTINATION, SourceAccount: '111122223333', SharedSnapshotsKmsKey: value },
    });
    // Assess
    expect(found.map((i) => [i.parameter, i.value])).toEqual([['Destination.SharedSnapshotsKmsKey', value]]);
    expect(found[0]?.message).toContain('must be the ARN of the source account');
  });

  it('accepts a SharedSnapshotsKmsKey of the China partition in a China region', () => {
    // Arrange
    const key = `arn:aws-cn:kms:cn-north-1:111122223333:key/${KEY_ID}`;
    // Act
    const config = parseConfig({
      Destination: {
        Region: 'cn-north-1',
        SnapshotPattern: 'prod',
        SourceAccount: '111122223333',
        SharedSnapshotsKmsKey: key,
      },
    });
    // Assess
    expect(config.Destination?.SharedSnapshotsKmsKey).toBe(key);
  });
});

describe('ClusterTags', () => {
  it('takes * as any value only when it is the whole value', () => {
    // Act
    const any = parseConfig({ Source: { ...SOURCE, ClusterTags: 'team=*' } });
    const found = issues({ Source: { ...SOURCE, ClusterTags: { team: '*db' } } });
    // Assess
    expect(any.Source?.ClusterTags).toEqual({ team: '*' });
    expect(found.map((i) => i.parameter)).toEqual(['Source.ClusterTags.team']);
    expect(found[0]?.value).toBe('*db');
  });
});

describe('RestoreDrill.VpcSecurityGroupIds', () => {
  const FIVE = ['sg-0123456789abcdef0', 'sg-11111111', 'sg-22222222', 'sg-33333333', 'sg-44444444'];

  it('accepts five ids, as a list or as comma-separated text with spaces and a trailing comma', () => {
    // Act
    const list = drill({ VpcSecurityGroupIds: FIVE });
    const text = drill({ VpcSecurityGroupIds: ` ${FIVE.join(' , ')},` });
    // Assess
    expect(list.VpcSecurityGroupIds).toEqual(FIVE);
    expect(text.VpcSecurityGroupIds).toEqual(FIVE);
  });

  it('reads an empty text (an empty CloudFormation parameter) as no security group', () => {
    // Act
    const parsed = drill({ VpcSecurityGroupIds: '' });
    // Assess
    expect(parsed.VpcSecurityGroupIds).toEqual([]);
  });

  it('refuses a sixth id, saying at most 5 are accepted', () => {
    // Arrange
    const six = [...FIVE, 'sg-55555555'];
    // Act
    const found = drillIssues({ VpcSecurityGroupIds: six });
    // Assess
    expect(found).toEqual([
      {
        parameter: 'RestoreDrill.VpcSecurityGroupIds',
        value: six,
        message: 'must be at most 5 security group ids such as sg-0123456789abcdef0',
      },
    ]);
  });

  it('refuses ids with text before or after them, naming each bad id', () => {
    // Arrange
    const value = 'old-sg-0123456789abcdef0, sg-11111111, sg-22222222x';
    // Act
    const found = drillIssues({ VpcSecurityGroupIds: value });
    // Assess
    expect(found).toEqual([
      {
        parameter: 'RestoreDrill.VpcSecurityGroupIds',
        value,
        message:
          'must be at most 5 security group ids such as sg-0123456789abcdef0 (not old-sg-0123456789abcdef0, sg-22222222x)',
      },
    ]);
  });
});

describe('RestoreDrill.DBSubnetGroupName', () => {
  const MESSAGE = 'must be a DB subnet group name (letters, digits, spaces, ._-)';

  it('accepts a name of letters, digits, spaces and ._- up to 255 characters', () => {
    // Act
    const name = drill({ DBSubnetGroupName: 'drill subnets_v2.eu-1' }).DBSubnetGroupName;
    const longest = drill({ DBSubnetGroupName: 'a'.repeat(255) }).DBSubnetGroupName;
    // Assess
    expect(name).toBe('drill subnets_v2.eu-1');
    expect(longest).toHaveLength(255);
  });

  it.each([
    ['a character outside the set after the name', 'drill-subnets;'],
    ['a character outside the set before the name', '$drill-subnets'],
    ['256 characters', 'a'.repeat(256)],
    ['no character', ''],
  ])('refuses %s, saying what a name holds', (_label, value) => {
    // Act
    const found = drillIssues({ DBSubnetGroupName: value });
    // Assess
    expect(found).toEqual([{ parameter: 'RestoreDrill.DBSubnetGroupName', value, message: MESSAGE }]);
  });
});

describe('RestoreDrill.InstanceClass', () => {
  const MESSAGE = 'must be an RDS instance class such as db.serverless or db.r6g.large';

  it.each(['db.serverless', 'db.r6g.large', 'db.t4g.medium', 'db.x2g.16xlarge'])('accepts %s', (value) => {
    // Act
    const parsed = drill({ InstanceClass: value });
    // Assess
    expect(parsed.InstanceClass).toBe(value);
  });

  it.each([
    ['text before it', 'my-db.r6g.large'],
    ['text after it', 'db.r6g.large '],
    ['a third part', 'db.r6g.large.extra'],
    ['no family', 'db.'],
    ['an empty size', 'db.r6g.'],
    ['capitals', 'db.R6G.large'],
  ])('refuses a class with %s, saying what a class looks like', (_label, value) => {
    // Act
    const found = drillIssues({ InstanceClass: value });
    // Assess
    expect(found).toEqual([{ parameter: 'RestoreDrill.InstanceClass', value, message: MESSAGE }]);
  });
});

describe('whole-number parameters', () => {
  it.each([
    ['Source', 'KeepLast', 'snapshots', 100_000],
    ['Source', 'KeepDaily', 'days', 100_000],
    ['Source', 'KeepWeekly', 'weeks', 100_000],
    ['Source', 'KeepMonthly', 'months', 100_000],
    ['Source', 'KeepYearly', 'years', 100_000],
    ['Source', 'RecoveryPointObjectiveHours', 'hours', 17_520],
    ['Destination', 'KeepLast', 'snapshots', 100_000],
    ['Destination', 'KeepDaily', 'days', 100_000],
    ['Destination', 'KeepWeekly', 'weeks', 100_000],
    ['Destination', 'KeepMonthly', 'months', 100_000],
    ['Destination', 'KeepYearly', 'years', 100_000],
    ['Destination', 'RecoveryPointObjectiveHours', 'hours', 17_520],
  ])('%s.%s names its unit (%s) and its range when refused', (block, name, unit, max) => {
    // Arrange
    const base = block === 'Source' ? SOURCE : DESTINATION;
    // Act
    const found = issues({ [block]: { ...base, [name]: max + 1 } });
    // Assess
    expect(found).toEqual([
      {
        parameter: `${block}.${name}`,
        value: max + 1,
        message: `must be a whole number of ${unit} from ${name === 'RecoveryPointObjectiveHours' ? 1 : 0} to ${max}`,
      },
    ]);
  });

  it('RestoreDrill.MaxRestoreMinutes names minutes and its range when refused', () => {
    // Act
    const found = drillIssues({ MaxRestoreMinutes: 9 });
    // Assess
    expect(found).toEqual([
      {
        parameter: 'RestoreDrill.MaxRestoreMinutes',
        value: 9,
        message: 'must be a whole number of minutes from 10 to 1440',
      },
    ]);
  });

  it('reads a number and the text of its digits alike, and refuses a fraction or a sign in either', () => {
    // Act
    const fromNumber = parseConfig({ Source: { ...SOURCE, KeepLast: 3 } }).Source?.KeepLast;
    const fromText = parseConfig({ Source: { ...SOURCE, KeepLast: ' 3 ' } }).Source?.KeepLast;
    // Assess
    expect(fromNumber).toBe(3);
    expect(fromText).toBe(3);
    for (const value of [1.5, '1.5', -1, '-1', '+1', '1e2']) {
      expect(
        issues({ Source: { ...SOURCE, KeepLast: value } }).map((i) => i.parameter),
        String(value),
      ).toEqual(['Source.KeepLast']);
    }
  });
});

describe('recovery point objectives', () => {
  it('accepts a Source.RecoveryPointObjectiveHours equal to BackupInterval and refuses one hour less', () => {
    // Act
    const equal = parseConfig({ Source: { ...SOURCE, BackupInterval: 12, RecoveryPointObjectiveHours: 12 } });
    const below = issues({ Source: { ...SOURCE, BackupInterval: 12, RecoveryPointObjectiveHours: 11 } });
    // Assess
    expect(equal.Source?.RecoveryPointObjectiveHours).toBe(12);
    expect(below).toEqual([
      {
        parameter: 'Source.RecoveryPointObjectiveHours',
        value: 11,
        message: 'must not be below BackupInterval (12 hours): a snapshot is taken at best once per interval',
      },
    ]);
  });

  it('accepts a Destination.RecoveryPointObjectiveHours equal to Source.BackupInterval and refuses one hour less', () => {
    // Arrange
    const source = { ...SOURCE, BackupInterval: 12 };
    // Act
    const equal = parseConfig({
      Source: source,
      Destination: { ...DESTINATION, RecoveryPointObjectiveHours: 12 },
    });
    const below = issues({
      Source: source,
      Destination: { ...DESTINATION, RecoveryPointObjectiveHours: 11 },
    });
    // Assess
    expect(equal.Destination?.RecoveryPointObjectiveHours).toBe(12);
    expect(below).toEqual([
      {
        parameter: 'Destination.RecoveryPointObjectiveHours',
        value: 11,
        message:
          'must not be below Source.BackupInterval (12 hours): a copy arrives at best once per interval',
      },
    ]);
  });

  it('gives a Destination without its own objective twice the Source.BackupInterval, which is accepted', () => {
    // Act
    const config = parseConfig({
      Source: { ...SOURCE, BackupInterval: 12, BackupSchedule: '0 */12 * * ? *' },
      Destination: DESTINATION,
    });
    // Assess
    expect(config.Destination?.RecoveryPointObjectiveHours).toBe(24);
  });
});

describe('Destination against Source', () => {
  it('refuses a lower destination rule where the source copies into its region, naming the default that applies', () => {
    // Act
    const found = issues({
      Source: { ...SOURCE, KeepDaily: 7, ShareSnapshots: 'TRUE', DestinationRegion: DESTINATION.Region },
      Destination: DESTINATION,
    });
    // Assess
    expect(found).toEqual([
      {
        parameter: 'Destination.KeepDaily',
        message: `is 0, lower than Source.KeepDaily (7): the source copies into ${DESTINATION.Region} each snapshot it still keeps and has no copy of there, so every copy deleted early would be copied again, pass after pass; keep at least Source.KeepDaily there, or set Destination.DeleteOldSnapshots FALSE (not set: the default 0 applies)`,
      },
    ]);
  });

  it('accepts a lower destination rule where nothing copies it again, with a warning naming what the recovery region lacks', () => {
    // Act: the source copies nowhere, so a copy the destination lets go stays gone
    const config = parseConfig({
      Source: { ...SOURCE, RetentionDays: 7, KeepDaily: 7 },
      Destination: { ...DESTINATION, RetentionDays: '3' },
    });
    const kept = parseConfig({
      Source: { ...SOURCE, KeepDaily: 7 },
      Destination: { ...DESTINATION, DeleteOldSnapshots: 'FALSE' },
    });
    // Assess
    expect(warningsOf(config)).toEqual([
      {
        parameter: 'Destination.RetentionDays',
        value: '3',
        message: `is lower than Source.RetentionDays (7): the recovery region ${DESTINATION.Region} will lack the copies from 3 to 7 days old that us-east-1 keeps, so a restore there reaches back only as far as the destination's own rules keep`,
      },
      {
        parameter: 'Destination.KeepDaily',
        message: `is not set (its default 0 applies), lower than Source.KeepDaily (7): the recovery region ${DESTINATION.Region} will lack one copy for each of the last 7 days that us-east-1 keeps, so a restore there reaches back only as far as the destination's own rules keep`,
      },
    ]);
    expect(warningsOf(kept)).toEqual([]);
  });

  it('accepts a lower destination rule where DestinationRegion names its region but ShareSnapshots is off, with a warning', () => {
    // Act: without ShareSnapshots the source copies nothing, so nothing is copied again
    const config = parseConfig({
      Source: { ...SOURCE, KeepDaily: 7, DestinationRegion: DESTINATION.Region },
      Destination: DESTINATION,
    });
    // Assess
    expect(warningsOf(config)).toEqual([
      {
        parameter: 'Destination.KeepDaily',
        message: `is not set (its default 0 applies), lower than Source.KeepDaily (7): the recovery region ${DESTINATION.Region} will lack one copy for each of the last 7 days that us-east-1 keeps, so a restore there reaches back only as far as the destination's own rules keep`,
      },
    ]);
  });

  it('accepts a lower destination rule where the source copies into its region but the destination deletes nothing, without a warning', () => {
    // Act
    const config = parseConfig({
      Source: { ...SOURCE, KeepDaily: 7, ShareSnapshots: 'TRUE', DestinationRegion: DESTINATION.Region },
      Destination: { ...DESTINATION, DeleteOldSnapshots: 'FALSE' },
    });
    // Assess
    expect(warningsOf(config)).toEqual([]);
  });

  it('names what KeepLast, KeepWeekly, KeepMonthly and KeepYearly kept lower leave the recovery region without', () => {
    // Act
    const config = parseConfig({
      Source: { ...SOURCE, KeepLast: 10, KeepWeekly: 8, KeepMonthly: 12, KeepYearly: 3 },
      Destination: { ...DESTINATION, KeepLast: 5, KeepWeekly: 4, KeepMonthly: 6, KeepYearly: 1 },
    });
    // Assess
    const lacks = (rule: string, kept: number, given: number, what: string) => ({
      parameter: `Destination.${rule}`,
      value: given,
      message: `is lower than Source.${rule} (${kept}): the recovery region ${DESTINATION.Region} will lack ${what} that us-east-1 keeps, so a restore there reaches back only as far as the destination's own rules keep`,
    });
    expect(warningsOf(config)).toEqual([
      lacks('KeepLast', 10, 5, 'the last 10 copies kept by count'),
      lacks('KeepWeekly', 8, 4, 'one copy for each of the last 8 weeks'),
      lacks('KeepMonthly', 12, 6, 'one copy for each of the last 12 months'),
      lacks('KeepYearly', 3, 1, 'one copy for each of the last 3 years'),
    ]);
  });

  it('shows a warning on a destination rule left out without a value, and one on a rule given with it', () => {
    // Act
    const config = parseConfig({
      Source: { ...SOURCE, RetentionDays: 7, KeepDaily: 7 },
      Destination: { ...DESTINATION, RetentionDays: '3' },
    });
    // Assess
    expect(warningsOf(config).map(formatConfigIssue)).toEqual([
      `Destination.RetentionDays: is lower than Source.RetentionDays (7): the recovery region ${DESTINATION.Region} will lack the copies from 3 to 7 days old that us-east-1 keeps, so a restore there reaches back only as far as the destination's own rules keep (got "3")`,
      `Destination.KeepDaily: is not set (its default 0 applies), lower than Source.KeepDaily (7): the recovery region ${DESTINATION.Region} will lack one copy for each of the last 7 days that us-east-1 keeps, so a restore there reaches back only as far as the destination's own rules keep`,
    ]);
  });

  it('refuses a Destination.SourceRegion of another partition, naming both partitions', () => {
    // Act
    const found = issues({ Destination: { ...DESTINATION, SourceRegion: 'cn-north-1' } });
    // Assess
    expect(found).toEqual([
      {
        parameter: 'Destination.SourceRegion',
        value: 'cn-north-1',
        message:
          'must be a region of the same partition as Destination.Region (us-west-2, partition aws), not partition aws-cn: RDS copies snapshots only within a partition',
      },
    ]);
  });

  it('refuses a SharedSnapshotsKmsKey of another account or region with one issue each, naming both', () => {
    // Arrange
    const key = keyArn('eu-west-1', '444455556666');
    // Act
    const found = issues({
      Destination: { ...DESTINATION, SourceAccount: '111122223333', SharedSnapshotsKmsKey: key },
    });
    // Assess
    expect(found).toEqual([
      {
        parameter: 'Destination.SharedSnapshotsKmsKey',
        value: key,
        message: 'must be a key of SourceAccount (111122223333), not of 444455556666',
      },
      {
        parameter: 'Destination.SharedSnapshotsKmsKey',
        value: key,
        message:
          'must be a key in Destination.Region (us-west-2), where the shared snapshots are, not eu-west-1',
      },
    ]);
  });

  it('refuses a SharedSnapshotsKmsKey without SourceAccount, saying to set it', () => {
    // Act
    const found = issues({ Destination: { ...DESTINATION, SharedSnapshotsKmsKey: keyArn('us-west-2') } });
    // Assess
    expect(found.map((i) => [i.parameter, i.message])).toEqual([
      [
        'Destination.SharedSnapshotsKmsKey',
        'is used only with SourceAccount (the account that shares snapshots encrypted with it): set SourceAccount',
      ],
    ]);
  });

  it('accepts a Destination.Region that is the second of the Source.Destinations regions', () => {
    // Act
    const config = parseConfig({
      Source: { ...SOURCE, Destinations: [{ Region: 'eu-west-1' }, { Region: 'us-west-2' }] },
      Destination: DESTINATION,
    });
    // Assess
    expect(config.Destination?.Region).toBe('us-west-2');
  });
});

describe('Source.Destinations repeated', () => {
  it.each([
    [
      'a region without an account',
      { Region: 'eu-west-1' },
      'repeats Source.Destinations[0] (Region eu-west-1): each destination must differ in Region or Account',
    ],
    [
      'a region and an account',
      { Region: 'eu-west-1', Account: '111111111111' },
      'repeats Source.Destinations[0] (Region eu-west-1, Account 111111111111): each destination must differ in Region or Account',
    ],
  ])('names the earlier item and what it repeats for %s', (_label, item, message) => {
    // Act
    const found = issues({ Source: { ...SOURCE, Destinations: [item, { Region: 'us-west-2' }, item] } });
    // Assess
    expect(found).toEqual([{ parameter: 'Source.Destinations[2]', value: item, message }]);
  });
});

describe('Source.Destinations keys', () => {
  it('lets a destination without a key share the copy another destination in its region makes with one', () => {
    // Arrange
    const items = [
      { Region: 'us-west-2', Account: '111111111111', KmsKeyDestination: keyArn('us-west-2') },
      { Region: 'us-west-2', Account: '222222222222' },
    ];
    // Act
    const config = parseConfig({ Source: { ...SOURCE, Destinations: items } });
    // Assess
    expect(config.Source?.Destinations).toEqual(items);
  });

  it('names the first destination of the region whose key a later one contradicts', () => {
    // Arrange
    const first = keyArn('us-west-2');
    const other = `arn:aws:kms:us-west-2:111122223333:key/ffffffff-1111-2222-3333-444455556666`;
    // Act
    const found = issues({
      Source: {
        ...SOURCE,
        Destinations: [
          { Region: 'us-west-2', Account: '111111111111', KmsKeyDestination: first },
          { Region: 'us-west-2', Account: '222222222222', KmsKeyDestination: first },
          { Region: 'us-west-2', Account: '333333333333', KmsKeyDestination: other },
        ],
      },
    });
    // Assess
    expect(found).toEqual([
      {
        parameter: 'Source.Destinations[2].KmsKeyDestination',
        value: other,
        message: `differs from Source.Destinations[0].KmsKeyDestination (${first}): the destinations in us-west-2 share one copy of each snapshot, made with one key`,
      },
    ]);
  });
});

describe('RestoreDrill.Region', () => {
  it('is accepted on its own in a file with only a RestoreDrill block', () => {
    // Act
    const config = parseConfig({ RestoreDrill: { Region: 'eu-west-1', SnapshotPattern: 'prod' } });
    // Assess
    expect(config.RestoreDrill?.Region).toBe('eu-west-1');
  });

  it('is required, saying why, in a file with only a RestoreDrill block', () => {
    // Act
    const found = issues({ RestoreDrill: { SnapshotPattern: 'prod' } });
    // Assess
    expect(found).toEqual([
      {
        parameter: 'RestoreDrill.Region',
        value: undefined,
        message: 'is required when the file has no Source or Destination block to take it from',
      },
    ]);
  });

  it('is kept when set, even where a Destination block and a DestinationRegion name another', () => {
    // Act
    const config = parseConfig({
      Source: { ...SOURCE, DestinationRegion: 'us-west-2' },
      Destination: DESTINATION,
      RestoreDrill: { Region: 'us-east-1', SnapshotPattern: 'prod' },
    });
    // Assess
    expect(config.RestoreDrill?.Region).toBe('us-east-1');
  });

  it.each([
    ['Source.Region for a source without copies', {}, 'us-east-1'],
    ['the DestinationRegion', { DestinationRegion: 'eu-west-1' }, 'eu-west-1'],
    [
      'the first of Destinations outside Source.Region',
      {
        Destinations: [
          { Region: 'us-east-1', Account: '111111111111' },
          { Region: 'eu-west-1' },
          { Region: 'us-west-2' },
        ],
      },
      'eu-west-1',
    ],
    [
      'Source.Region when every destination is a share in place',
      { Destinations: [{ Region: 'us-east-1', Account: '111111111111' }] },
      'us-east-1',
    ],
  ])('defaults to %s', (_label, fields, expected) => {
    // Act
    const config = parseConfig({
      Source: { ...SOURCE, ...fields },
      RestoreDrill: { SnapshotPattern: 'prod' },
    });
    // Assess
    expect(config.RestoreDrill?.Region).toBe(expected);
  });

  it('defaults to the Destination block region, which may be the second of Source.Destinations', () => {
    // Act
    const config = parseConfig({
      Source: { ...SOURCE, Destinations: [{ Region: 'eu-west-1' }, { Region: 'us-west-2' }] },
      Destination: DESTINATION,
      RestoreDrill: { SnapshotPattern: 'prod' },
    });
    // Assess
    expect(config.RestoreDrill?.Region).toBe('us-west-2');
  });
});

describe('recovery point objective across a clock change', () => {
  const DAILY_0230 = { BackupSchedule: '30 2 * * ? *' };
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const [zone, skipped, from, to] of [
    ['Europe/Berlin', '2027-03-28', '2027-03-27 02:30', '2027-03-29 02:30'],
    ['America/New_York', '2027-03-14', '2027-03-13 02:30', '2027-03-15 02:30'],
  ] as const) {
    it(`allows for the run ${zone} skips on ${skipped}: by default, and with a warning when set shorter`, () => {
      // Prepare
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2027-01-15T12:00:00Z'));
      // Act
      const byDefault = parseConfig({
        Source: { ...SOURCE, ...DAILY_0230, ScheduleTimezone: zone },
        Destination: DESTINATION,
      });
      const set = parseConfig({
        Source: { ...SOURCE, ...DAILY_0230, ScheduleTimezone: zone, RecoveryPointObjectiveHours: 36 },
      });
      // Assess: 47 hours between two runs; one interval more keeps a failed run from alarming across it
      expect(recoveryPointObjectiveHours(byDefault.Source!)).toBe(24 + 47);
      expect(byDefault.Destination?.RecoveryPointObjectiveHours).toBe(71);
      expect(warningsOf(byDefault)).toEqual([]);
      expect(warningsOf(set)).toEqual([
        {
          parameter: 'Source.RecoveryPointObjectiveHours',
          value: 36,
          message: `is 36 hours, shorter than the longest wait between two runs of BackupSchedule (30 2 * * ? *) in ${zone}: 47 hours, from ${from} to ${to} (the clocks go forward on ${skipped}, skipping that day's run), so the recovery-point alarm will fire then; set at least 47, or leave it unset for 71 (BackupInterval + that wait)`,
        },
      ]);
    });
  }

  it('says the clocks go forward, skipping no run, where the calendar makes the longest wait across the change', () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-01-15T12:00:00Z'));
    // Act: monthly on the 29th at 03:00 in Berlin; February 2027 has no 29th, and the clocks go forward at
    // 02:00 on 28 March, an hour no run is named in
    const config = parseConfig({
      Source: {
        ...SOURCE,
        BackupInterval: 24,
        BackupSchedule: '0 3 29 * ? *',
        ScheduleTimezone: 'Europe/Berlin',
        RecoveryPointObjectiveHours: 800,
      },
    });
    // Assess: 59 days less the hour skipped
    expect(warningsOf(config)).toEqual([
      {
        parameter: 'Source.RecoveryPointObjectiveHours',
        value: 800,
        message:
          'is 800 hours, shorter than the longest wait between two runs of BackupSchedule (0 3 29 * ? *) in Europe/Berlin: 1415 hours, from 2027-01-29 03:00 to 2027-03-29 03:00 (the clocks go forward on 2027-03-28), so the recovery-point alarm will fire then; set at least 1415, or leave it unset for 1439 (BackupInterval + that wait)',
      },
    ]);
  });

  it('warns of an objective shorter than a weekly wait without a clock change, showing the value as given', () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-01-15T12:00:00Z'));
    const weekly = { ...SOURCE, BackupSchedule: '0 1 ? * MON *' };
    // Act
    const shorter = parseConfig({ Source: { ...weekly, RecoveryPointObjectiveHours: '48' } });
    const equal = parseConfig({ Source: { ...weekly, RecoveryPointObjectiveHours: 168 } });
    // Assess
    expect(warningsOf(shorter)).toEqual([
      {
        parameter: 'Source.RecoveryPointObjectiveHours',
        value: '48',
        message:
          'is 48 hours, shorter than the longest wait between two runs of BackupSchedule (0 1 ? * MON *) in UTC: 168 hours, from 2027-01-18 01:00 to 2027-01-25 01:00, so the recovery-point alarm will fire then; set at least 168, or leave it unset for 192 (BackupInterval + that wait)',
      },
    ]);
    expect(warningsOf(equal)).toEqual([]);
  });

  // Mutation gap 9: the objective warning named a fall-back change as a skipped run, and missed a change less
  // than an hour before the run ending the wait.
  it('says the clocks go back, not that a run is skipped, where the fall-back change makes the longest wait', () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-01-15T12:00:00Z'));
    // Act: 01:30 comes twice on 2027-11-07 and runs at its first, 25 hours before the next day's
    const config = parseConfig({
      Source: {
        ...SOURCE,
        BackupSchedule: '30 1 * * ? *',
        ScheduleTimezone: 'America/New_York',
        RecoveryPointObjectiveHours: 24,
      },
    });
    // Assess
    expect(warningsOf(config)).toEqual([
      {
        parameter: 'Source.RecoveryPointObjectiveHours',
        value: 24,
        message:
          'is 24 hours, shorter than the longest wait between two runs of BackupSchedule (30 1 * * ? *) in America/New_York: 25 hours, from 2027-11-07 01:30 to 2027-11-08 01:30 (the clocks go back on 2027-11-07), so the recovery-point alarm will fire then; set at least 25, or leave it unset for 49 (BackupInterval + that wait)',
      },
    ]);
  });

  it('names a clock change that comes less than an hour before the run ending the wait', () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-01-15T12:00:00Z'));
    // Act: Lord Howe Island goes back half an hour at 02:00 on 2027-04-04; from 02:45 the day before to
    // 02:15 after the change is 24 hours, the change 45 minutes before its end
    const config = parseConfig({
      Source: {
        ...SOURCE,
        BackupInterval: 12,
        BackupSchedule: '15,45 2 * * ? *',
        ScheduleTimezone: 'Australia/Lord_Howe',
        RecoveryPointObjectiveHours: 12,
      },
    });
    // Assess
    expect(warningsOf(config)).toEqual([
      {
        parameter: 'Source.RecoveryPointObjectiveHours',
        value: 12,
        message:
          'is 12 hours, shorter than the longest wait between two runs of BackupSchedule (15,45 2 * * ? *) in Australia/Lord_Howe: 24 hours, from 2027-04-03 02:45 to 2027-04-04 02:15 (the clocks go back on 2027-04-04), so the recovery-point alarm will fire then; set at least 24, or leave it unset for 36 (BackupInterval + that wait)',
      },
    ]);
  });

  it('keeps twice the interval where runs come as often as the interval, in UTC', () => {
    // Act
    const config = parseConfig({ Source: { ...SOURCE, BackupSchedule: '0 1 * * ? *' } });
    // Assess
    expect(recoveryPointObjectiveHours(config.Source!)).toBe(48);
  });
});
