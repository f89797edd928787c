// The destination slots of source-cluster.yaml: slot 1 is the original's parameters and keeps the input (and every resource) exactly as the one-destination template made them; slots 2 to 5 make the input the Destinations list the schema reads; rules refuse a slot without its region or without slot 1; the values CloudFormation accepts are the schema's.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DestinationItemSchema,
  MAX_DESTINATIONS,
  parseConfig,
  RELEASE_STUCK_HOURS_RANGE,
} from '../../src/config/schema.js';
import { destinationsOf } from '../../src/core/copies/destinations.js';
import { AWS_REGIONS } from '../../src/core/copies/regions.js';
import { ConfigError } from '../../src/core/model/errors.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';
import { BundleCode, SourceFunctions } from '../../src/infra/functions.js';
import { SourceRoles } from '../../src/infra/roles.js';
import { SourceCluster, type SourceClusterProps } from '../../src/infra/source-cluster.js';
import { synthesizeTemplates } from '../../src/infra/templates/index.js';
import { type Deployment, evaluate, resourceExists } from './support/cfn-eval.js';
import { importsFor } from './support/role-policies.js';

const { templates } = synthesizeTemplates();
const template = templates['source-cluster'];
/** The source-cluster template as it was before the slots (one destination). */
const oneDestination = parse(
  readFileSync(join(import.meta.dirname, 'support', 'one-destination', 'source-cluster.yaml'), 'utf8'),
  { version: '1.1' },
) as Record<string, unknown>;

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const key = (region: string) =>
  `arn:aws:kms:${region}:${ACCOUNT}:key/0b3a2c5e-1111-2222-3333-44445555666${region.length % 10}`;

interface ParameterDef {
  Default?: string;
  AllowedPattern?: string;
  AllowedValues?: string[];
}

function accepts(name: string, value: string): boolean {
  const def = (template.Parameters as Record<string, ParameterDef>)[name] as ParameterDef;
  if (def.AllowedValues) return def.AllowedValues.includes(value);
  return new RegExp(def.AllowedPattern as string).test(value);
}

/** The JSON the schedule starts the state machine with, for `parameters`, in `of` (the current template by default). */
function input(parameters: Record<string, string>, of: Record<string, unknown> = template) {
  const [schedule] = Object.values(of.Resources as Record<string, { Type: string; Properties: never }>)
    .filter((r) => r.Type === 'AWS::Scheduler::Schedule')
    .map((r) => r.Properties as { Target: { Input: unknown } });
  const deployment: Deployment = {
    region: REGION,
    accountId: ACCOUNT,
    parameters: { ClusterNamePattern: '^orders$', ...parameters },
    imports: importsFor('Source', ACCOUNT, REGION),
  };
  return JSON.parse(evaluate(of, schedule?.Target.Input, deployment) as string) as {
    Source: Record<string, unknown>;
  };
}

type Rules = Record<
  string,
  { RuleCondition?: unknown; Assertions: { Assert: unknown; AssertDescription: string }[] }
>;

/** The assertion descriptions CloudFormation would refuse `parameters` with, before creating anything. */
function refusals(parameters: Record<string, string>): string[] {
  const deployment: Deployment = { parameters: { ClusterNamePattern: 'x', ...parameters } };
  return Object.values(template.Rules as Rules).flatMap((rule) => {
    if (rule.RuleCondition !== undefined && !evaluate(template, rule.RuleCondition, deployment)) return [];
    return rule.Assertions.filter((a) => !evaluate(template, a.Assert, deployment)).map(
      (a) => a.AssertDescription,
    );
  });
}

