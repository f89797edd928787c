// Every parameter of the one schema: what it accepts (and its bounds), what it refuses, and the issue it
// reports (the parameter, the value and what is accepted), so a user's mistake is named before anything runs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { loadConfigFile, parseConfigText } from '../../src/config/load.js';
import {
  type ConfigInput,
  DEFAULTS,
  DestinationSchema,
  kmsKeyRegion,
  parseConfig,
  recoveryPointObjectiveHours,
  toConfigIssues,
} from '../../src/config/schema.js';
import { AWS_REGIONS } from '../../src/core/copies/regions.js';
import { ConfigError } from '../../src/core/model/errors.js';
import { TAG } from '../../src/core/model/tags.js';
import { configIssues as issues } from '../support/config-issues.js';
import { rejection } from '../support/rejection.js';

const SOURCE = { Region: 'us-east-1', ClusterNamePattern: 'prod' };
const DESTINATION = { Region: 'us-west-2', SnapshotPattern: 'prod' };
const KEY_ID = '0b3a2c5e-1111-2222-3333-444455556666';
const keyArn = (region: string) => `arn:aws:kms:${region}:111122223333:key/${KEY_ID}`;

const source = (fields: Record<string, unknown>) => parseConfig({ Source: { ...SOURCE, ...fields } }).Source!;
const sourceIssues = (fields: Record<string, unknown>) => issues({ Source: { ...SOURCE, ...fields } });
const destination = (fields: Record<string, unknown>) =>
  parseConfig({ Destination: { ...DESTINATION, ...fields } }).Destination!;
const destinationIssues = (fields: Record<string, unknown>) =>
  issues({ Destination: { ...DESTINATION, ...fields } });

describe('defaults', () => {
  it('fills every optional Source parameter with its written-down default', () => {
    // Act
    const parsed = source({});

    // Assess
    expect(parsed).toEqual({
      ...SOURCE,
      BackupInterval: 24,
      BackupSchedule: '0 1 * * ? *',
      RetentionDays: 7,
      DeleteOldSnapshots: true,
      ShareSnapshots: false,
      LogLevel: 'ERROR',
      MaxDeletesPerPass: 20,
      MaxWaitMinutes: 720,
      SnapshotEvents: true,
      ScheduleTimezone: 'UTC',
      KeepLast: 0,
      KeepDaily: 0,
      KeepWeekly: 0,
      KeepMonthly: 0,
      KeepYearly: 0,
    });
    expect(DEFAULTS).toMatchObject({ BackupInterval: 24, RetentionDays: 7, MaxDeletesPerPass: 20 });
  });

  it('fills the Destination defaults, with an hourly schedule', () => {
    // Act
    const parsed = destination({});

    // Assess
    expect(parsed).toEqual({
      ...DESTINATION,
      RetentionDays: 7,
      DeleteOldSnapshots: true,
      Schedule: '0 * * * ? *',
      LogLevel: 'ERROR',
      MaxDeletesPerPass: 20,
      MaxWaitMinutes: 720,
      ScheduleTimezone: 'UTC',
      KeepLast: 0,
      KeepDaily: 0,
      KeepWeekly: 0,
      KeepMonthly: 0,
      KeepYearly: 0,
    });
  });
});

describe('booleans (DeleteOldSnapshots, ShareSnapshots)', () => {
  it('reads true and false, and TRUE/FALSE in any case with spaces around', () => {
    // Act / Assess
    expect(source({ DeleteOldSnapshots: false }).DeleteOldSnapshots).toBe(false);
    expect(source({ DeleteOldSnapshots: true }).DeleteOldSnapshots).toBe(true);
    expect(source({ DeleteOldSnapshots: ' false ' }).DeleteOldSnapshots).toBe(false);
    expect(source({ DeleteOldSnapshots: 'True' }).DeleteOldSnapshots).toBe(true);
    expect(destination({ DeleteOldSnapshots: 'FALSE' }).DeleteOldSnapshots).toBe(false);
  });

  it('refuses anything else, saying TRUE or FALSE, or naming the wrong type', () => {
    // Act / Assess
    expect(sourceIssues({ DeleteOldSnapshots: 'yes' })).toEqual([
      { parameter: 'Source.DeleteOldSnapshots', value: 'yes', message: 'must be TRUE or FALSE' },
    ]);
    expect(sourceIssues({ ShareSnapshots: 1 })).toEqual([
      { parameter: 'Source.ShareSnapshots', value: 1, message: 'has the wrong type (a number)' },
    ]);
  });
});

