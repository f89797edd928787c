// The schedule as EventBridge Scheduler receives it: the ScheduleExpression of every template and of the
// constructs is `cron(` + the fields + `)` exactly once, for every form AWS documents; a value already
// wrapped in cron(...) is refused before anything is created (the template parameter's pattern, the
// construct's validation), so no stack ever hands Scheduler `cron(cron(...))`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/model/errors.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';
import { BundleCode, SourceFunctions } from '../../src/infra/functions.js';
import { SourceRoles } from '../../src/infra/roles.js';
import { SourceCluster } from '../../src/infra/source-cluster.js';
import { synthesizeTemplates } from '../../src/infra/templates/index.js';
import { evaluate } from './support/cfn-eval.js';

/** Forms AWS's cron reference documents, each special character at least once. */
const DOCUMENTED = [
  '0 10 * * ? *',
  '0 18 ? * MON-FRI *',
  '0/15 * * * ? *',
  '0/30 20-2 ? * MON-FRI *',
  '0 0 1 JAN,FEB,MAR ? *',
  '0 0 L * ? *',
  '0 1 ? * L *',
  '0 0 3W * ? *',
  '0 0 ? * 3#2 *',
  '0 0 ? * 6L *',
  '0 0 1 1 ? 2030-2199',
];
const WRAPPED = 'cron(0 1 * * ? *)';

const { templates } = synthesizeTemplates();

/** Each template's schedule: its parameter and the Scheduler resource's ScheduleExpression. */
const SCHEDULES = [
  ['source-cluster', 'BackupSchedule'],
  ['destination-cluster', 'Schedule'],
  ['restore-drill', 'Schedule'],
] as const;

function scheduleOf(name: (typeof SCHEDULES)[number][0]) {
  const template = templates[name] as {
    Parameters: Record<string, { AllowedPattern: string }>;
    Resources: Record<string, { Type: string; Properties: { ScheduleExpression: unknown } }>;
  };
  const [schedule] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
  return { template, expression: schedule?.Properties.ScheduleExpression };
}

describe('templates: what Scheduler receives', () => {
  it.each(SCHEDULES)(
    '%s hands Scheduler cron(%s) once for every documented form, and its parameter refuses cron(...)',
    (name, parameter) => {
      // Prepare
      const { template, expression } = scheduleOf(name);
      expect(template.Parameters[parameter]?.AllowedPattern).toBeDefined();
      const pattern = new RegExp(template.Parameters[parameter]?.AllowedPattern as string);

      // Act
      const received = DOCUMENTED.map((fields) =>
        evaluate(template as never, expression as never, {
          parameters: {
            [parameter]: fields,
            SnapshotPattern: 'x',
            ClusterNamePattern: 'x',
            DrillSnapshotPattern: 'x',
          },
          imports: new Proxy({}, { get: () => 'arn:aws:states:us-east-1:123456789012:stateMachine:x' }),
        }),
      );

      // Assess
      expect(received).toEqual(DOCUMENTED.map((fields) => `cron(${fields})`));
      expect(DOCUMENTED.filter((fields) => !pattern.test(fields))).toEqual([]);
      expect(pattern.test(WRAPPED)).toBe(false);
    },
  );
});

describe('SourceCluster: what Scheduler receives', () => {
  const bundles = (() => {
    const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
    for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), 'zip');
    return dir;
  })();
  const cluster = (backupSchedule: string) => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
    const stack = new Stack(app, 'Source', { env: { region: 'eu-west-1', account: '123456789012' } });
    const roles = new SourceRoles(stack, 'Roles');
    const functions = new SourceFunctions(stack, 'Functions', {
      role: roles.lambdaRole,
      code: BundleCode.fromDirectory(bundles),
    });
    new SourceCluster(stack, 'Cluster', { roles, functions, clusterNamePattern: '^orders$', backupSchedule });
    return Template.fromStack(stack);
  };

  it('hands Scheduler cron(backupSchedule) once, for the last day of the week (L) too', () => {
    // Act / Assess
    cluster('0 1 ? * L *').hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 1 ? * L *)',
    });
  });

  it('refuses a backupSchedule already wrapped in cron(...), naming the prop, before anything is created', () => {
    // Act
    let error: unknown;
    try {
      cluster(WRAPPED);
    } catch (thrown) {
      error = thrown;
    }

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      expect.objectContaining({
        parameter: 'backupSchedule',
        value: WRAPPED,
        message: expect.stringContaining('without "cron(...)"'),
      }),
    ]);
  });
});
