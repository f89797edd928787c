// cdk-nag's AwsSolutions pack over the templates' stacks and the CDK app's stacks: no unacknowledged finding, and each acknowledgment has its reason.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { ALL_FUNCTIONS } from '../../src/handlers/names.js';
import { addToolStacks } from '../../src/infra/app.js';
import type { SourceRoles } from '../../src/infra/roles.js';
import { synthesizeTemplates, TEMPLATE_NAMES } from '../../src/infra/templates/index.js';

function bundleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  for (const name of ALL_FUNCTIONS) writeFileSync(join(dir, `${name}.zip`), 'zip');
  return dir;
}

// Built once for the file: the five template stacks, and a CDK app with every optional path taken
// (keys by ARN, id and alias, cross-account destination).
const { stacks: templateStacks } = synthesizeTemplates();
const cdkApp = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
const cdkStacks = addToolStacks(
  cdkApp,
  parseConfig({
    Source: {
      Region: 'eu-west-1',
      ClusterNamePattern: '^orders$',
      ShareSnapshots: 'TRUE',
      DestinationRegion: 'eu-central-1',
      DestinationAccount: '111122223333',
      KmsKeySource: 'alias/snapshot-tool',
      KmsKeyDestination: 'arn:aws:kms:eu-central-1:123456789012:key/0b3a2c5e-1111-2222-3333-444455556666',
    },
    Destination: {
      Region: 'eu-central-1',
      SnapshotPattern: '^orders$',
      SourceAccount: '123456789012',
      KmsKeyDestination: '0b3a2c5e-1111-2222-3333-444455556666',
    },
  }),
  { bundleDir: bundleDir(), account: '111122223333' },
);

function violations(stack: Stack): string[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
  return report.violations.map(
    (v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}: ${v.description}`,
  );
}

/** Every acknowledgment recorded under `scope`, with its reason. */
function acknowledgments(scope: IConstruct): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  for (const node of scope.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: node.node.path, id, reason });
      }
    }
  }
  return found;
}

describe('cdk-nag AwsSolutions', () => {
  it.each(TEMPLATE_NAMES)('reports nothing unacknowledged on the %s template', (name) => {
    // Act / Assess
    expect(violations(templateStacks[name])).toEqual([]);
  });

  it.each(['source', 'destination'] as const)(
    "reports nothing unacknowledged on the CDK app's %s stack",
    (side) => {
      // Act
      const stack = cdkStacks[side] as Stack;
      // Assess
      expect(violations(stack)).toEqual([]);
    },
  );

  it('gives every acknowledgment a reason, and acknowledges single findings rather than whole rules for IAM5', () => {
    // Prepare
    const all = [...Object.values(templateStacks), ...Object.values(cdkStacks)].flatMap((stack) =>
      acknowledgments(stack as Stack),
    );
    // Assess
    expect(all.length).toBeGreaterThan(10);
    for (const ack of all) {
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
      if (ack.id.includes('AwsSolutions-IAM5'))
        expect(ack.id, ack.path).toMatch(/AwsSolutions-IAM5\[Resource::.+\]$/);
    }
  });

  it('still reports a wildcard a construct did not acknowledge (the acknowledgments are not blanket)', () => {
    // Prepare: a policy with a new wildcard resource next to the tool's role.
    const probe = new App();
    const { source } = addToolStacks(
      probe,
      parseConfig({ Source: { Region: 'eu-west-1', ClusterNamePattern: 'orders' } }),
      { bundleDir: bundleDir() },
    );
    const roles = (source as Stack).node.findChild('Roles') as SourceRoles;
    // Act
    roles.lambdaRole.addToPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }),
    );
    // Assess
    expect(violations(source as Stack).join('\n')).toMatch(
      /AwsSolutions-IAM5\[Resource::arn:aws:s3:::b\/\*\]/,
    );
  });
});