describe('whole numbers', () => {
  it.each([
    ['BackupInterval', 1, 8760, 'hours'],
    ['RetentionDays', 1, 36500, 'days'],
    ['MaxDeletesPerPass', 1, 1000, 'snapshots'],
    ['MaxWaitMinutes', 5, 10080, 'minutes'],
  ])('Source.%s accepts %i to %i %s and nothing outside', (name, min, max, unit) => {
    // Prepare
    const message = `must be a whole number of ${unit} from ${min} to ${max}`;

    // Act / Assess
    expect(source({ [name]: min })[name as 'RetentionDays']).toBe(min);
    expect(source({ [name]: max })[name as 'RetentionDays']).toBe(max);
    expect(source({ [name]: ` ${max} ` })[name as 'RetentionDays']).toBe(max);
    for (const bad of [
      min - 1,
      max + 1,
      min + 0.5,
      `${min}.5`,
      `${min}x`,
      `x${min}`,
      '',
      ' ',
      '0x10',
      '1e1',
    ]) {
      expect(sourceIssues({ [name]: bad })).toEqual([{ parameter: `Source.${name}`, value: bad, message }]);
    }
  });

  it.each([
    ['RetentionDays', 1, 36500, 'days'],
    ['MaxDeletesPerPass', 1, 1000, 'snapshots'],
    ['MaxWaitMinutes', 5, 10080, 'minutes'],
  ])('Destination.%s accepts %i to %i %s and nothing outside', (name, min, max, unit) => {
    // Act / Assess
    expect(destination({ [name]: String(min) })[name as 'RetentionDays']).toBe(min);
    expect(destination({ [name]: max })[name as 'RetentionDays']).toBe(max);
    expect(destinationIssues({ [name]: max + 1 })).toEqual([
      {
        parameter: `Destination.${name}`,
        value: max + 1,
        message: `must be a whole number of ${unit} from ${min} to ${max}`,
      },
    ]);
  });
});

describe('regions', () => {
  it('accepts every region the tool knows and refuses others, listing the accepted names', () => {
    // Prepare
    const message = `must be an AWS region name such as us-east-1 (one of ${AWS_REGIONS.join(', ')})`;

    // Act / Assess
    expect(source({ Region: 'eu-west-1' }).Region).toBe('eu-west-1');
    expect(sourceIssues({ Region: 'us-east-9' })).toEqual([
      { parameter: 'Source.Region', value: 'us-east-9', message },
    ]);
    expect(destinationIssues({ SourceRegion: 'mars-1' })).toEqual([
      { parameter: 'Destination.SourceRegion', value: 'mars-1', message },
    ]);
  });
});

describe('account ids', () => {
  it('accepts 12 digits as a string or a number and keeps leading zeros of a string', () => {
    // Act / Assess
    expect(source({ DestinationAccount: 123456789012 }).DestinationAccount).toBe('123456789012');
    expect(destination({ SourceAccount: '012345678901' }).SourceAccount).toBe('012345678901');
  });

  it.each(['1234', '0123456789012', '12345678901a', ' 123456789012', '123456789012\n'])(
    'refuses %j, saying how to write it in YAML',
    (bad) => {
      // Act / Assess
      expect(sourceIssues({ DestinationAccount: bad })).toEqual([
        {
          parameter: 'Source.DestinationAccount',
          value: bad,
          message: 'must be a 12-digit AWS account id (quote it in YAML: "012345678901")',
        },
      ]);
    },
  );
});

describe('organization ids', () => {
  it('accepts o- and 10 to 32 lowercase letters or digits', () => {
    // Act / Assess
    expect(destination({ SourceOrganizationId: 'o-a1b2c3d4e5' }).SourceOrganizationId).toBe('o-a1b2c3d4e5');
    expect(destination({ SourceOrganizationId: `o-${'a'.repeat(32)}` }).SourceOrganizationId).toBe(
      `o-${'a'.repeat(32)}`,
    );
  });

  it.each([
    'o-a1b2c3d4',
    `o-${'a'.repeat(33)}`,
    'o-A1B2C3D4E5',
    'xo-a1b2c3d4e5',
    'o-a1b2c3d4e5 ',
    'o-a1b2c3d4e5-x',
  ])('refuses %j, saying what an Organizations id is', (bad) => {
    // Act / Assess
    expect(destinationIssues({ SourceOrganizationId: bad })).toEqual([
      {
        parameter: 'Destination.SourceOrganizationId',
        value: bad,
        message:
          'must be an AWS Organizations id: o- and 10 to 32 lowercase letters or digits, such as o-a1b2c3d4e5',
      },
    ]);
  });
});

