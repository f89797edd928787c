// Every parameter declared once: the schema, the templates, the construct props, the live report and the
// docs all follow the parameter table (src/config/parameters.ts), and a gap in any of them fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OrganizationSchema } from '../../src/config/organization.js';
import {
  renderSettings,
  renderTable,
  SETTINGS_FILE,
  TABLE_FILES,
  withTable,
} from '../../src/config/parameter-docs.js';
import {
  BLOCKS,
  type Block,
  blockParameters,
  DEPLOYED_BLOCKS,
  propName,
  templateSpecIn,
} from '../../src/config/parameters.js';
import {
  DestinationSchema,
  parseConfig,
  RecoverySchema,
  RestoreDrillSchema,
  SourceSchema,
} from '../../src/config/schema.js';
import { DESTINATION_CLUSTER_PROPS, destinationBlockFields } from '../../src/infra/destination-cluster.js';
import { RESTORE_DRILL_PROPS, restoreDrillBlockFields } from '../../src/infra/restore-drill.js';
import { SOURCE_CLUSTER_PROPS, sourceBlockFields } from '../../src/infra/source-cluster.js';
import { templateParameterSpec } from '../../src/infra/templates/parameters.js';
import { settingsOf } from '../../src/report/live.js';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');
const names = (block: Block) => blockParameters(block).map((entry) => entry.name);

const SCHEMAS = {
  source: SourceSchema,
  destination: DestinationSchema,
  drill: RestoreDrillSchema,
  recovery: RecoverySchema,
  organization: OrganizationSchema,
} as const;
const TEMPLATES = {
  source: 'source-cluster',
  destination: 'destination-cluster',
  drill: 'restore-drill',
} as const;
/** Template parameters that are the deployment's, not the configuration's. */
const DEPLOYMENT = /^(CodeBucket|CodePrefix|Destination[2-9](Region|Account|KmsKey))$/;
/** Construct props that are not configuration parameters (roles, functions, code, alarm topic...). */
const NOT_SETTINGS = ['roles', 'functions', 'code', 'definitionOptions', 'alarmTopic', 'logRetention'];
const PROPS = {
  source: SOURCE_CLUSTER_PROPS,
  destination: DESTINATION_CLUSTER_PROPS,
  drill: RESTORE_DRILL_PROPS,
};

describe('the generated files', () => {
  it('src/infra/settings.generated.ts is what npm run parameter-docs writes', () => {
    // Act
    const expected = renderSettings();
    // Assess
    expect(read(SETTINGS_FILE), 'run npm run parameter-docs').toBe(expected);
  });

  it.each(BLOCKS)('the %s table in the docs is what npm run parameter-docs writes', (block) => {
    // Prepare
    const text = read(TABLE_FILES[block]);
    // Act
    const regenerated = withTable(text, block);
    // Assess
    expect(text, 'run npm run parameter-docs').toBe(regenerated);
  });

  it.each(BLOCKS)('gives each parameter of the %s table one row of three cells', (block) => {
    // Act
    const rows = renderTable(block).split('\n');
    // Assess: a | in a name, default or meaning would split its row into more cells
    expect(rows.filter((row) => row.split('|').length !== 5)).toEqual([]);
    expect(rows).toHaveLength(blockParameters(block).length + 2);
  });

  it('puts the table between the markers, in place of what was there, markers at the very start included', () => {
    // Prepare
    const text = '<!-- parameters:drill:start -->\nold table\n<!-- parameters:drill:end -->\nafter\n';
    // Act
    const regenerated = withTable(text, 'drill');
    // Assess
    expect(regenerated).toBe(
      `<!-- parameters:drill:start -->\n${renderTable('drill')}\n<!-- parameters:drill:end -->\nafter\n`,
    );
  });

  it.each([
    ['no start marker', 'text\n<!-- parameters:drill:end -->\n'],
    ['no end marker', '<!-- parameters:drill:start -->\ntext\n'],
    [
      'the end marker before the start marker',
      '<!-- parameters:drill:end -->\n<!-- parameters:drill:start -->\n',
    ],
    ['the markers of another block', '<!-- parameters:source:start -->\n<!-- parameters:source:end -->\n'],
  ])('refuses a file with %s, naming the markers', (_, text) => {
    // Act, Assess
    expect(() => withTable(text, 'drill')).toThrow(
      new Error('no <!-- parameters:drill:start --> ... <!-- parameters:drill:end --> markers'),
    );
  });
});

