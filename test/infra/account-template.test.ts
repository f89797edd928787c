// The account template (cloudformation/account.yaml): the parameters of source-roles, source-lambdas and source-cluster with the same definitions, the same job input, no exports; and `{region}` in CodeBucket for every template that reads code, with today's stacks resolving to what they did before.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SOURCE_FUNCTIONS } from '../../src/handlers/names.js';
import { EXPORTS, type TemplateName, templateFile } from '../../src/infra/templates/index.js';
import { CODE_BUCKET_REGION_PLACEHOLDER } from '../../src/infra/templates/parameters.js';
import { type Deployment, evaluate, resourceExists } from './support/cfn-eval.js';

const CLOUDFORMATION_DIR = join(import.meta.dirname, '..', '..', 'cloudformation');
/** The templates as committed before `account` and `{region}` (test/infra/support/before-organization). */
const BEFORE_DIR = join(import.meta.dirname, 'support', 'before-organization');

type Template = Record<string, unknown>;
interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
}

function load(name: TemplateName, dir = CLOUDFORMATION_DIR): Template {
  return parseYaml(readFileSync(join(dir, templateFile(name)), 'utf8'), { version: '1.1' }) as Template;
}

const account = load('account');
const parametersOf = (t: Template) => (t.Parameters ?? {}) as Record<string, Record<string, unknown>>;
const resourcesOf = (t: Template) => Object.entries((t.Resources ?? {}) as Record<string, Resource>);

const SOURCE_IMPORTS: Record<string, string> = Object.fromEntries([
  ...SOURCE_FUNCTIONS.map((fn) => [
    EXPORTS.function(fn),
    `arn:aws:lambda:eu-west-1:123456789012:function:${fn}`,
  ]),
  [EXPORTS.role('Source', 'StateMachineRole'), 'arn:aws:iam::123456789012:role/states'],
  [EXPORTS.role('Source', 'EventsRole'), 'arn:aws:iam::123456789012:role/events'],
  [EXPORTS.role('Source', 'LambdaRole'), 'arn:aws:iam::123456789012:role/lambda'],
]);

/** The execution input of the template's schedule, parsed, for `deployment`. */
function scheduleInput(template: Template, deployment: Deployment): unknown {
  const schedules = resourcesOf(template).filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule');
  expect(schedules).toHaveLength(1);
  const [[, schedule]] = schedules as [[string, Resource]];
  const target = (schedule.Properties as { Target: { Input: unknown } }).Target;
  return JSON.parse(evaluate(template, target.Input, deployment) as string);
}

/**
 * Statements added to the roles since these templates, for features of their own (their tests are
 * elsewhere): the destination functions look up the key an alias names (test/infra/iam-key-aliases.test.ts).
 */
const ADDED_SINCE_ORGANIZATION: readonly string[] = ['FindTheKeyOfTheCopies'];

/** Resolved resources without the role policy statements of these Sids. */
function withoutStatements(
  resources: Record<string, unknown>,
  sids: readonly string[],
): Record<string, unknown> {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.filter((item) => !sids.includes((item as { Sid?: string } | null)?.Sid ?? '')).map(strip);
    }
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, strip(item)]));
  };
  return strip(resources) as Record<string, unknown>;
}

describe('the account template', () => {
  it('declares every parameter of source-roles, source-lambdas and source-cluster exactly as they do, so their values carry over', () => {
    // Prepare
    const three = (['source-roles', 'source-lambdas', 'source-cluster'] as const).map((name) =>
      parametersOf(load(name)),
    );
    // Act
    const differing = three.flatMap((parameters) =>
      Object.entries(parameters)
        .filter(([name, def]) => JSON.stringify(parametersOf(account)[name]) !== JSON.stringify(def))
        .map(([name]) => name),
    );
    // Assess
    expect(differing).toEqual([]);
    const union = new Set(three.flatMap((parameters) => Object.keys(parameters)));
    expect(Object.keys(parametersOf(account)).filter((name) => !union.has(name))).toEqual([
      'StatusAccount',
      'MonitoringSinkArn',
    ]);
  });

  it('exports and imports nothing, so the stacks of several stack sets never collide on an export name', () => {
    // Act
    const text = JSON.stringify(account);
    // Assess
    expect(text).not.toContain('Fn::ImportValue');
    for (const output of Object.values((account.Outputs ?? {}) as Record<string, object>)) {
      expect(output).not.toHaveProperty('Export');
    }
  });

  it('holds the resources of source-roles, source-lambdas and source-cluster, the status reader role and the metrics link', () => {
    // Prepare
    const types = (templates: Template[]) =>
      templates
        .flatMap((t) => resourcesOf(t).map(([, r]) => r.Type))
        .sort()
        .join('\n');
    // Act
    const own = types([account]);
    // Assess
    expect(own).toBe(
      types([
        load('source-roles'),
        load('source-lambdas'),
        load('source-cluster'),
        { Resources: { Reader: { Type: 'AWS::IAM::Role' }, Link: { Type: 'AWS::Oam::Link' } } },
      ]),
    );
  });

  it.each([
    [{ ClusterNamePattern: 'ALL_CLUSTERS', ClusterTags: 'backup=daily' }],
    [
      {
        ClusterNamePattern: '^prod-',
        ClusterTags: 'team=db,backup=*',
        ShareSnapshots: 'TRUE',
        DestinationRegion: 'us-west-2',
        DestinationAccount: '111122223333',
        KmsKeyDestination: 'arn:aws:kms:us-west-2:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666',
        Destination2Region: 'eu-central-1',
        RetentionDays: '14',
        KeepMonthly: '12',
      },
    ],
  ])('starts its job with the input a source-cluster stack gets from the same values (%j)', (parameters) => {
    // Act
    const fromAccount = scheduleInput(account, { region: 'eu-west-1', parameters });
    const fromCluster = scheduleInput(load('source-cluster'), {
      region: 'eu-west-1',
      parameters,
      imports: SOURCE_IMPORTS,
    });
    // Assess
    expect(fromAccount).toEqual(fromCluster);
    expect((fromAccount as { Source: { ClusterTags: string } }).Source.ClusterTags).toBe(
      parameters.ClusterTags,
    );
  });

  it("its state machine invokes the stack's own functions, and the roles are the stack's own", () => {
    // Prepare
    const [[, machine]] = resourcesOf(account).filter(
      ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine',
    ) as [[string, Resource]];
    const functions = resourcesOf(account)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id]) => id);
    // Act
    const definition = JSON.stringify(machine.Properties?.DefinitionString);
    const role = JSON.stringify(machine.Properties?.RoleArn);
    // Assess
    expect(functions).toHaveLength(SOURCE_FUNCTIONS.length);
    for (const id of functions) expect(definition).toContain(id);
    expect(role).toMatch(/RolesStateMachineRole/);
  });
});