describe('destination slot 1 alone: the one-destination template, unchanged for the functions', () => {
  const cases: Record<string, string>[] = [
    {},
    { ShareSnapshots: 'TRUE', DestinationRegion: 'eu-central-1', KmsKeyDestination: key('eu-central-1') },
    { ShareSnapshots: 'TRUE', DestinationAccount: '111122223333', KmsKeySource: key(REGION) },
    {
      ShareSnapshots: 'TRUE',
      DestinationRegion: 'us-west-2',
      DestinationAccount: '111122223333',
      KmsKeyDestination: key('us-west-2'),
      KmsKeySource: 'None',
    },
    { DestinationRegion: 'us-west-2', KmsKeyDestination: 'None', RecoveryPointObjectiveHours: '30' },
  ];

  it.each(cases)('hands the functions the same input as before the slots: %j', (parameters) => {
    // Act
    const now = input(parameters);
    const before = input(parameters, oneDestination);
    // Assess
    expect(now).toEqual(before);
    expect(now.Source).not.toHaveProperty('Destinations');
  });

  // The snapshot-event rule came after the slots: with SnapshotEvents FALSE the template deploys what the
  // one-destination template did; with its default, the rule and its role besides.
  it.each(cases)('deploys the same resources as before the slots: %j', (parameters) => {
    // Prepare
    const deployed = (of: Record<string, unknown>, extra: Record<string, string> = {}) =>
      Object.entries(of.Resources as Record<string, { Type: string }>)
        .filter(([id]) =>
          resourceExists(of, id, { parameters: { ClusterNamePattern: 'x', ...parameters, ...extra } }),
        )
        .map(([id, r]) => `${id} ${r.Type}`);
    // Act
    const withoutEvents = deployed(template, { SnapshotEvents: 'FALSE' });
    const withEvents = deployed(template);
    // Assess
    expect(withoutEvents).toEqual(deployed(oneDestination));
    expect(
      withEvents.filter((resource) => !withoutEvents.includes(resource)).map((r) => r.split(' ')[1]),
    ).toEqual(['AWS::IAM::Role', 'AWS::Events::Rule']);
  });
});

describe('destination slots 2 to 5: the Destinations list', () => {
  it(`offers ${MAX_DESTINATIONS} slots, as many as Source.Destinations takes`, () => {
    // Act
    const names = Object.keys(template.Parameters as object);
    // Assess
    for (let n = 2; n <= MAX_DESTINATIONS; n++) {
      expect(names).toEqual(
        expect.arrayContaining([`Destination${n}Region`, `Destination${n}Account`, `Destination${n}KmsKey`]),
      );
    }
    expect(names).not.toContain(`Destination${MAX_DESTINATIONS + 1}Region`);
  });

  it('hands the functions every set slot, in slot order, in the list form the schema reads (and no one-item key)', () => {
    // Act
    const given = input({
      ShareSnapshots: 'TRUE',
      DestinationRegion: 'eu-central-1',
      KmsKeyDestination: key('eu-central-1'),
      Destination2Region: 'us-west-2',
      Destination2Account: '111122223333',
      Destination2KmsKey: key('us-west-2'),
      Destination4Region: REGION,
      Destination4Account: '444455556666',
      Destination4KmsKey: 'None',
    });
    const source = parseConfig(given).Source;
    // Assess
    expect(given.Source).not.toHaveProperty('DestinationRegion');
    expect(given.Source).not.toHaveProperty('KmsKeyDestination');
    expect(source?.Destinations).toEqual([
      { Region: 'eu-central-1', KmsKeyDestination: key('eu-central-1') },
      { Region: 'us-west-2', Account: '111122223333', KmsKeyDestination: key('us-west-2') },
      { Region: REGION, Account: '444455556666' },
    ]);
    expect(destinationsOf(source as NonNullable<typeof source>).map((d) => [d.id, d.kind])).toEqual([
      ['eu-central-1', 'copy'],
      ['111122223333@us-west-2', 'copy-share'],
      [`444455556666@${REGION}`, 'share'],
    ]);
  });

  it('makes slot 1 given by DestinationAccount alone a share in place in the stack region', () => {
    // Act
    const source = parseConfig(
      input({
        ShareSnapshots: 'TRUE',
        DestinationAccount: '111122223333',
        KmsKeySource: key(REGION),
        Destination2Region: 'us-east-2',
        Destination2KmsKey: key('us-east-2'),
      }),
    ).Source;
    // Assess
    expect(source?.Destinations).toEqual([
      { Region: REGION, Account: '111122223333' },
      { Region: 'us-east-2', KmsKeyDestination: key('us-east-2') },
    ]);
    expect(source?.KmsKeySource).toBe(key(REGION));
  });

  it('adds no resource and changes none: the slots are only in the input', () => {
    // Prepare
    const deployed = (parameters: Record<string, string>) =>
      Object.keys(template.Resources as object).filter((id) =>
        resourceExists(template, id, { parameters: { ClusterNamePattern: 'x', ...parameters } }),
      );
    // Act / Assess
    expect(
      deployed({
        DestinationRegion: 'us-west-2',
        Destination2Region: 'us-east-2',
        Destination3Region: 'eu-central-1',
        Destination5Region: 'ca-central-1',
      }),
    ).toEqual(deployed({}));
  });

  it('hands ReleaseStuckDestinationsAfterHours to the functions only when set', () => {
    // Act
    const set = input({ DestinationRegion: 'us-west-2', ReleaseStuckDestinationsAfterHours: '72' });
    const unset = input({ DestinationRegion: 'us-west-2' });
    // Assess
    expect(parseConfig(set).Source?.ReleaseStuckDestinationsAfterHours).toBe(72);
    expect(unset.Source).not.toHaveProperty('ReleaseStuckDestinationsAfterHours');
  });
});