describe('cluster and snapshot patterns', () => {
  it('accepts ALL_CLUSTERS and regular expressions of identifier and regex characters', () => {
    // Act / Assess
    expect(source({ ClusterNamePattern: 'ALL_CLUSTERS' }).ClusterNamePattern).toBe('ALL_CLUSTERS');
    expect(source({ ClusterNamePattern: '^(Prod|dev)-[a-z]{2,3}\\d*.?\\w+$' }).ClusterNamePattern).toBe(
      '^(Prod|dev)-[a-z]{2,3}\\d*.?\\w+$',
    );
    expect(source({ ClusterNamePattern: 'a'.repeat(255) }).ClusterNamePattern).toHaveLength(255);
    expect(destination({ SnapshotPattern: 'a,b' }).SnapshotPattern).toBe('a,b');
  });

  it('refuses an empty pattern and one over 255 characters', () => {
    // Act / Assess
    expect(sourceIssues({ ClusterNamePattern: '' })).toContainEqual({
      parameter: 'Source.ClusterNamePattern',
      value: '',
      message: 'must not be empty',
    });
    expect(sourceIssues({ ClusterNamePattern: 'a'.repeat(256) })).toEqual([
      {
        parameter: 'Source.ClusterNamePattern',
        value: 'a'.repeat(256),
        message: 'must be at most 255 characters',
      },
    ]);
  });

  it.each(['prod db', "prod'", 'prod;x', 'a_b', '%', 'ALL_CLUSTERS2'])(
    'refuses %j, naming the characters a pattern may hold',
    (bad) => {
      // Act / Assess
      expect(destinationIssues({ SnapshotPattern: bad })).toEqual([
        {
          parameter: 'Destination.SnapshotPattern',
          value: bad,
          message:
            'must be ALL_CLUSTERS or a regular expression of letters, digits, hyphens and regex characters (^$.*+?()[]{}|\\,)',
        },
      ]);
    },
  );

  it('refuses a pattern that is not a regular expression, with the reason', () => {
    // Act
    const [issue, ...rest] = sourceIssues({ ClusterNamePattern: '(prod' });

    // Assess
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ parameter: 'Source.ClusterNamePattern', value: '(prod' });
    expect(issue?.message).toMatch(/^is not a valid regular expression: .*\(prod.*/);
  });
});

describe('schedules', () => {
  it('refuses a cron that is not EventBridge 6-field, with an example and the reason', () => {
    // Act
    const [issue, ...rest] = sourceIssues({ BackupSchedule: '0 1 * * *' });
    const [other] = destinationIssues({ Schedule: '0 25 * * ? *' });

    // Assess
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ parameter: 'Source.BackupSchedule', value: '0 1 * * *' });
    expect(issue?.message).toMatch(
      /^must be a 6-field EventBridge cron expression such as "0 0,8,16 \* \* \? \*": ./,
    );
    expect(other?.parameter).toBe('Destination.Schedule');
    expect(source({ BackupSchedule: '0 0,8,16 * * ? *' }).BackupSchedule).toBe('0 0,8,16 * * ? *');
  });
});

describe('KMS keys', () => {
  it.each([
    keyArn('us-west-2'),
    'arn:aws:kms:us-west-2:111122223333:key/abc-123',
    'arn:aws:kms:us-west-2:111122223333:alias/dr/copies_1',
    KEY_ID,
    `mrk-${'0123456789abcdef'.repeat(2)}`,
    'alias/dr-copies',
  ])('accepts %s', (key) => {
    // Act / Assess
    expect(destination({ KmsKeyDestination: key }).KmsKeyDestination).toBe(key);
  });

  it.each([
    'not a key',
    'arn:aws:kms:us-west-2:1111:key/abc',
    'arn:aws:kms:us-west-2:111122223333:key/abc def',
    `x${KEY_ID}`,
    `${KEY_ID}x`,
    'mrk-0123',
    'alias/',
    'prefix-alias/x',
    KEY_ID.toUpperCase(),
  ])('refuses %j', (key) => {
    // Act / Assess
    expect(destinationIssues({ KmsKeyDestination: key })).toEqual([
      {
        parameter: 'Destination.KmsKeyDestination',
        value: key,
        message: 'must be a KMS key ARN, key id or alias (alias/name)',
      },
    ]);
  });

  it('reads the region of a key ARN, and none from a key id or alias', () => {
    // Act / Assess
    expect(kmsKeyRegion(keyArn('eu-west-1'))).toBe('eu-west-1');
    expect(kmsKeyRegion('arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/abc-123')).toBe('us-gov-west-1');
    expect(kmsKeyRegion(KEY_ID)).toBeUndefined();
    expect(kmsKeyRegion('alias/x')).toBeUndefined();
  });
});

