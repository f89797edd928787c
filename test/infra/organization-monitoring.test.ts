// The organization-wide alarm's template (src/infra/organization-monitoring.ts): cfn-lint and cdk-nag find nothing,
// the sink admits the organization only and metrics only, the alarm's query names the metric and the exact dimension
// set the copy function prints as EMF when its state machine says its stack, and MonitoringLink links only when the
// member template's MonitoringSinkArn is set.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TAG, TOOL_TAG_VALUE } from '../../src/core/model/tags.js';
import { handler as copyShared } from '../../src/handlers/copy-snapshots-dest.js';
import { setClock, setStoreFactory } from '../../src/handlers/runtime.js';
import {
  addMonitoringLink,
  organizationMonitoringStack,
  recoveryPointQuery,
} from '../../src/infra/organization-monitoring.js';
import { renderTemplate, type TemplateName } from '../../src/infra/templates/index.js';
import { joinsToSubs } from '../../src/infra/templates/sub.js';
import { type CapturedOutput, captureStdout } from '../state-machine/harness.js';
import { ManualClock } from '../support/manual-clock.js';
import { MemoryEstate } from '../support/memory-store.js';
import { evaluate, resourceExists } from './support/cfn-eval.js';

const ORGANIZATION = 'o-a1b2c3d4e5';

function synthesize() {
  const app = new App({ context: { 'aws:cdk:enable-path-metadata': false } });
  const stack = organizationMonitoringStack(app);
  const template = joinsToSubs(app.synth().getStackByName(stack.stackName).template) as Record<
    string,
    unknown
  >;
  return { stack, template };
}

const { stack, template } = synthesize();

describe('the organization-monitoring template', () => {
  it('passes cfn-lint with no error and no warning', { timeout: 150_000 }, () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'org-monitoring-')), 'organization-monitoring.yaml');
    writeFileSync(file, renderTemplate('organization-monitoring' as TemplateName, template));

    // Act
    const result = spawnSync('cfn-lint', ['--format', 'parseable', '--', file], {
      encoding: 'utf8',
      timeout: 120_000,
    });

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('reports nothing to cdk-nag', () => {
    // Act
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);

    // Assess
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });

  it('admits only principals of the organization to link, and only metrics', () => {
    // Act
    const sink = Template.fromJSON(template).findResources('AWS::Oam::Sink');
    const [properties] = Object.values(sink).map((r) => r.Properties);
    const policy = evaluate(template, properties.Policy, { parameters: { OrganizationId: ORGANIZATION } });

    // Assess
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountsOfTheOrganizationLinkMetrics',
          Effect: 'Allow',
          Principal: '*',
          Action: ['oam:CreateLink', 'oam:UpdateLink'],
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION },
            'ForAllValues:StringEquals': { 'oam:ResourceTypes': ['AWS::CloudWatch::Metric'] },
          },
        },
      ],
    });
  });

  it('alarms above the RecoveryPointObjectiveHours parameter, per account and stack, notifying its topic', () => {
    // Act
    const alarm = Object.values(Template.fromJSON(template).findResources('AWS::CloudWatch::Alarm'))[0]
      ?.Properties as Record<string, unknown>;

    // Assess
    expect(alarm.Threshold).toEqual({ Ref: 'RecoveryPointObjectiveHours' });
    expect(alarm.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(alarm.Metrics).toEqual([
      { Id: 'age', Expression: recoveryPointQuery(), Period: 3600, ReturnData: true },
    ]);
    expect(recoveryPointQuery()).toContain('GROUP BY AWS.AccountId, Stack');
    expect(JSON.stringify(alarm.AlarmActions)).toContain('AlarmTopic');
  });
});

describe("the alarm's query and what the functions print", () => {
  let output: CapturedOutput;
  const estate = new MemoryEstate({ clock: new ManualClock('2026-03-04T08:00:00.000Z') });

  beforeEach(() => {
    const clock = new ManualClock('2026-03-04T08:00:00.000Z');
    setClock(clock);
    setStoreFactory((region) => estate.store(region, '999988887777'));
    output = captureStdout();
  });

  afterEach(() => {
    output.restore();
    setClock(undefined);
    setStoreFactory(undefined);
  });

  it('names the namespace, metric and exact dimensions of the recovery point a stack’s run prints as EMF', async () => {
    // Prepare: a copy in the vault, as its destination stack's state machine runs the function.
    estate.putSnapshot({
      region: 'us-east-1',
      id: 'prod-db-2026-03-04-05-06',
      clusterId: 'prod-db',
      accountId: '999988887777',
      status: 'available',
      createTime: new Date('2026-03-04T05:06:00.000Z'),
      tags: {
        [TAG.CopiedBy]: TOOL_TAG_VALUE,
        [TAG.PointInTime]: '2026-03-04T05:06:00.000Z',
        [TAG.SourceCluster]: 'prod-db',
        [TAG.SourceAccount]: '111122223333',
      },
    });

    // Act
    await copyShared({
      config: {
        Destination: { Region: 'us-east-1', SnapshotPattern: '^prod', SourceOrganizationId: ORGANIZATION },
      },
      stack: 'vault-prod',
    });

    // Assess: the EMF document that carries the age, as CloudWatch receives it.
    const age = output
      .emf()
      .flatMap((doc) => doc._aws.CloudWatchMetrics.map((m) => ({ doc, m })))
      .find(
        ({ m, doc }) =>
          m.Metrics.some((x) => x.Name === 'RecoveryPointAgeHours') && doc.Stack === 'vault-prod',
      );
    expect(age).toBeDefined();
    const query = recoveryPointQuery();
    expect(query).toContain(`SCHEMA("${age?.m.Namespace}", ${age?.m.Dimensions[0]?.join(', ')})`);
    expect(query).toContain(`WHERE service = '${String(age?.doc.service)}'`);
    expect(query).toContain('MAX(RecoveryPointAgeHours)');
  });
});

describe('MonitoringLink in a member template', () => {
  it('links the tool’s metrics only, and only when MonitoringSinkArn is set', () => {
    // Prepare
    const app = new App();
    const member = new Stack(app, 'member');
    addMonitoringLink(member);
    const synthesized = app.synth().getStackByName('member').template as Record<string, unknown>;
    const [[id, link]] = Object.entries(Template.fromJSON(synthesized).findResources('AWS::Oam::Link')) as [
      [string, { Properties: Record<string, unknown> }],
    ];

    // Act / Assess
    expect(resourceExists(synthesized, id, { parameters: {} })).toBe(false);
    expect(
      resourceExists(synthesized, id, {
        parameters: { MonitoringSinkArn: 'arn:aws:oam:us-east-1:123456789012:sink/abc' },
      }),
    ).toBe(true);
    expect(link.Properties).toMatchObject({
      ResourceTypes: ['AWS::CloudWatch::Metric'],
      LinkConfiguration: { MetricConfiguration: { Filter: "Namespace IN ('AuroraSnapshotTool')" } },
    });
  });
});
