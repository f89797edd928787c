// Bad input on every surface (the CLI's file, the Lambda event, the CDK props) is rejected naming the parameter, before any AWS call; the CLI never prints a stack trace for it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/model/errors.js';
import { HANDLERS } from '../../src/handlers/index.js';
import { ALL_FUNCTIONS, type FunctionName } from '../../src/handlers/names.js';
import { setStoreFactory } from '../../src/handlers/runtime.js';
import { DestinationCluster, type DestinationClusterSettings } from '../../src/infra/destination-cluster.js';
import { BundleCode, DestinationFunctions, SourceFunctions } from '../../src/infra/functions.js';
import { DestinationRoles, SourceRoles } from '../../src/infra/roles.js';
import { SourceCluster, type SourceClusterSettings } from '../../src/infra/source-cluster.js';
import { type CapturedOutput, captureStdout } from '../state-machine/harness.js';
import { runCli } from '../support/cli.js';
import { type Rig, startRig } from './support/rig.js';

const KEY_EAST = 'arn:aws:kms:us-east-1:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666';
const KEY_WEST = 'arn:aws:kms:us-west-2:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666';
const SOURCE = { Region: 'us-east-1', ClusterNamePattern: '^orders-db$' };
const DESTINATION = { Region: 'us-west-2', SnapshotPattern: '^orders-db$' };

const source = (fields: Record<string, unknown>) => ({ Source: { ...SOURCE, ...fields } });
const without = (key: string) => ({
  Source: Object.fromEntries(Object.entries(SOURCE).filter(([k]) => k !== key)),
});
const destination = (fields: Record<string, unknown>, sourceFields: Record<string, unknown> = {}) => ({
  Source: { ...SOURCE, ShareSnapshots: 'TRUE', DestinationRegion: 'us-west-2', ...sourceFields },
  Destination: { ...DESTINATION, ...fields },
});

/** A configuration the schema must refuse, and the parameter the refusal must name. */
type BadConfig = readonly [label: string, config: unknown, parameter: string];