describe('Tags', () => {
  it('accepts keys and values of letters, digits, spaces and _.:/=+-@ up to 128 and 256 characters', () => {
    // Prepare
    const tags = {
      'cost center': 'ops/db_1:a=b+c-d@e.f',
      [`k${'x'.repeat(127)}`]: 'v'.repeat(256),
      Ünïcode: '',
    };

    // Act / Assess
    expect(source({ Tags: tags }).Tags).toEqual(tags);
  });

  it.each([
    ['', 'v'],
    ['x'.repeat(129), 'v'],
    ['aws:cost', 'v'],
    ['AWS:cost', 'v'],
    ['key#1', 'v'],
  ])('refuses the key %j naming it, and what a key may be', (key, value) => {
    // Act / Assess
    expect(sourceIssues({ Tags: { [key]: value } })).toEqual([
      {
        parameter: `Source.Tags.${key}`,
        value,
        message: 'tag keys are 1-128 letters, digits, spaces or _.:/=+-@ and must not start with aws:',
      },
    ]);
  });

  it.each([TAG.CreatedBy, TAG.CopiedBy.toUpperCase(), 'snapshottool:mine', 'SnapshotTool:Other'])(
    'refuses the tool’s own tag key %j, listing them',
    (key) => {
      // Act / Assess
      expect(sourceIssues({ Tags: { [key]: 'x' } })).toEqual([
        {
          parameter: `Source.Tags.${key}`,
          value: 'x',
          message: `is a tag the tool sets and reads itself (${Object.values(TAG).join(', ')}): choose another key`,
        },
      ]);
    },
  );

  it('accepts a key that only contains a tool tag name or aws:, a one-letter key, and refuses bad values', () => {
    // Act / Assess
    expect(
      source({ Tags: { 'team-snapshottool:x': 'a', MyCreatedBy: 'b', 'my-aws:x': 'c', k: 'd' } }).Tags,
    ).toEqual({
      'team-snapshottool:x': 'a',
      MyCreatedBy: 'b',
      'my-aws:x': 'c',
      k: 'd',
    });
    for (const value of ['v'.repeat(257), 'a#b']) {
      expect(sourceIssues({ Tags: { team: value } })).toEqual([
        {
          parameter: 'Source.Tags.team',
          value,
          message: 'tag values are at most 256 letters, digits, spaces or _.:/=+-@',
        },
      ]);
    }
  });
});

describe('LogLevel', () => {
  it('accepts the five levels in any case and refuses others, listing them', () => {
    // Act / Assess
    expect(source({ LogLevel: 'debug' }).LogLevel).toBe('DEBUG');
    expect(destination({ LogLevel: 'Critical' }).LogLevel).toBe('CRITICAL');
    expect(sourceIssues({ LogLevel: 'verbose' })).toEqual([
      {
        parameter: 'Source.LogLevel',
        value: 'verbose',
        message: 'must be one of DEBUG, INFO, WARN, ERROR, CRITICAL',
      },
    ]);
  });
});