describe('the parameter table', () => {
  it.each(BLOCKS)("gives the %s schema exactly its parameters, in the block's order", (block) => {
    // Act
    const keys = Object.keys(SCHEMAS[block].shape);
    // Assess
    expect(keys).toEqual(names(block));
  });

  it.each(DEPLOYED_BLOCKS)('gives the %s template exactly the parameters it declares there', (block) => {
    // Prepare
    const template = parse(read(`cloudformation/${TEMPLATES[block]}.yaml`)) as {
      Parameters: Record<string, unknown>;
    };
    const declared = blockParameters(block)
      .filter((entry) => templateSpecIn(entry, block) !== undefined)
      .map((entry) => entry.name);
    // Act
    const configuration = Object.keys(template.Parameters).filter((name) => !DEPLOYMENT.test(name));
    // Assess
    expect(configuration.sort()).toEqual([...declared].sort());
  });

  it.each(DEPLOYED_BLOCKS)(
    'gives each parameter of the %s template the description, default and constraint of the table',
    (block) => {
      // Prepare
      const template = parse(read(`cloudformation/${TEMPLATES[block]}.yaml`)) as {
        Parameters: Record<string, Record<string, unknown>>;
      };
      const entries = blockParameters(block).filter((entry) => templateSpecIn(entry, block) !== undefined);
      const declared = entries.map((entry) => {
        const spec = templateParameterSpec(entry, block);
        return [
          entry.name,
          {
            Type: 'String',
            ...(spec.default === undefined ? {} : { Default: spec.default }),
            ...(spec.allowedValues === undefined ? {} : { AllowedValues: [...spec.allowedValues] }),
            ...(spec.allowedPattern === undefined ? {} : { AllowedPattern: spec.allowedPattern }),
            ConstraintDescription: spec.constraintDescription,
            Description: spec.description,
          },
        ];
      });
      // Act
      const deployed = entries.map((entry) => [entry.name, template.Parameters[entry.name]]);
      // Assess
      expect(Object.fromEntries(deployed), 'run npm run synth').toEqual(Object.fromEntries(declared));
    },
  );

  it.each(DEPLOYED_BLOCKS)(
    'gives the %s construct exactly one prop per parameter, lower-camel-cased',
    (block) => {
      // Prepare
      const expected = blockParameters(block)
        .filter((entry) => entry.prop !== false)
        .map((entry) => propName(entry.name));
      // Act
      const props = Object.keys(PROPS[block]).filter((prop) => !NOT_SETTINGS.includes(prop));
      // Assess
      expect(props.sort()).toEqual(expected.sort());
    },
  );

  it.each([
    ['source', sourceBlockFields({ clusterNamePattern: 'x' }, 'us-east-1')],
    ['destination', destinationBlockFields({ snapshotPattern: 'x' }, 'us-east-1')],
    ['drill', restoreDrillBlockFields({ snapshotPattern: 'x' }, 'us-east-1')],
  ] as const)('maps every %s prop to its parameter', (block, fields) => {
    // Act
    const mapped = fields.map((field) => [field.parameter, field.prop]);
    // Assess
    expect(mapped.map(([parameter]) => parameter).sort()).toEqual([...names(block)].sort());
    for (const [parameter, prop] of mapped) expect(prop, parameter).toBe(propName(parameter ?? ''));
  });

  it('names only source parameters in the live report settings', () => {
    // Prepare
    const config = parseConfig({
      Source: {
        Region: 'us-east-1',
        ClusterNamePattern: 'prod',
        ScheduleTimezone: 'Europe/Berlin',
        KeepLast: 1,
        KeepDaily: 1,
        KeepWeekly: 1,
        KeepMonthly: 1,
        KeepYearly: 1,
        ExcludeClusterPattern: 'test',
        ClusterTags: { team: 'db' },
        ShareSnapshots: true,
        DestinationRegion: 'us-west-2',
        DestinationAccount: '111122223333',
        ReleaseStuckDestinationsAfterHours: 48,
      },
    }).Source;
    if (!config) throw new Error('no source block');
    // Act
    const shown = Object.keys(settingsOf(config));
    // Assess
    expect(shown.filter((name) => !names('source').includes(name))).toEqual([]);
    expect(shown).toContain('KeepWeekly');
  });

  it('derives the prop name by lower-camel-casing, a leading acronym included', () => {
    // Act, Assess
    expect([propName('KeepWeekly'), propName('DBSubnetGroupName')]).toEqual([
      'keepWeekly',
      'dbSubnetGroupName',
    ]);
  });

  it('leaves a name already lower-camel-cased as it is, an acronym inside included', () => {
    // Act, Assess
    expect([propName('dbSubnetGroupName'), propName('sourceDBClusterId')]).toEqual([
      'dbSubnetGroupName',
      'sourceDBClusterId',
    ]);
  });
});

/**
 * Template parameters no function reads: SharedSnapshotsKmsKey only makes the destination stack print the
 * statements for SourceAccount's key policy (the copy itself is made with KmsKeyDestination); SnapshotEvents
 * only decides whether the source stack has its snapshot-event rule.
 */
const FOR_THE_STACK_ONLY = ['SharedSnapshotsKmsKey', 'SnapshotEvents'];

describe('the schedules of the templates', () => {
  it.each(DEPLOYED_BLOCKS)(
    "pass every %s parameter of the template to the state machine's input",
    (block) => {
      // Prepare: a parameter the template declares but its schedule leaves out of the input is a setting the
      // functions never see (the stack deploys, the job runs on the default).
      const template = parse(read(`cloudformation/${TEMPLATES[block]}.yaml`), {
        customTags: [
          { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
          { tag: '!Sub', resolve: (value: string) => ({ 'Fn::Sub': value }) },
        ],
      }) as {
        Parameters: Record<string, unknown>;
        Resources: Record<string, { Type: string; Properties: { Target: { Input: unknown } } }>;
      };
      const inputs = Object.values(template.Resources)
        .filter((resource) => resource.Type === 'AWS::Scheduler::Schedule')
        .map((resource) => JSON.stringify(resource.Properties.Target.Input))
        .join('\n');
      const configuration = Object.keys(template.Parameters).filter(
        (name) => !DEPLOYMENT.test(name) && !FOR_THE_STACK_ONLY.includes(name),
      );

      // Act
      const missing = configuration.filter(
        (name) => !inputs.includes(`\${${name}}`) && !inputs.includes(`{"Ref":"${name}"}`),
      );

      // Assess
      expect(inputs).not.toBe('');
      expect(missing).toEqual([]);
    },
  );
});