const BAD_CONFIGS: readonly BadConfig[] = [
  // Region
  ['an unknown region', source({ Region: 'us-east-9' }), 'Source.Region'],
  ['a missing region', without('Region'), 'Source.Region'],
  ['a region given as a number', source({ Region: 42 }), 'Source.Region'],
  // ClusterNamePattern: edge cases and injection-looking strings
  ['an empty pattern', source({ ClusterNamePattern: '' }), 'Source.ClusterNamePattern'],
  ['a missing pattern', without('ClusterNamePattern'), 'Source.ClusterNamePattern'],
  [
    'a pattern with a shell command',
    source({ ClusterNamePattern: 'orders; rm -rf /' }),
    'Source.ClusterNamePattern',
  ],
  [
    'a pattern with SQL quotes',
    source({ ClusterNamePattern: "orders' OR '1'='1" }),
    'Source.ClusterNamePattern',
  ],
  [
    'a pattern with a command substitution',
    source({ ClusterNamePattern: '$(curl http://x)' }),
    'Source.ClusterNamePattern',
  ],
  ['a pattern with backticks', source({ ClusterNamePattern: '`id`' }), 'Source.ClusterNamePattern'],
  [
    'a pattern with markup',
    source({ ClusterNamePattern: '<script>alert(1)</script>' }),
    'Source.ClusterNamePattern',
  ],
  [
    'a pattern with a CloudFormation reference',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation reference, verbatim
    source({ ClusterNamePattern: '${AWS::AccountId}' }),
    'Source.ClusterNamePattern',
  ],
  ['a pattern with a newline', source({ ClusterNamePattern: 'orders\nprod' }), 'Source.ClusterNamePattern'],
  ['a pattern that is not a regex', source({ ClusterNamePattern: '(orders' }), 'Source.ClusterNamePattern'],
  [
    'a pattern of 256 characters',
    source({ ClusterNamePattern: 'a'.repeat(256) }),
    'Source.ClusterNamePattern',
  ],
  ['a pattern given as a list', source({ ClusterNamePattern: ['orders'] }), 'Source.ClusterNamePattern'],
  // BackupInterval
  ['an interval of 0', source({ BackupInterval: 0 }), 'Source.BackupInterval'],
  ['a negative interval', source({ BackupInterval: -8 }), 'Source.BackupInterval'],
  ['a fractional interval', source({ BackupInterval: 1.5 }), 'Source.BackupInterval'],
  ['an interval in words', source({ BackupInterval: 'eight' }), 'Source.BackupInterval'],
  ['an interval over a year', source({ BackupInterval: 8761 }), 'Source.BackupInterval'],
  ['an interval given as a boolean', source({ BackupInterval: true }), 'Source.BackupInterval'],
  // BackupSchedule
  ['a 5-field cron', source({ BackupSchedule: '0 1 * * *' }), 'Source.BackupSchedule'],
  ['a cron at hour 25', source({ BackupSchedule: '0 25 * * ? *' }), 'Source.BackupSchedule'],
  [
    'a cron followed by a command',
    source({ BackupSchedule: '0 1 * * ? *; reboot' }),
    'Source.BackupSchedule',
  ],
  ['an empty cron', source({ BackupSchedule: '' }), 'Source.BackupSchedule'],
  // RetentionDays, MaxDeletesPerPass, MaxWaitMinutes
  ['a retention of 0 days', source({ RetentionDays: 0 }), 'Source.RetentionDays'],
  ['a retention with a unit', source({ RetentionDays: '7 days' }), 'Source.RetentionDays'],
  ['MaxDeletesPerPass 0', source({ MaxDeletesPerPass: 0 }), 'Source.MaxDeletesPerPass'],
  ['MaxDeletesPerPass over 1000', source({ MaxDeletesPerPass: 1001 }), 'Source.MaxDeletesPerPass'],
  ['MaxWaitMinutes under 5', source({ MaxWaitMinutes: 4 }), 'Source.MaxWaitMinutes'],
  // Booleans
  ['DeleteOldSnapshots yes', source({ DeleteOldSnapshots: 'yes' }), 'Source.DeleteOldSnapshots'],
  ['DeleteOldSnapshots as a number', source({ DeleteOldSnapshots: 1 }), 'Source.DeleteOldSnapshots'],
  // Destination settings of the source
  ['sharing without a destination', source({ ShareSnapshots: 'TRUE' }), 'Source.DestinationRegion'],
  [
    'the DR region equal to the source region',
    source({ DestinationRegion: 'us-east-1' }),
    'Source.DestinationRegion',
  ],
  ['an unknown DR region', source({ DestinationRegion: 'mars-1' }), 'Source.DestinationRegion'],
  ['a short account', source({ DestinationAccount: '1234' }), 'Source.DestinationAccount'],
  ['an account with a letter', source({ DestinationAccount: '12345678901a' }), 'Source.DestinationAccount'],
  [
    'an account with a command',
    source({ DestinationAccount: '123456789012 || true' }),
    'Source.DestinationAccount',
  ],
  // Keys
  ['a key that is no key', source({ KmsKeySource: 'not a key' }), 'Source.KmsKeySource'],
  ['a source key of another region', source({ KmsKeySource: KEY_WEST }), 'Source.KmsKeySource'],
  [
    'a destination key of another region',
    source({ DestinationRegion: 'us-west-2', KmsKeyDestination: KEY_EAST }),
    'Source.KmsKeyDestination',
  ],
  ['an unknown log level', source({ LogLevel: 'VERBOSE' }), 'Source.LogLevel'],
  // Tags: keys and values, wrong types, injection-looking values, the tool's own tags
  ['a tag key under aws:', source({ Tags: { 'aws:createdBy': 'x' } }), 'Source.Tags.aws:createdBy'],
  ['a tag value with markup', source({ Tags: { Owner: '<script>' } }), 'Source.Tags.Owner'],
  ['a tag value with SQL', source({ Tags: { Owner: "x'; DROP TABLE snapshots;--" } }), 'Source.Tags.Owner'],
  ['a tag value with a command', source({ Tags: { Owner: '$(reboot)' } }), 'Source.Tags.Owner'],
  [
    'a tag key of 129 characters',
    source({ Tags: { ['k'.repeat(129)]: 'v' } }),
    `Source.Tags.${'k'.repeat(129)}`,
  ],
  ['a tag value of 257 characters', source({ Tags: { Owner: 'v'.repeat(257) } }), 'Source.Tags.Owner'],
  ['tags given as text', source({ Tags: 'Owner=me' }), 'Source.Tags'],
  ['a tag value given as a number', source({ Tags: { Owner: 5 } }), 'Source.Tags.Owner'],
  [
    'a tag that claims a share was made',
    source({ Tags: { 'SnapshotTool:SharedWith': '222233334444' } }),
    'Source.Tags.SnapshotTool:SharedWith',
  ],
  [
    'a tag that marks snapshots as copies',
    source({ Tags: { CopiedBy: 'Snapshot Tool for Aurora' } }),
    'Source.Tags.CopiedBy',
  ],
  // Unknown keys
  ['a misspelt parameter', source({ RetentionDay: 30 }), 'Source.RetentionDay'],
  ['a parameter in the wrong case', source({ retentionDays: 30 }), 'Source.retentionDays'],
  ['an unknown block', { Sorce: SOURCE }, 'Sorce'],
  ['no block at all', {}, 'Source'],
  ['a configuration that is a list', [SOURCE], 'configuration'],
  ['a block that is a number', { Source: 5 }, 'Source'],
  // The destination block
  [
    'a destination retention below the source’s',
    destination({ RetentionDays: 3 }, { RetentionDays: 7 }),
    'Destination.RetentionDays',
  ],
  [
    'a destination in another region than the DR copies',
    destination({ Region: 'eu-west-1' }),
    'Destination.Region',
  ],
  [
    'a destination pattern with backticks',
    destination({ SnapshotPattern: 'orders|`reboot`' }),
    'Destination.SnapshotPattern',
  ],
  ['a source account that is not one', destination({ SourceAccount: 'abc' }), 'Destination.SourceAccount'],
  ['a destination schedule in words', destination({ Schedule: 'every hour' }), 'Destination.Schedule'],
  [
    'a destination key of another region',
    destination({ KmsKeyDestination: KEY_EAST }),
    'Destination.KmsKeyDestination',
  ],
  ['an unknown source region', destination({ SourceRegion: 'nowhere' }), 'Destination.SourceRegion'],
  ['an unknown destination parameter', destination({ Foo: 1 }), 'Destination.Foo'],
];