describe('rules across parameters', () => {
  it('needs a Source or a Destination block', () => {
    // Act / Assess
    expect(issues({})).toEqual([
      { parameter: 'Source', value: undefined, message: 'a Source or a Destination block is required' },
    ]);
  });

  it('needs DestinationRegion or DestinationAccount when ShareSnapshots is TRUE', () => {
    // Act / Assess
    expect(sourceIssues({ ShareSnapshots: 'TRUE' })).toEqual([
      {
        parameter: 'Source.DestinationRegion',
        value: undefined,
        message: 'is required when ShareSnapshots is TRUE (or set DestinationAccount)',
      },
    ]);
    expect(source({ ShareSnapshots: 'TRUE', DestinationAccount: '111122223333' }).ShareSnapshots).toBe(true);
    expect(source({ ShareSnapshots: 'TRUE', DestinationRegion: 'us-west-2' }).ShareSnapshots).toBe(true);
  });

  it('refuses DestinationRegion equal to Region unless DestinationAccount is set', () => {
    // Act / Assess
    expect(sourceIssues({ DestinationRegion: 'us-east-1' })).toEqual([
      {
        parameter: 'Source.DestinationRegion',
        value: 'us-east-1',
        message: 'must differ from Source.Region (us-east-1) unless DestinationAccount is set',
      },
    ]);
    expect(
      source({ DestinationRegion: 'us-east-1', DestinationAccount: '111122223333' }).DestinationRegion,
    ).toBe('us-east-1');
  });

  it('wants KmsKeyDestination in DestinationRegion (or Region when only DestinationAccount is set), KmsKeySource in Region', () => {
    // Act / Assess
    expect(sourceIssues({ DestinationRegion: 'us-west-2', KmsKeyDestination: keyArn('us-east-1') })).toEqual([
      {
        parameter: 'Source.KmsKeyDestination',
        value: keyArn('us-east-1'),
        message: 'must be a key in DestinationRegion (us-west-2), not us-east-1',
      },
    ]);
    // Copies shared with DestinationAccount without a DestinationRegion are made in Region itself.
    expect(
      sourceIssues({ DestinationAccount: '222222222222', KmsKeyDestination: keyArn('us-west-2') }),
    ).toEqual([
      {
        parameter: 'Source.KmsKeyDestination',
        value: keyArn('us-west-2'),
        message:
          'must be a key in Source.Region (us-east-1), where the copies shared with DestinationAccount are made without a DestinationRegion, not us-west-2',
      },
    ]);
    // Without DestinationRegion or DestinationAccount there is no region the key must be in (and no region
    // the user never set is named).
    expect(source({ KmsKeyDestination: keyArn('us-west-2') }).KmsKeyDestination).toBe(keyArn('us-west-2'));
    expect(sourceIssues({ KmsKeySource: keyArn('us-west-2') })).toEqual([
      {
        parameter: 'Source.KmsKeySource',
        value: keyArn('us-west-2'),
        message: 'must be a key in Source.Region (us-east-1), not us-west-2',
      },
    ]);
    const good = source({
      DestinationRegion: 'us-west-2',
      KmsKeyDestination: keyArn('us-west-2'),
      KmsKeySource: keyArn('us-east-1'),
    });
    expect(good.KmsKeySource).toBe(keyArn('us-east-1'));
    expect(source({ KmsKeyDestination: 'alias/any', KmsKeySource: KEY_ID }).KmsKeySource).toBe(KEY_ID);
  });

  it('wants Destination.KmsKeyDestination in Destination.Region; an alias or id has no region to check', () => {
    // Act / Assess
    expect(destinationIssues({ KmsKeyDestination: keyArn('us-east-1') })).toEqual([
      {
        parameter: 'Destination.KmsKeyDestination',
        value: keyArn('us-east-1'),
        message: 'must be a key in Destination.Region (us-west-2), not us-east-1',
      },
    ]);
    expect(destination({ KmsKeyDestination: 'alias/copies' }).KmsKeyDestination).toBe('alias/copies');
  });

  it("takes alias names for the tool's own keys (that alias in the account, in the key's region), not AWS managed ones", () => {
    // Prepare
    const managed =
      'must not name an AWS managed key (alias/aws/...): the copies are encrypted with a customer managed key, named by its key ARN or by an alias you created (alias/<name>)';
    // Act
    const named = source({
      DestinationRegion: 'us-west-2',
      KmsKeySource: 'alias/aurora-snapshot-tool',
      KmsKeyDestination: 'alias/team-a/dr_copies-2',
    });
    const listed = source({
      Destinations: [
        { Region: 'us-west-2', KmsKeyDestination: 'alias/aurora-snapshot-tool' },
        { Region: 'eu-west-1', Account: '222222222222', KmsKeyDestination: 'alias/aurora-snapshot-tool' },
      ],
    });
    // Assess
    expect([named.KmsKeySource, named.KmsKeyDestination]).toEqual([
      'alias/aurora-snapshot-tool',
      'alias/team-a/dr_copies-2',
    ]);
    expect(listed.Destinations?.map((d) => d.KmsKeyDestination)).toEqual([
      'alias/aurora-snapshot-tool',
      'alias/aurora-snapshot-tool',
    ]);
    expect(destination({ KmsKeyDestination: 'alias/vault' }).KmsKeyDestination).toBe('alias/vault');
    expect(sourceIssues({ KmsKeySource: 'alias/aws/rds' })).toEqual([
      { parameter: 'Source.KmsKeySource', value: 'alias/aws/rds', message: managed },
    ]);
    expect(
      sourceIssues({
        DestinationRegion: 'us-west-2',
        KmsKeyDestination: 'arn:aws:kms:us-west-2:123456789012:alias/aws/rds',
      }),
    ).toEqual([
      {
        parameter: 'Source.KmsKeyDestination',
        value: 'arn:aws:kms:us-west-2:123456789012:alias/aws/rds',
        message: managed,
      },
    ]);
    expect(
      sourceIssues({ Destinations: [{ Region: 'us-west-2', KmsKeyDestination: 'alias/aws/rds' }] }),
    ).toEqual([
      { parameter: 'Source.Destinations[0].KmsKeyDestination', value: 'alias/aws/rds', message: managed },
    ]);
    expect(destinationIssues({ KmsKeyDestination: 'alias/aws/rds' })).toEqual([
      { parameter: 'Destination.KmsKeyDestination', value: 'alias/aws/rds', message: managed },
    ]);
    // AWS's alias names: 1 to 250 characters after alias/, of letters, digits and / _ -.
    expect(source({ KmsKeySource: `alias/${'a'.repeat(250)}` }).KmsKeySource).toHaveLength(256);
    for (const bad of ['alias/', `alias/${'a'.repeat(251)}`, 'alias/a b', 'alias/a.b']) {
      expect(
        sourceIssues({ KmsKeySource: bad }).map((i) => [i.parameter, i.message]),
        bad,
      ).toEqual([['Source.KmsKeySource', 'must be a KMS key ARN, key id or alias (alias/name)']]);
    }
  });

  it('with both blocks: Destination.RetentionDays not below the source, Destination.Region the DR region', () => {
    // Prepare
    const both = (src: Record<string, unknown>, dst: Record<string, unknown>): ConfigInput => ({
      Source: { ...SOURCE, ShareSnapshots: 'TRUE', DestinationRegion: 'us-west-2', ...src },
      Destination: { ...DESTINATION, ...dst },
    });

    // Act / Assess
    expect(issues(both({ RetentionDays: 10 }, { RetentionDays: 9 }))).toEqual([
      {
        parameter: 'Destination.RetentionDays',
        value: 9,
        message:
          'is 9, lower than Source.RetentionDays (10): the source copies into us-west-2 each snapshot it still keeps and has no copy of there, so every copy deleted early would be copied again, pass after pass; keep at least Source.RetentionDays there, or set Destination.DeleteOldSnapshots FALSE',
      },
    ]);
    expect(parseConfig(both({ RetentionDays: 10 }, { RetentionDays: 10 })).Destination?.RetentionDays).toBe(
      10,
    );
    expect(issues(both({}, { Region: 'eu-west-1' }))).toEqual([
      {
        parameter: 'Destination.Region',
        value: 'eu-west-1',
        message: 'must equal Source.DestinationRegion (us-west-2)',
      },
    ]);
    const accountOnly = both({ DestinationRegion: undefined, DestinationAccount: '111122223333' }, {});
    expect(parseConfig(accountOnly).Destination?.Region).toBe('us-west-2');
  });

  it('fills Destination.SourceRegion from Source.Region, and keeps one that is given', () => {
    // Act
    const filled = parseConfig({ Source: SOURCE, Destination: DESTINATION });
    const given = parseConfig({ Source: SOURCE, Destination: { ...DESTINATION, SourceRegion: 'eu-west-1' } });
    const alone = parseConfig({ Destination: DESTINATION });

    // Assess
    expect(filled.Destination?.SourceRegion).toBe('us-east-1');
    expect(given.Destination?.SourceRegion).toBe('eu-west-1');
    expect(alone.Destination?.SourceRegion).toBeUndefined();
  });
});