describe('template rules on the slots, before anything is created', () => {
  it.each([
    [{ Destination2Region: 'us-west-2' }, ['DestinationRegion (or DestinationAccount)']],
    [{ DestinationAccount: '111122223333', Destination3Region: 'us-west-2' }, []],
    [
      { DestinationRegion: 'eu-central-1', Destination3Account: '111122223333' },
      ['Destination3Region is required'],
    ],
    [
      { DestinationRegion: 'eu-central-1', Destination5KmsKey: key('us-west-2') },
      ['Destination5Region is required'],
    ],
    [{ DestinationRegion: 'eu-central-1', Destination2KmsKey: 'None' }, []],
    [
      {
        DestinationRegion: 'eu-central-1',
        Destination2Region: 'us-west-2',
        Destination2Account: '111122223333',
      },
      [],
    ],
  ])('%j is refused with %j', (parameters, expected) => {
    // Act
    const refused = refusals(parameters);
    // Assess
    expect(refused.length).toBe(expected.length);
    expected.forEach((start, i) => {
      expect(refused[i]).toContain(start);
    });
  });
});

describe("the slots' values are the schema's", () => {
  const itemAccepts = (item: Record<string, string>) =>
    DestinationItemSchema.safeParse({ Region: 'us-west-2', ...item }).success;

  it.each([2, 3, 4, 5])(
    'Destination%iRegion accepts exactly the regions a Destinations item accepts',
    (n) => {
      // Prepare
      const values = [
        ...AWS_REGIONS,
        'us-west-9',
        'US-WEST-2',
        'us-west-2,eu-west-1',
        'eu-west',
        ' us-west-2',
      ];
      // Act
      const disagreements = values.filter(
        (v) => accepts(`Destination${n}Region`, v) !== itemAccepts({ Region: v }),
      );
      // Assess
      expect(disagreements).toEqual([]);
      expect(accepts(`Destination${n}Region`, '')).toBe(true);
    },
  );

  it.each([
    ['Account', '111122223333', { Account: '111122223333' }],
    ['Account', '11112222333', { Account: '11112222333' }],
    ['Account', '11112222333a', { Account: '11112222333a' }],
    ['KmsKey', key('us-west-2'), { KmsKeyDestination: key('us-west-2') }],
    [
      'KmsKey',
      'arn:aws:kms:us-west-2:111122223333:key/x"y',
      { KmsKeyDestination: 'arn:aws:kms:us-west-2:111122223333:key/x"y' },
    ],
    ['KmsKey', 'alias/aurora-snapshot-tool', { KmsKeyDestination: 'alias/aurora-snapshot-tool' }],
    ['KmsKey', 'alias/aws/rds', { KmsKeyDestination: 'alias/aws/rds' }],
    ['KmsKey', 'alias/a"b', { KmsKeyDestination: 'alias/a"b' }],
  ])('Destination2%s=%j is accepted exactly when the schema accepts it', (field, value, item) => {
    // Act / Assess
    expect(accepts(`Destination2${field}`, value)).toBe(itemAccepts(item));
  });

  it('ReleaseStuckDestinationsAfterHours accepts empty (off) and exactly the hours the schema accepts', () => {
    // Prepare
    const schemaAccepts = (value: string) => {
      try {
        parseConfig({
          Source: { Region: REGION, ClusterNamePattern: 'x', ReleaseStuckDestinationsAfterHours: value },
        });
        return true;
      } catch {
        return false;
      }
    };
    const values = [
      ...Array.from({ length: RELEASE_STUCK_HOURS_RANGE.max + 20 }, (_, n) => String(n)),
      '001',
      '08760',
      '1.5',
      '-1',
      '1e3',
    ];
    // Act
    const disagreements = values.filter(
      (v) => accepts('ReleaseStuckDestinationsAfterHours', v) !== schemaAccepts(v),
    );
    // Assess
    expect(disagreements).toEqual([]);
    expect(accepts('ReleaseStuckDestinationsAfterHours', '')).toBe(true);
  });
});