/** Files that are not even a configuration the schema could read, and what the CLI must name. */
const BAD_FILES: readonly (readonly [string, string, string])[] = [
  ['invalid YAML', 'Source: [unclosed\n', 'is not valid YAML or JSON'],
  ['a duplicated key', 'Source:\n  Region: us-east-1\n  Region: us-west-2\n', 'is not valid YAML or JSON'],
  ['an empty file', '', '  configuration: '],
];

/** Command lines a user can get wrong. */
const BAD_USAGE: readonly (readonly [string, string[], string])[] = [
  ['an unknown command', ['backup'], 'unknown command'],
  ['an unknown option', ['run', '--config', 'x.yaml', '--force'], 'unknown option'],
  ['no --config', ['run'], '--config'],
  ['a --now that is not a time', ['run', '--config', 'x.yaml', '--now', 'yesterday'], 'ISO-8601'],
  ['a missing file', ['run', '--config', '/nonexistent/tool.yaml'], 'file not found'],
];

const STACK_TRACE = /\n\s+at \S/;

/** A line of the CLI's error output that starts with the parameter. */
const namesParameter = (parameter: string) =>
  new RegExp(`^\\s+${parameter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `, 'm');

let rig: Rig;
const dir = mkdtempSync(join(tmpdir(), 'ast-bad-input-'));
let fileNumber = 0;

function file(text: string): string {
  const path = join(dir, `config-${++fileNumber}.yaml`);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  rig = await startRig({ seed: 12 });
});

afterAll(async () => {
  await rig?.stop();
});

beforeEach(() => {
  rig.proxy.reset();
});