const CODE_TEMPLATES = ['source-lambdas', 'destination-lambdas', 'restore-drill', 'account'] as const;

/** The S3 bucket each function of `template` reads its code from, in `deployment`. */
function codeBuckets(template: Template, deployment: Deployment): unknown[] {
  return resourcesOf(template)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([, r]) =>
      evaluate(template, (r.Properties as { Code: { S3Bucket: unknown } }).Code.S3Bucket, deployment),
    );
}

describe('{region} in CodeBucket', () => {
  it('is the placeholder the templates describe', () => {
    // Assess
    expect(CODE_BUCKET_REGION_PLACEHOLDER).toBe('{region}');
    for (const name of CODE_TEMPLATES) {
      expect(parametersOf(load(name)).CodeBucket?.Description, name).toContain('{region}');
    }
  });

  it.each(CODE_TEMPLATES)(
    '%s: every function reads its code from the bucket of its region, the placeholder anywhere in the name',
    (name) => {
      // Prepare
      const template = load(name);
      const cases = [
        ['acme-code-{region}', 'ap-southeast-2', 'acme-code-ap-southeast-2'],
        ['{region}-acme-code', 'eu-west-1', 'eu-west-1-acme-code'],
        ['acme.{region}.code', 'us-east-1', 'acme.us-east-1.code'],
      ] as const;
      for (const [pattern, region, bucket] of cases) {
        // Act
        const buckets = codeBuckets(template, {
          region,
          parameters: { CodeBucket: pattern, ClusterNamePattern: 'x', SnapshotPattern: 'x' },
        });
        // Assess
        expect(buckets.length, name).toBeGreaterThan(0);
        expect(new Set(buckets), `${name} ${pattern}`).toEqual(new Set([bucket]));
      }
    },
  );

  it.each(CODE_TEMPLATES)(
    '%s: CodeBucket accepts {region} once, and refuses it twice or as a bucket of its own',
    (name) => {
      // Prepare
      const pattern = new RegExp(parametersOf(load(name)).CodeBucket?.AllowedPattern as string);
      // Act / Assess
      for (const accepted of ['acme-code-{region}', '{region}-code', 'my-code-us-east-1', 'a.b-c'])
        expect(pattern.test(accepted), accepted).toBe(true);
      for (const refused of [
        'acme-{region}-{region}',
        'Acme-{region}',
        '{region',
        '-code-{region}',
        'ab',
        'a_b',
      ])
        expect(pattern.test(refused), refused).toBe(false);
    },
  );

  it.each(['source-lambdas', 'destination-lambdas', 'restore-drill'] as const)(
    '%s: a stack of the templates before {region} resolves every resource the same, so its update leaves the functions as they are',
    (name) => {
      // Prepare: today's values, with no placeholder and no new parameter.
      const before = load(name, BEFORE_DIR);
      const after = load(name);
      const deployment: Deployment = {
        region: 'eu-west-1',
        accountId: '123456789012',
        imports: SOURCE_IMPORTS,
        parameters: {
          CodeBucket: 'my-snapshot-tool-code-eu-west-1',
          CodePrefix: 'releases/0.1.0/',
          SnapshotPattern: '^prod-db$',
        },
      };
      const resolved = (template: Template) =>
        Object.fromEntries(
          resourcesOf(template)
            .filter(([id]) => resourceExists(template, id, deployment))
            .map(([id, r]) => [id, evaluate(template, r.Properties, deployment)]),
        );
      // Act
      const was = resolved(before);
      const is = withoutStatements(resolved(after), ADDED_SINCE_ORGANIZATION);
      // Assess
      expect(is).toEqual(was);
      expect(new Set(codeBuckets(after, deployment))).toEqual(new Set(['my-snapshot-tool-code-eu-west-1']));
    },
  );
});
