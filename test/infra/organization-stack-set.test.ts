// OrganizationStackSet: the synthesized StackSet is the one org deploy makes (service-managed, automatic
// deployment, stacks retained), over the units and regions of org.yaml, with parameters the account template has.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { accountStackParameters, parseOrgConfig } from '../../src/config/organization.js';
import { ConfigError } from '../../src/core/model/errors.js';
import { OrganizationStackSet } from '../../src/infra/index.js';

const ACCOUNT_TEMPLATE = join(import.meta.dirname, '..', '..', 'cloudformation', 'account.yaml');
const TEMPLATE_URL = 'https://acme-code-us-east-1.s3.us-east-1.amazonaws.com/templates/account-1.0.0.yaml';

const ORG = {
  Organization: {
    OrganizationalUnits: ['ou-ab12-11111111', 'ou-ab12-22222222'],
    Regions: ['us-east-1', 'eu-west-1'],
    CodeBucket: 'acme-code-{region}',
    VaultAccount: '999988887777',
    StatusAccount: '111122223333',
    CallAs: 'DELEGATED_ADMIN',
  },
  Source: {
    ClusterNamePattern: 'ALL_CLUSTERS',
    ClusterTags: { backup: 'daily' },
    RetentionDays: 14,
    KeepMonthly: 12,
  },
};

function synthesize(config: unknown) {
  const stack = new Stack(new App(), 'management', { env: { account: '111122223333', region: 'us-east-1' } });
  const construct = new OrganizationStackSet(stack, 'Organization', { config, templateUrl: TEMPLATE_URL });
  return { construct, template: Template.fromStack(stack) };
}

describe('OrganizationStackSet', () => {
  it('makes the StackSet org deploy makes: service-managed, automatic deployment keeping stacks, the units and regions', () => {
    // Act
    const { template } = synthesize(ORG);

    // Assess
    template.resourceCountIs('AWS::CloudFormation::StackSet', 1);
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'AuroraSnapshotTool',
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      TemplateURL: TEMPLATE_URL,
      OperationPreferences: {
        RegionConcurrencyType: 'PARALLEL',
        MaxConcurrentPercentage: 25,
        FailureTolerancePercentage: 10,
        ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',
      },
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-11111111', 'ou-ab12-22222222'] },
          Regions: ['us-east-1', 'eu-west-1'],
        },
      ],
    });
  });

  it("passes the organization's policy as parameters of the account template, the vault as the destination account", () => {
    // Act
    const { template } = synthesize(ORG);
    const [stackSet] = Object.values(template.findResources('AWS::CloudFormation::StackSet')) as {
      Properties: { Parameters: { ParameterKey: string; ParameterValue: string }[] };
    }[];
    const passed = Object.fromEntries(
      (stackSet?.Properties.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]),
    );
    const declared = Object.keys(
      (parseYaml(readFileSync(ACCOUNT_TEMPLATE, 'utf8')) as { Parameters: Record<string, unknown> })
        .Parameters,
    );

    // Assess
    expect(passed).toEqual(accountStackParameters(parseOrgConfig(ORG)));
    expect(Object.keys(passed).filter((name) => !declared.includes(name))).toEqual([]);
    expect(passed).toMatchObject({
      ClusterNamePattern: 'ALL_CLUSTERS',
      ClusterTags: 'backup=daily',
      RetentionDays: '14',
      KeepMonthly: '12',
      DestinationAccount: '999988887777',
      CodeBucket: 'acme-code-{region}',
      StatusAccount: '111122223333',
    });
  });

  it('refuses a bad configuration at synthesis, naming the parameter and what is accepted', () => {
    // Prepare
    const bad = { ...ORG, Organization: { ...ORG.Organization, CodeBucket: 'acme-code' } };

    // Act
    const attempt = () => synthesize(bad);

    // Assess
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/Organization\.CodeBucket.*must contain \{region\}/s);
  });
});