describe('issues name the parameter, the value and what is accepted', () => {
  it('names each unknown parameter with its full path and value', () => {
    // Act / Assess
    expect(issues({ Source: { ...SOURCE, Retention: 3, backupInterval: 8 }, Extra: true })).toEqual([
      {
        parameter: 'Source.Retention',
        value: 3,
        message: 'is not a known parameter (check its spelling; names are case-sensitive)',
      },
      {
        parameter: 'Source.backupInterval',
        value: 8,
        message: 'is not a known parameter (check its spelling; names are case-sensitive)',
      },
      {
        parameter: 'Extra',
        value: true,
        message: 'is not a known parameter (check its spelling; names are case-sensitive)',
      },
    ]);
  });

  it('says a required parameter is required, and names the wrong type given', () => {
    // Act / Assess
    expect(issues({ Source: { ClusterNamePattern: 'prod' } })).toEqual([
      { parameter: 'Source.Region', value: undefined, message: 'is required' },
    ]);
    expect(issues({ Source: { ...SOURCE, Region: ['us-east-1'] } })).toEqual([
      { parameter: 'Source.Region', value: ['us-east-1'], message: 'has the wrong type (a list)' },
    ]);
    expect(issues({ Source: { ...SOURCE, BackupInterval: null } })).toEqual([
      { parameter: 'Source.BackupInterval', value: null, message: 'has the wrong type (null)' },
    ]);
    expect(issues({ Source: { ...SOURCE, DeleteOldSnapshots: { yes: 1 } } })).toEqual([
      {
        parameter: 'Source.DeleteOldSnapshots',
        value: { yes: 1 },
        message: 'has the wrong type (a mapping)',
      },
    ]);
    expect(issues({ Source: 'us-east-1' })).toEqual([
      { parameter: 'Source', value: 'us-east-1', message: 'has the wrong type (a string)' },
    ]);
  });

  it.each([
    [[], 'a list'],
    [null, 'null'],
    ['Source: x', 'a string'],
    [undefined, 'a undefined'],
  ])('names a whole document %j "configuration" and says it must be a mapping', (input, kind) => {
    // Act / Assess
    expect(issues(input)).toEqual([
      {
        parameter: 'configuration',
        value: input,
        message: `must be a mapping with a Source or a Destination block, not ${kind}`,
      },
    ]);
  });

  it('puts a prefix before each parameter (a Lambda event names its own field)', () => {
    // Prepare
    const input = { Region: 'mars-1', SnapshotPattern: 'prod', Unknown: 1 };
    const result = DestinationSchema.safeParse(input);
    if (result.success) throw new Error('expected a failure');

    // Act
    const named = toConfigIssues(result.error, input, ['event', 'Destination']);

    // Assess
    expect(named.map((i) => [i.parameter, i.value])).toEqual([
      ['event.Destination.Region', 'mars-1'],
      ['event.Destination.Unknown', 1],
    ]);
  });

  it('reads no value through a path that leaves the input', () => {
    // Prepare: zod reports an issue under a path the input does not have
    const error = new z.ZodError([
      { code: 'custom', path: ['Source', 'Region', 'deeper'], message: 'm', input: 1 },
    ]);

    // Act / Assess
    expect(toConfigIssues(error, { Source: { Region: 'x' } })).toEqual([
      { parameter: 'Source.Region.deeper', value: undefined, message: 'm' },
    ]);
    expect(toConfigIssues(error, { Source: null })[0]?.value).toBeUndefined();
    const throughString = new z.ZodError([
      { code: 'custom', path: ['Source', 'Region', 'length'], message: 'm', input: 1 },
    ]);
    expect(toConfigIssues(throughString, { Source: { Region: 'us-east-1' } })[0]?.value).toBeUndefined();
  });
});