describe('bad input', () => {
  it('covers at least 40 invalid configurations across the three surfaces', () => {
    // Assess
    expect(BAD_CONFIGS.length * 2 + SOURCE_PROPS.length + DESTINATION_PROPS.length).toBeGreaterThanOrEqual(
      40,
    );
    expect(BAD_CONFIGS.length).toBeGreaterThanOrEqual(40);
  });

  describe('in the CLI configuration file', () => {
    it.each(BAD_CONFIGS)(
      'run refuses %s naming the parameter, exit 2, no AWS call',
      async (_label, config, parameter) => {
        // Prepare
        const path = file(JSON.stringify(config));

        // Act
        const result = await runCli(['run', '--config', path], rig.env);

        // Assess
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(namesParameter(parameter));
        expect(result.stderr).not.toMatch(STACK_TRACE);
        expect(result.stdout).toBe('');
        expect(rig.proxy.total()).toBe(0);
      },
    );

    it.each(BAD_FILES)('run refuses %s, exit 2, no AWS call', async (_label, text, named) => {
      // Act
      const result = await runCli(['run', '--config', file(text)], rig.env);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(named);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(rig.proxy.total()).toBe(0);
    });

    it.each(BAD_USAGE)('refuses %s with exit 2 and no stack trace', async (_label, argv, named) => {
      // Act
      const result = await runCli(argv, rig.env);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(named);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(rig.proxy.total()).toBe(0);
    });
  });

  describe('in the Lambda event', () => {
    let output: CapturedOutput;

    beforeEach(() => {
      setStoreFactory((region) => rig.storeFor(region));
      output = captureStdout();
    });

    afterEach(() => {
      output.restore();
      setStoreFactory(undefined);
    });

    /** Each bad configuration goes to another function in turn, so every entry point is tried. */
    const handlerFor = (index: number): FunctionName =>
      ALL_FUNCTIONS[index % ALL_FUNCTIONS.length] as FunctionName;

    it.each(
      BAD_CONFIGS.map(([label, config, parameter], i) => ({ label, config, parameter, fn: handlerFor(i) })),
    )('$fn refuses $label naming $parameter, no AWS call', async ({ config, parameter, fn }) => {
      // Act
      const error = await HANDLERS[fn]({ config }).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.parameter)).toContain(parameter);
      expect(rig.proxy.total()).toBe(0);
    });

    it.each([
      ['an event that is text', 'run please', 'event'],
      ['an event without config', { now: '2026-01-01T00:00:00Z' }, 'event.config'],
      ['a ref without its id', { config: source({}), refs: [{ region: 'us-east-1' }] }, 'event.refs[0].id'],
      [
        'a ref with an unknown field',
        { config: source({}), refs: [{ region: 'us-east-1', id: 'x', cmd: 'rm' }] },
        'event.refs[0].cmd',
      ],
      ['a now that is not a time', { config: source({}), now: 'yesterday' }, 'event.now'],
      ['a startedAt given as a number', { config: source({}), startedAt: 12345 }, 'event.startedAt'],
      ['a destination block for a source function', { config: { Destination: DESTINATION } }, 'Source'],
    ] as const)('%s: fails with ConfigError naming %s, no AWS call', async (_label, event, parameter) => {
      // Act
      const error = await HANDLERS.TakeSnapshotsAurora(event).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.parameter)).toContain(parameter);
      expect(rig.proxy.total()).toBe(0);
    });

    it('a source block for a destination function: fails with ConfigError naming Destination', async () => {
      // Act
      const error = await HANDLERS.DeleteOldSnapshotsDestAurora({ config: source({}) }).catch(
        (e: unknown) => e,
      );

      // Assess
      expect((error as ConfigError).issues.map((i) => i.parameter)).toEqual(['Destination']);
      expect(rig.proxy.total()).toBe(0);
    });
  });

  describe('in the CDK props', () => {
    it.each(SOURCE_PROPS.map(([label, settings, prop]) => ({ label, settings, prop })))(
      'SourceCluster refuses $label naming $prop',
      ({ settings, prop }) => {
        // Prepare
        const { stack, roles, functions } = sourceStack();

        // Act
        const issues = issuesOf(() => new SourceCluster(stack, 'Cluster', { roles, functions, ...settings }));

        // Assess
        expect(issues).toContain(prop);
        expect(rig.proxy.total()).toBe(0);
      },
    );

    it.each(DESTINATION_PROPS.map(([label, settings, prop]) => ({ label, settings, prop })))(
      'DestinationCluster refuses $label naming $prop',
      ({ settings, prop }) => {
        // Prepare
        const { stack, roles, functions } = destinationStack();

        // Act
        const issues = issuesOf(
          () => new DestinationCluster(stack, 'Cluster', { roles, functions, ...settings }),
        );

        // Assess
        expect(issues).toContain(prop);
        expect(rig.proxy.total()).toBe(0);
      },
    );
  });
});

// CDK: the constructs validate their props with the same schema, naming the prop.

const BUNDLES = (() => {
  const bundles = mkdtempSync(join(tmpdir(), 'ast-bundles-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(bundles, `${name}.zip`), 'zip');
  return bundles;
})();

function sourceStack() {
  const stack = new Stack(new App(), 'Source', { env: { region: 'us-east-1', account: '123456789012' } });
  const roles = new SourceRoles(stack, 'Roles');
  const functions = new SourceFunctions(stack, 'Functions', {
    role: roles.lambdaRole,
    code: BundleCode.fromDirectory(BUNDLES),
  });
  return { stack, roles, functions };
}

function destinationStack() {
  const stack = new Stack(new App(), 'Destination', {
    env: { region: 'us-west-2', account: '123456789012' },
  });
  const roles = new DestinationRoles(stack, 'Roles');
  const functions = new DestinationFunctions(stack, 'Functions', {
    role: roles.lambdaRole,
    code: BundleCode.fromDirectory(BUNDLES),
  });
  return { stack, roles, functions };
}

function issuesOf(act: () => unknown): string[] {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => i.parameter);
  }
  throw new Error('expected a ConfigError');
}