describe("the SourceCluster construct's destinations", () => {
  const BUNDLES = (() => {
    const dir = mkdtempSync(join(tmpdir(), 'ast-slots-'));
    for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), 'zip');
    return dir;
  })();
  function cluster(settings: Partial<SourceClusterProps>) {
    const stack = new Stack(new App(), 'S', { env: { region: REGION, account: ACCOUNT } });
    const roles = new SourceRoles(stack, 'Roles');
    const functions = new SourceFunctions(stack, 'Functions', {
      role: roles.lambdaRole,
      code: BundleCode.fromDirectory(BUNDLES),
    });
    return new SourceCluster(stack, 'Orders', {
      roles,
      functions,
      clusterNamePattern: 'orders',
      ...settings,
    });
  }
  function issues(settings: Partial<SourceClusterProps>) {
    try {
      cluster(settings);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.issues.map((i) => i.parameter);
      throw error;
    }
  }

  it('hands the functions the list, and ReleaseStuckDestinationsAfterHours', () => {
    // Act
    const built = cluster({
      shareSnapshots: true,
      destinations: [
        { region: 'eu-central-1', kmsKeyDestination: key('eu-central-1') },
        { region: 'us-west-2', account: '111122223333' },
      ],
      releaseStuckDestinationsAfterHours: 72,
    });
    // Assess
    expect(built.config.Source).toMatchObject({
      Destinations: [
        { Region: 'eu-central-1', KmsKeyDestination: key('eu-central-1') },
        { Region: 'us-west-2', Account: '111122223333' },
      ],
      ReleaseStuckDestinationsAfterHours: 72,
    });
  });

  it.each<[string, Partial<SourceClusterProps>, string]>([
    [
      'a short account in item 2',
      { destinations: [{ region: 'eu-central-1' }, { region: 'us-west-2', account: '1234' }] },
      'destinations[1].account',
    ],
    [
      'a key of another region',
      { destinations: [{ region: 'eu-central-1', kmsKeyDestination: key('us-west-2') }] },
      'destinations[0].kmsKeyDestination',
    ],
    [
      'a repeated destination',
      { destinations: [{ region: 'us-west-2' }, { region: 'us-west-2' }] },
      'destinations[1]',
    ],
    [
      'both forms',
      { destinationRegion: 'us-west-2', destinations: [{ region: 'eu-central-1' }] },
      'destinations',
    ],
    [
      'six destinations',
      { destinations: ['a', 'b', 'c', 'd', 'e', 'f'].map(() => ({ region: 'us-west-2' })) },
      'destinations',
    ],
    [
      'a release after 0 hours',
      { releaseStuckDestinationsAfterHours: 0 },
      'releaseStuckDestinationsAfterHours',
    ],
  ])('refuses %s, naming the prop', (_label, settings, prop) => {
    // Act / Assess
    expect(issues(settings)).toContain(prop);
  });
});