describe('configuration files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schema-parameters-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('loads YAML with TRUE/FALSE as the schema reads them, and JSON', async () => {
    // Prepare
    const yaml = file(
      'c.yaml',
      'Source:\n  Region: us-east-1\n  ClusterNamePattern: prod\n  DeleteOldSnapshots: FALSE\n',
    );
    const json = file('c.json', JSON.stringify({ Destination: DESTINATION }));

    // Act
    const fromYaml = await loadConfigFile(yaml);
    const fromJson = await loadConfigFile(json);

    // Assess
    expect(fromYaml.Source?.DeleteOldSnapshots).toBe(false);
    expect(fromJson.Destination?.Region).toBe('us-west-2');
  });

  it('names --config and the path of a missing or unreadable file', async () => {
    // Act
    const missing = await rejection(loadConfigFile(join(dir, 'nope.yaml')));
    const directory = await rejection(loadConfigFile(dir));

    // Assess
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as ConfigError).issues).toEqual([
      { parameter: '--config', value: join(dir, 'nope.yaml'), message: 'file not found' },
    ]);
    expect((directory as ConfigError).issues).toEqual([
      { parameter: '--config', value: dir, message: 'cannot be read (EISDIR)' },
    ]);
  });

  it('refuses text that is not YAML, or repeats a key, with the first line of the reason', () => {
    // Act
    const bad = (() => {
      try {
        parseConfigText('Source: [unclosed', 'event');
      } catch (error) {
        return error as ConfigError;
      }
    })();
    const repeated = (() => {
      try {
        parseConfigText('Source: 1\nSource: 2\n');
      } catch (error) {
        return error as ConfigError;
      }
    })();

    // Assess
    expect(bad).toBeInstanceOf(ConfigError);
    expect(bad?.issues[0]?.parameter).toBe('event');
    // The problem is the text, not one value: no "(got ...)" in the message.
    expect(bad?.issues[0]).not.toHaveProperty('value');
    expect(bad?.issues[0]?.message).toMatch(/^is not valid YAML or JSON: \S/);
    expect(bad?.issues[0]?.message).not.toContain('\n');
    expect(repeated?.issues[0]?.parameter).toBe('--config');
    expect(repeated?.issues[0]?.message).toMatch(/^is not valid YAML or JSON: .*(unique|Map keys)/);
  });
});

