// The StackSets adapter where moto cannot answer as AWS does: its refusals (trusted access not enabled, not the
// management or a delegated administrator account, an unknown unit) as typed errors with the fix, an operation
// that does not end; and the pure choice of the instances a run creates.
import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  DescribeStackSetCommand,
  DescribeStackSetOperationCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createStackInstances,
  type StackInstance,
  stackSetFix,
  templateUrlOf,
  waitForOperation,
} from '../../src/aws/organization.js';
import {
  deployOrganization,
  instanceBatches,
  instanceFailed,
  uncoveredTargets,
} from '../../src/cli/organization.js';
import { parseOrgConfig } from '../../src/config/organization.js';
import { ToolError } from '../../src/core/model/errors.js';

const cfnMock = mockClient(CloudFormationClient);
const s3Mock = mockClient(S3Client);
afterEach(() => {
  cfnMock.reset();
  s3Mock.reset();
});
afterAll(() => {
  cfnMock.restore();
  s3Mock.restore();
});

const OU_A = 'ou-ab12-aaaaaaaa';
const OU_B = 'ou-ab12-bbbbbbbb';
const config = (callAs = 'SELF') =>
  parseOrgConfig({
    Organization: {
      OrganizationalUnits: [OU_A, OU_B],
      Regions: ['us-east-1', 'eu-west-1'],
      CodeBucket: 'acme-tool-{region}',
      CallAs: callAs,
    },
    Source: { ClusterNamePattern: 'ALL_CLUSTERS' },
  });

function validationError(message: string): CloudFormationServiceException {
  return new CloudFormationServiceException({
    name: 'ValidationError',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message,
  });
}