/** Wrong types are what a JavaScript app (no type checker) can pass. */
const loose = <T>(value: unknown): T => value as T;

type SourceSettings = Omit<SourceClusterSettings, never>;
const SOURCE_PROPS: readonly (readonly [string, SourceSettings, string])[] = [
  ['an empty pattern', { clusterNamePattern: '' }, 'clusterNamePattern'],
  ['a pattern with a shell command', { clusterNamePattern: 'orders; rm -rf /' }, 'clusterNamePattern'],
  [
    'a pattern with a CloudFormation reference',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation reference, verbatim
    { clusterNamePattern: '${AWS::Region}' },
    'clusterNamePattern',
  ],
  ['a pattern that is not a regex', { clusterNamePattern: '[orders' }, 'clusterNamePattern'],
  ['an interval of 0', { clusterNamePattern: 'orders', backupInterval: 0 }, 'backupInterval'],
  ['an interval of NaN', { clusterNamePattern: 'orders', backupInterval: Number.NaN }, 'backupInterval'],
  [
    'an interval in words',
    { clusterNamePattern: 'orders', backupInterval: loose('eight') },
    'backupInterval',
  ],
  ['a schedule in words', { clusterNamePattern: 'orders', backupSchedule: 'daily' }, 'backupSchedule'],
  ['a negative retention', { clusterNamePattern: 'orders', retentionDays: -1 }, 'retentionDays'],
  [
    'a boolean given as maybe',
    { clusterNamePattern: 'orders', deleteOldSnapshots: loose('maybe') },
    'deleteOldSnapshots',
  ],
  [
    'an unknown DR region',
    { clusterNamePattern: 'orders', destinationRegion: 'mars-1' },
    'destinationRegion',
  ],
  ['a short account', { clusterNamePattern: 'orders', destinationAccount: '12' }, 'destinationAccount'],
  ['a key that is no key', { clusterNamePattern: 'orders', kmsKeySource: 'nope' }, 'kmsKeySource'],
  ['an unknown log level', { clusterNamePattern: 'orders', logLevel: loose('LOUD') }, 'logLevel'],
  ['a tag under aws:', { clusterNamePattern: 'orders', tags: { 'aws:x': 'y' } }, 'tags.aws:x'],
  ['a tag value with markup', { clusterNamePattern: 'orders', tags: { Owner: '<b>' } }, 'tags.Owner'],
  [
    'a tag of the tool',
    { clusterNamePattern: 'orders', tags: { 'SnapshotTool:Purpose': 'backup' } },
    'tags.SnapshotTool:Purpose',
  ],
  ['MaxDeletesPerPass 0', { clusterNamePattern: 'orders', maxDeletesPerPass: 0 }, 'maxDeletesPerPass'],
  ['MaxWaitMinutes 1', { clusterNamePattern: 'orders', maxWaitMinutes: 1 }, 'maxWaitMinutes'],
];

const DESTINATION_PROPS: readonly (readonly [string, DestinationClusterSettings, string])[] = [
  ['a pattern with backticks', { snapshotPattern: '`id`' }, 'snapshotPattern'],
  ['a retention of 0', { snapshotPattern: 'orders', retentionDays: 0 }, 'retentionDays'],
  ['an unknown source region', { snapshotPattern: 'orders', sourceRegion: 'xx-1' }, 'sourceRegion'],
  ['a source account in words', { snapshotPattern: 'orders', sourceAccount: 'abc' }, 'sourceAccount'],
  ['a 5-field schedule', { snapshotPattern: 'orders', schedule: '* * * * *' }, 'schedule'],
  [
    'a key of another region',
    { snapshotPattern: 'orders', kmsKeyDestination: KEY_EAST },
    'kmsKeyDestination',
  ],
  ['MaxDeletesPerPass 5000', { snapshotPattern: 'orders', maxDeletesPerPass: 5000 }, 'maxDeletesPerPass'],
];