describe('cluster selection, time zone and recovery point objective', () => {
  it('reads ClusterTags as a mapping or as key=value text, * for any value', () => {
    // Act / Assess
    expect(source({ ClusterTags: { team: 'db', env: '*' } }).ClusterTags).toEqual({ team: 'db', env: '*' });
    expect(source({ ClusterTags: ' team = db , env=* ' }).ClusterTags).toEqual({ team: 'db', env: '*' });
    expect(source({ ClusterTags: 'k=a=b' }).ClusterTags).toEqual({ k: 'a=b' });
    expect(source({ ClusterTags: '  ' }).ClusterTags).toEqual({});
  });

  it.each(['team', '=db', 'team=db,env'])('refuses ClusterTags text %j that is not key=value', (text) => {
    // Prepare
    const pair = text.split(',').find((p) => p.indexOf('=') <= 0);

    // Act / Assess
    expect(sourceIssues({ ClusterTags: text })).toEqual([
      {
        parameter: 'Source.ClusterTags',
        value: text,
        message: `"${pair}" is not key=value: write ClusterTags as a mapping, or as text such as team=db,env=*`,
      },
    ]);
  });

  it.each([['aws:x'], ['RDS:x'], [''], ['x'.repeat(129)], ['a#b']])(
    'refuses the ClusterTags key %j',
    (key) => {
      // Act / Assess
      expect(sourceIssues({ ClusterTags: { [key]: 'v' } })).toEqual([
        {
          parameter: `Source.ClusterTags.${key}`,
          value: 'v',
          message:
            'tag keys RDS accepts are 1-128 letters, digits, spaces or _.:/=+-@ and do not start with aws: or rds:',
        },
      ]);
    },
  );

  it('accepts ClusterTags keys of 1 and 128 characters and values up to 256, and refuses other values', () => {
    // Prepare
    const good = { k: 'v'.repeat(256), [`k${'x'.repeat(127)}`]: '', 'my-rds:x': '*' };

    // Act / Assess
    expect(source({ ClusterTags: good }).ClusterTags).toEqual(good);
    for (const value of ['v'.repeat(257), 'a#b', '**', 'a*']) {
      expect(sourceIssues({ ClusterTags: { team: value } })).toEqual([
        {
          parameter: 'Source.ClusterTags.team',
          value,
          message:
            'tag values RDS accepts are at most 256 letters, digits, spaces or _.:/=+-@ (or * for any value)',
        },
      ]);
    }
  });

  it('takes ExcludeClusterPattern as a pattern, but not ALL_CLUSTERS', () => {
    // Act / Assess
    expect(source({ ExcludeClusterPattern: '-test$' }).ExcludeClusterPattern).toBe('-test$');
    expect(sourceIssues({ ExcludeClusterPattern: 'ALL_CLUSTERS' })).toEqual([
      {
        parameter: 'Source.ExcludeClusterPattern',
        value: 'ALL_CLUSTERS',
        message: 'must be a regular expression; ALL_CLUSTERS would leave every cluster out',
      },
    ]);
  });

  it('takes ScheduleTimezone as an IANA name', () => {
    // Act / Assess
    expect(source({ ScheduleTimezone: 'Europe/Berlin' }).ScheduleTimezone).toBe('Europe/Berlin');
    expect(destinationIssues({ ScheduleTimezone: 'Mars/Olympus' })).toEqual([
      {
        parameter: 'Destination.ScheduleTimezone',
        value: 'Mars/Olympus',
        message: 'must be an IANA time zone name such as UTC, Europe/Berlin or America/New_York',
      },
    ]);
  });

  it('wants RecoveryPointObjectiveHours not below the interval, and fills the destination one from the source', () => {
    // Act
    // Every 8 hours: the runs come as often as the interval (a daily schedule would wait 24 hours)
    const both = parseConfig({
      Source: { ...SOURCE, BackupInterval: 8, BackupSchedule: '0 */8 * * ? *' },
      Destination: DESTINATION,
    });
    const given = parseConfig({
      Source: { ...SOURCE, BackupInterval: 8 },
      Destination: { ...DESTINATION, RecoveryPointObjectiveHours: 10 },
    });

    // Assess
    expect(source({ BackupInterval: 8, RecoveryPointObjectiveHours: 8 }).RecoveryPointObjectiveHours).toBe(8);
    expect(sourceIssues({ BackupInterval: 8, RecoveryPointObjectiveHours: 7 })).toEqual([
      {
        parameter: 'Source.RecoveryPointObjectiveHours',
        value: 7,
        message: 'must not be below BackupInterval (8 hours): a snapshot is taken at best once per interval',
      },
    ]);
    expect(
      issues({
        Source: { ...SOURCE, BackupInterval: 8 },
        Destination: { ...DESTINATION, RecoveryPointObjectiveHours: 7 },
      }),
    ).toEqual([
      {
        parameter: 'Destination.RecoveryPointObjectiveHours',
        value: 7,
        message:
          'must not be below Source.BackupInterval (8 hours): a copy arrives at best once per interval',
      },
    ]);
    expect(both.Destination?.RecoveryPointObjectiveHours).toBe(16);
    expect(given.Destination?.RecoveryPointObjectiveHours).toBe(10);
    expect(destination({}).RecoveryPointObjectiveHours).toBeUndefined();
  });

  it('computes a block’s recovery point objective: its own, else twice the interval it knows', () => {
    // Act / Assess
    expect(recoveryPointObjectiveHours({ RecoveryPointObjectiveHours: 5, BackupInterval: 8 })).toBe(5);
    expect(recoveryPointObjectiveHours({ BackupInterval: 8 })).toBe(16);
    expect(recoveryPointObjectiveHours({}, 6)).toBe(12);
    expect(recoveryPointObjectiveHours({})).toBe(48);
  });
});
