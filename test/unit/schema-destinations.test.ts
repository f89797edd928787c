// Source.Destinations: the list form of DestinationRegion / DestinationAccount / KmsKeyDestination, its refusals and the normalizer.
import { describe, expect, it } from 'vitest';
import { parseConfig, type SourceConfig } from '../../src/config/schema.js';
import { destinationId, destinationParameter, destinationsOf } from '../../src/core/copies/destinations.js';
import type { ConfigIssue } from '../../src/core/model/errors.js';
import { configIssues } from '../support/config-issues.js';

const SRC = 'us-east-1';
const KEY_W2 = 'arn:aws:kms:us-west-2:111122223333:key/0b3a2c5e-1111-2222-3333-444455556666';
const KEY_EU = 'arn:aws:kms:eu-west-1:111122223333:alias/dr';
const base = { Region: SRC, ClusterNamePattern: 'prod-db', ShareSnapshots: 'TRUE' };

const issues = (source: Record<string, unknown>, more: Record<string, unknown> = {}): ConfigIssue[] =>
  configIssues({ Source: { ...base, ...source }, ...more });

const parse = (source: Record<string, unknown>): SourceConfig =>
  parseConfig({ Source: { ...base, ...source } }).Source as SourceConfig;

describe('Source.Destinations', () => {
  it('accepts two regions and a share with another account, and lists them with their ids', () => {
    // Act
    const source = parse({
      Destinations: [
        { Region: 'us-west-2', KmsKeyDestination: KEY_W2 },
        { Region: 'eu-west-1', Account: '222233334444', KmsKeyDestination: KEY_EU },
        { Region: SRC, Account: 222233334444 },
      ],
      ReleaseStuckDestinationsAfterHours: '48',
    });
    // Assess
    expect(source.ReleaseStuckDestinationsAfterHours).toBe(48);
    expect(destinationsOf(source)).toEqual([
      {
        id: 'us-west-2',
        kind: 'copy',
        region: 'us-west-2',
        kmsKeyId: KEY_W2,
        parameter: 'Source.Destinations[0]',
      },
      {
        id: '222233334444@eu-west-1',
        kind: 'copy-share',
        region: 'eu-west-1',
        account: '222233334444',
        kmsKeyId: KEY_EU,
        parameter: 'Source.Destinations[1]',
      },
      {
        id: `222233334444@${SRC}`,
        kind: 'share',
        region: SRC,
        account: '222233334444',
        parameter: 'Source.Destinations[2]',
      },
    ]);
  });

  it.each([
    [{ DestinationRegion: 'us-west-2' }, [{ id: 'us-west-2', kind: 'copy', region: 'us-west-2' }]],
    [
      { DestinationRegion: 'us-west-2', DestinationAccount: '222233334444', KmsKeyDestination: KEY_W2 },
      [{ id: '222233334444@us-west-2', kind: 'copy-share', account: '222233334444', kmsKeyId: KEY_W2 }],
    ],
    [{ DestinationAccount: '222233334444' }, [{ id: `222233334444@${SRC}`, kind: 'share', region: SRC }]],
    [{ ShareSnapshots: 'FALSE' }, []],
  ])('reads the one-item form %j as the same list', (form, expected) => {
    expect(destinationsOf(parse(form))).toMatchObject(expected);
  });

  it('names the one-item parameters of a one-item destination', () => {
    const [target] = destinationsOf(
      parse({ DestinationAccount: '222233334444', DestinationRegion: 'us-west-2' }),
    );
    expect(target && destinationParameter(target, 'Account')).toBe('Source.DestinationAccount');
    expect(target && destinationParameter(target, 'KmsKeyDestination')).toBe('Source.KmsKeyDestination');
    expect(destinationId('eu-west-1')).toBe('eu-west-1');
  });

  it.each(['DestinationRegion', 'DestinationAccount', 'KmsKeyDestination'])(
    'refuses Destinations together with %s, naming both',
    (name) => {
      const value = {
        DestinationRegion: 'us-west-2',
        DestinationAccount: '222233334444',
        KmsKeyDestination: KEY_W2,
      }[name];
      const found = issues({ Destinations: [{ Region: 'us-west-2' }], [name]: value });
      expect(found).toHaveLength(1);
      expect(found[0]?.parameter).toBe('Source.Destinations');
      expect(found[0]?.message).toContain(`Source.${name}`);
    },
  );

  it('refuses an empty list and more than 5 items', () => {
    expect(issues({ Destinations: [] })[0]).toMatchObject({
      parameter: 'Source.Destinations',
      message: 'must list 1 to 5 destinations',
    });
    const six = ['us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1'].map(
      (Region) => ({
        Region,
      }),
    );
    expect(issues({ Destinations: six })[0]).toMatchObject({
      parameter: 'Source.Destinations',
      message: 'must list 1 to 5 destinations',
    });
  });

  it('refuses two items with the same Region and Account, naming both indexes', () => {
    const found = issues({
      Destinations: [
        { Region: 'us-west-2', Account: '222233334444' },
        { Region: 'eu-west-1' },
        { Region: 'us-west-2', Account: '222233334444' },
      ],
    });
    expect(found).toEqual([
      expect.objectContaining({
        parameter: 'Source.Destinations[2]',
        message: expect.stringContaining(
          'repeats Source.Destinations[0] (Region us-west-2, Account 222233334444)',
        ),
      }),
    ]);
    // The same region with another account (or none) is another destination.
    expect(() =>
      parse({
        Destinations: [
          { Region: 'us-west-2', Account: '222233334444' },
          { Region: 'us-west-2', Account: '333344445555' },
          { Region: 'us-west-2' },
        ],
      }),
    ).not.toThrow();
  });

  it.each([
    [{ Region: 'us-west-2', Extra: 1 }, 'Source.Destinations[0].Extra', 'is not a known parameter'],
    [{ Region: 'mars-1' }, 'Source.Destinations[0].Region', 'must be an AWS region name'],
    [{}, 'Source.Destinations[0].Region', 'is required'],
    [{ Region: 'us-west-2', Account: '1234' }, 'Source.Destinations[0].Account', 'must be a 12-digit'],
    [
      { Region: 'us-west-2', KmsKeyDestination: 'nokey' },
      'Source.Destinations[0].KmsKeyDestination',
      'must be a KMS key',
    ],
    [{ Region: 'cn-north-1' }, 'Source.Destinations[0].Region', 'partition aws-cn'],
    [
      { Region: SRC },
      'Source.Destinations[0].Region',
      `must differ from Source.Region (${SRC}) unless Account is set`,
    ],
    [
      { Region: 'us-west-2', KmsKeyDestination: KEY_EU },
      'Source.Destinations[0].KmsKeyDestination',
      'must be a key in Source.Destinations[0].Region (us-west-2), not eu-west-1',
    ],
  ])('refuses the item %j, naming %s', (item, parameter, message) => {
    const found = issues({ Destinations: [item] });
    expect(found).toHaveLength(1);
    expect(found[0]?.parameter).toBe(parameter);
    expect(found[0]?.message).toContain(message);
  });

  it('refuses two keys for one region (its destinations share one copy), naming the other item', () => {
    const other = KEY_W2.replace('0b3a2c5e', '99999999');
    const found = issues({
      Destinations: [
        { Region: 'us-west-2', KmsKeyDestination: KEY_W2 },
        { Region: 'us-west-2', Account: '222233334444', KmsKeyDestination: other },
      ],
    });
    expect(found).toEqual([
      expect.objectContaining({
        parameter: 'Source.Destinations[1].KmsKeyDestination',
        message: expect.stringContaining(`differs from Source.Destinations[0].KmsKeyDestination (${KEY_W2})`),
      }),
    ]);
  });

  it('refuses a Destination block in a region no destination names', () => {
    const found = issues(
      { Destinations: [{ Region: 'us-west-2' }, { Region: 'eu-west-1' }] },
      { Destination: { Region: 'eu-central-1', SnapshotPattern: 'prod-db' } },
    );
    expect(found).toEqual([
      expect.objectContaining({
        parameter: 'Destination.Region',
        message: 'must be the Region of one of Source.Destinations (us-west-2, eu-west-1)',
      }),
    ]);
    expect(() =>
      parseConfig({
        Source: { ...base, Destinations: [{ Region: 'us-west-2' }, { Region: 'eu-west-1' }] },
        Destination: { Region: 'eu-west-1', SnapshotPattern: 'prod-db' },
      }),
    ).not.toThrow();
  });

  it('takes the restore drill region from the first destination in another region', () => {
    const config = parseConfig({
      Source: { ...base, Destinations: [{ Region: SRC, Account: '222233334444' }, { Region: 'eu-west-1' }] },
      RestoreDrill: { SnapshotPattern: 'prod-db' },
    });
    expect(config.RestoreDrill?.Region).toBe('eu-west-1');
  });

  it.each([0, -1, 1.5, 'soon', 8761])('refuses ReleaseStuckDestinationsAfterHours %j', (value) => {
    expect(issues({ DestinationRegion: 'us-west-2', ReleaseStuckDestinationsAfterHours: value })).toEqual([
      expect.objectContaining({
        parameter: 'Source.ReleaseStuckDestinationsAfterHours',
        message: 'must be a whole number of hours from 1 to 8760',
      }),
    ]);
  });

  it('leaves ReleaseStuckDestinationsAfterHours off by default', () => {
    expect(parse({ DestinationRegion: 'us-west-2' }).ReleaseStuckDestinationsAfterHours).toBeUndefined();
  });
});