async function deployRefused(message: string, callAs = 'SELF'): Promise<ToolError> {
  s3Mock.on(PutObjectCommand).resolves({});
  cfnMock.on(DescribeStackSetCommand).rejects(
    new CloudFormationServiceException({
      name: 'StackSetNotFoundException',
      $fault: 'client',
      $metadata: {},
      message: 'not found',
    }),
  );
  cfnMock.on(CreateStackSetCommand).rejects(validationError(message));
  const error = await deployOrganization({
    config: config(callAs),
    region: 'us-east-1',
    template: 'Resources: {}',
    wait: false,
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe("StackSets' refusals", () => {
  it('say how to enable trusted access when it is not enabled', async () => {
    // Act
    const error = await deployRefused(
      'You must enable organizations access to operate a service managed stack set',
    );
    // Assess
    expect(error.name).toBe('AccessDenied');
    expect(error.details.fix).toBe('TrustedAccessNotEnabled');
    expect(error.message).toContain('aws cloudformation activate-organizations-access');
    expect(cfnMock.commandCalls(CreateStackInstancesCommand)).toHaveLength(0);
  });

  it('say where to run it from an account that is neither the management account nor a delegated administrator', async () => {
    // Act
    const self = await deployRefused(
      'You must be the management account or delegated admin account of an organization before operating a SERVICE_MANAGED stack set',
    );
    const delegated = await deployRefused(
      'You must be the master or delegated admin account of an organization before operating a SERVICE_MANAGED stack set',
      'DELEGATED_ADMIN',
    );
    // Assess
    expect(self.details.fix).toBe('NotOrganizationAdministrator');
    expect(self.message).toContain('Run org deploy with credentials of the management account');
    expect(delegated.message).toContain(
      'aws organizations register-delegated-administrator --service-principal member.org.stacksets.cloudformation.amazonaws.com',
    );
  });

  it('name the units of an instance request refused for an unknown unit', async () => {
    // Prepare
    cfnMock.on(CreateStackInstancesCommand).rejects(validationError(`OrganizationalUnit ${OU_B} not found`));
    // Act
    const error = await createStackInstances(
      new CloudFormationClient({ region: 'us-east-1' }),
      'Tool',
      [OU_A, OU_B],
      ['us-east-1'],
      'SELF',
    ).catch((e: unknown) => e);
    // Assess
    if (!(error instanceof ToolError)) throw new Error('expected a ToolError');
    expect(error.name).toBe('ResourceNotFound');
    expect(error.details.fix).toBe('OrganizationalUnitNotFound');
    expect(error.message).toContain(
      `Organization.OrganizationalUnits (${OU_A}, ${OU_B}) is not in this organization`,
    );
  });

  it('leave other faults to the usual translation', () => {
    // Act, Assess
    expect(stackSetFix(validationError('Template format error'))).toBeUndefined();
  });
});

describe('waitForOperation', () => {
  it('polls until the operation ends, and names it when it does not end in time', async () => {
    // Prepare
    const cfn = new CloudFormationClient({ region: 'us-east-1' });
    cfnMock
      .on(DescribeStackSetOperationCommand)
      .resolvesOnce({ StackSetOperation: { Status: 'RUNNING' } })
      .resolvesOnce({ StackSetOperation: { Status: 'FAILED', StatusReason: 'two accounts failed' } });
    const waits: number[] = [];
    const wait = { intervalMs: 5, timeoutMs: 60_000, sleep: async (ms: number) => void waits.push(ms) };
    // Act
    const ended = await waitForOperation(cfn, 'Tool', 'op-1', 'SELF', wait);
    cfnMock.on(DescribeStackSetOperationCommand).resolves({ StackSetOperation: { Status: 'RUNNING' } });
    const late = await waitForOperation(cfn, 'Tool', 'op-2', 'SELF', { ...wait, timeoutMs: 0 }).catch(
      (e: unknown) => e,
    );
    if (!(late instanceof ToolError)) throw new Error('expected a ToolError');
    // Assess
    expect(ended).toEqual({ status: 'FAILED', reason: 'two accounts failed' });
    expect(waits).toEqual([5]);
    expect(late.name).toBe('ResourceBusy');
    expect(late.message).toContain(
      'aws cloudformation describe-stack-set-operation --stack-set-name Tool --operation-id op-2',
    );
  });
});

describe('the instances a run creates', () => {
  const instance = (organizationalUnit: string, region: string): StackInstance => ({
    account: '111122223333',
    region,
    status: 'CURRENT',
    organizationalUnit,
  });

  it('are the units × regions not covered, grouped by the regions they lack', () => {
    // Prepare
    const instances = [instance(OU_A, 'us-east-1'), instance(OU_A, 'eu-west-1'), instance(OU_B, 'us-east-1')];
    // Act
    const targets = uncoveredTargets(config(), instances);
    // Assess
    expect(targets).toEqual([{ organizationalUnit: OU_B, region: 'eu-west-1' }]);
    expect(instanceBatches(uncoveredTargets(config(), []))).toEqual([
      { organizationalUnits: [OU_A, OU_B], regions: ['us-east-1', 'eu-west-1'] },
    ]);
    expect(
      instanceBatches([
        { organizationalUnit: OU_A, region: 'eu-west-1' },
        { organizationalUnit: OU_B, region: 'us-east-1' },
        { organizationalUnit: OU_B, region: 'eu-west-1' },
      ]),
    ).toEqual([
      { organizationalUnits: [OU_A], regions: ['eu-west-1'] },
      { organizationalUnits: [OU_B], regions: ['us-east-1', 'eu-west-1'] },
    ]);
  });

  it('count as failed when inoperable or their last operation failed', () => {
    // Act, Assess
    expect(
      instanceFailed({ ...instance(OU_A, 'us-east-1'), status: 'OUTDATED', detailedStatus: 'FAILED' }),
    ).toBe(true);
    expect(instanceFailed({ ...instance(OU_A, 'us-east-1'), status: 'INOPERABLE' })).toBe(true);
    expect(
      instanceFailed({ ...instance(OU_A, 'us-east-1'), status: 'OUTDATED', detailedStatus: 'RUNNING' }),
    ).toBe(false);
  });
});

describe('templateUrlOf', () => {
  it('is virtual-hosted, and path-style for a bucket name with dots', () => {
    // Act, Assess
    expect(templateUrlOf('acme-tool', 'eu-west-1', 'v1/templates/account-1.0.0.yaml')).toBe(
      'https://acme-tool.s3.eu-west-1.amazonaws.com/v1/templates/account-1.0.0.yaml',
    );
    expect(templateUrlOf('acme.tool', 'eu-west-1', 'a.yaml')).toBe(
      'https://s3.eu-west-1.amazonaws.com/acme.tool/a.yaml',
    );
  });
});
