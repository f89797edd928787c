// Destinations RDS cannot reach: another partition (aws, aws-cn, aws-us-gov) anywhere, and any copy across
// regions to or from China (Beijing) or China (Ningxia), which Aurora does not offer even between the two.
// Each refused where it is written, with the reason; sharing in place in a China region stays possible.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/core/model/errors.js';

function issues(input: unknown): { parameter: string; value?: unknown; message: string }[] {
  try {
    parseConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  return [];
}

const ACCOUNT = '111122223333';
const CHINA = 'Aurora copies no DB cluster snapshot to or from';

/** The three places a copy's two regions are written, each with the parameter a refusal names. */
const PLACES = [
  [
    'Source.DestinationRegion',
    (from: string, to: string) => ({
      Source: { Region: from, ClusterNamePattern: 'x', DestinationRegion: to },
    }),
  ],
  [
    'Source.Destinations[0].Region',
    (from: string, to: string) => ({
      Source: { Region: from, ClusterNamePattern: 'x', Destinations: [{ Region: to }] },
    }),
  ],
  [
    'Destination.SourceRegion',
    (from: string, to: string) => ({ Destination: { Region: to, SnapshotPattern: 'x', SourceRegion: from } }),
  ],
] as const;

describe('partitions', () => {
  const pairs = [
    ['us-east-1', 'cn-north-1', 'aws', 'aws-cn'],
    ['cn-northwest-1', 'eu-west-1', 'aws-cn', 'aws'],
    ['us-east-1', 'us-gov-west-1', 'aws', 'aws-us-gov'],
    ['us-gov-east-1', 'us-west-2', 'aws-us-gov', 'aws'],
    ['cn-north-1', 'us-gov-west-1', 'aws-cn', 'aws-us-gov'],
    ['us-gov-east-1', 'cn-northwest-1', 'aws-us-gov', 'aws-cn'],
  ] as const;

  it.each(PLACES.flatMap(([parameter, config]) => pairs.map((p) => [parameter, ...p, config] as const)))(
    '%s: a copy from %s to %s (another partition) is refused, naming both partitions',
    (parameter, from, to, fromPartition, toPartition, config) => {
      // Act
      const [issue, ...rest] = issues(config(from, to));

      // Assess
      expect(rest).toEqual([]);
      expect(issue?.parameter).toBe(parameter);
      expect(issue?.message).toContain('RDS copies snapshots only within a partition');
      expect(issue?.message).toContain(`partition ${fromPartition}`);
      expect(issue?.message).toContain(`partition ${toPartition}`);
    },
  );

  it.each([
    [...PLACES[0], 'cn-north-1', 'Source.Region (us-east-1, partition aws), not partition aws-cn'],
    [...PLACES[1], 'cn-north-1', 'Source.Region (us-east-1, partition aws), not partition aws-cn'],
    [...PLACES[2], 'us-east-1', 'Destination.Region (cn-north-1, partition aws-cn), not partition aws'],
  ] as const)(
    '%s: a copy from us-east-1 to cn-north-1 is refused naming the region it is compared with',
    (parameter, config, value, partitions) => {
      // Act
      const found = issues(config('us-east-1', 'cn-north-1'));

      // Assess
      expect(found).toEqual([
        {
          parameter,
          value,
          message: `must be a region of the same partition as ${partitions}: RDS copies snapshots only within a partition`,
        },
      ]);
    },
  );

  it.each(PLACES)(
    '%s: GovCloud (US-East) and GovCloud (US-West) copy to each other',
    (_parameter, config) => {
      // Act / Assess
      expect(issues(config('us-gov-east-1', 'us-gov-west-1'))).toEqual([]);
      expect(issues(config('us-gov-west-1', 'us-gov-east-1'))).toEqual([]);
    },
  );
});

describe('China regions', () => {
  it.each(
    PLACES.flatMap(([parameter, config]) =>
      [
        ['cn-north-1', 'cn-northwest-1'],
        ['cn-northwest-1', 'cn-north-1'],
      ].map(([from, to]) => [parameter, from as string, to as string, config] as const),
    ),
  )('%s: a copy from %s to %s is refused with the reason', (parameter, from, to, config) => {
    // Act
    const [issue, ...rest] = issues(config(from, to));

    // Assess
    expect(rest).toEqual([]);
    expect(issue?.parameter).toBe(parameter);
    expect(issue?.message).toContain(CHINA);
    expect(issue?.message).toContain('China (Beijing) cn-north-1');
    expect(issue?.message).toContain('China (Ningxia) cn-northwest-1');
    // both ends named, the source first, joined by "and"
    const names = {
      'cn-north-1': 'China (Beijing) cn-north-1',
      'cn-northwest-1': 'China (Ningxia) cn-northwest-1',
    };
    expect(issue?.message).toContain(
      `${CHINA} ${names[from as keyof typeof names]} and ${names[to as keyof typeof names]} across regions`,
    );
  });

  it('says what works instead: sharing in place, which is accepted in either China region', () => {
    // Act
    const refused = issues({
      Source: { Region: 'cn-north-1', ClusterNamePattern: 'x', DestinationRegion: 'cn-northwest-1' },
    });
    const inPlace = parseConfig({
      Source: { Region: 'cn-north-1', ClusterNamePattern: 'x', DestinationAccount: ACCOUNT },
    });
    const listed = parseConfig({
      Source: {
        Region: 'cn-northwest-1',
        ClusterNamePattern: 'x',
        Destinations: [{ Region: 'cn-northwest-1', Account: ACCOUNT }],
      },
    });
    const vault = parseConfig({
      Destination: {
        Region: 'cn-north-1',
        SnapshotPattern: 'x',
        SourceRegion: 'cn-north-1',
        SourceAccount: ACCOUNT,
      },
    });

    // Assess
    expect(refused[0]?.message).toContain(
      'share in place instead (DestinationAccount without DestinationRegion)',
    );
    expect(inPlace.Source?.DestinationAccount).toBe(ACCOUNT);
    expect(listed.Source?.Destinations).toEqual([{ Region: 'cn-northwest-1', Account: ACCOUNT }]);
    expect(vault.Destination?.SourceRegion).toBe('cn-north-1');
  });
});
