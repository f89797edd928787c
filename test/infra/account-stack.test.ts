// On moto's CloudFormation: account.yaml from S3 (TemplateURL) with ClusterTags reaches CREATE_COMPLETE with its functions, state machine, schedule and status reader; a `{region}` CodeBucket reads the code from each region's bucket; stacks of the templates before `{region}` update to today's with their functions kept.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Capability,
  CloudFormationClient,
  CreateStackCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  type Parameter,
  type StackResourceSummary,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../src/config/schema.js';
import { DESTINATION_FUNCTIONS, SOURCE_FUNCTIONS } from '../../src/handlers/names.js';
import { STATUS_READER_ROLE } from '../../src/infra/status-reader.js';
import { type TemplateName, templateFile } from '../../src/infra/templates/index.js';
import { evaluate } from './support/cfn-eval.js';
import { useMotoCloudFormation } from './support/moto-cloudformation.js';

const REGION = 'eu-west-1';
const CODE_BUCKET = 'snapshot-tool-code-{region}';
const CLOUDFORMATION_DIR = join(import.meta.dirname, '..', '..', 'cloudformation');
const BEFORE_DIR = join(import.meta.dirname, 'support', 'before-organization');
const STATUS_ACCOUNT = '111122223333';

// The code bucket of REGION, named as CODE_BUCKET says, holding the stand-in bundles.
const aws = useMotoCloudFormation({ region: REGION, bucket: CODE_BUCKET.replace('{region}', REGION) });
let s3: S3Client;

beforeAll(() => {
  s3 = new S3Client({ ...aws.config, forcePathStyle: true });
});

afterAll(() => s3?.destroy());

const asParameters = (values: Record<string, string>): Parameter[] =>
  Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

async function resourcesOf(client: CloudFormationClient, stackName: string): Promise<StackResourceSummary[]> {
  return (
    (await client.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ?? []
  );
}

const physicalIds = (resources: readonly StackResourceSummary[], type: string) =>
  resources.filter((r) => r.ResourceType === type).map((r) => r.PhysicalResourceId);

/** A client of another region of the same moto. */
function clientIn(region: string): CloudFormationClient {
  return new CloudFormationClient({ ...aws.config, region });
}

/** Creates (or updates) a stack of a template file, inline. */
async function deploy(
  client: CloudFormationClient,
  stackName: string,
  file: string,
  parameters: Record<string, string>,
  update = false,
) {
  const input = {
    StackName: stackName,
    TemplateBody: readFileSync(file, 'utf8'),
    Capabilities: [Capability.CAPABILITY_NAMED_IAM],
    Parameters: asParameters(parameters),
  };
  await client.send(update ? new UpdateStackCommand(input) : new CreateStackCommand(input));
  return aws.settled(stackName, client);
}

describe('account.yaml from S3, tag-selected', () => {
  it("reaches CREATE_COMPLETE with the four functions from the region's code bucket, its state machine and schedule, the status reader, and no exports", async () => {
    // Prepare: the template in S3, as a stack set takes it (TemplateURL: it is over the inline limit).
    const key = 'templates/account.yaml';
    const body = readFileSync(join(CLOUDFORMATION_DIR, templateFile('account')), 'utf8');
    const bucket = CODE_BUCKET.replace('{region}', REGION);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const parameters = {
      CodeBucket: CODE_BUCKET,
      ClusterNamePattern: 'ALL_CLUSTERS',
      ClusterTags: 'backup=daily',
      BackupSchedule: '0 3 * * ? *',
      ScheduleTimezone: 'Europe/Paris',
      StatusAccount: STATUS_ACCOUNT,
    };
    // Act
    await aws.cfn.send(
      new CreateStackCommand({
        StackName: 'aurora-snapshot-tool-account',
        TemplateURL: `https://${bucket}.s3.${REGION}.amazonaws.com/${key}`,
        Capabilities: [Capability.CAPABILITY_NAMED_IAM],
        Parameters: asParameters(parameters),
      }),
    );
    const stack = await aws.settled('aurora-snapshot-tool-account');
    const resources = await resourcesOf(aws.cfn, 'aurora-snapshot-tool-account');
    // Assess
    expect(Buffer.byteLength(body)).toBeGreaterThan(51_200);
    expect(stack?.StackStatus, stack?.StackStatusReason).toBe('CREATE_COMPLETE');
    expect(physicalIds(resources, 'AWS::Lambda::Function')).toEqual([...SOURCE_FUNCTIONS]);
    const [machine] = physicalIds(resources, 'AWS::StepFunctions::StateMachine');
    expect(machine).toContain(`:stateMachine:AuroraSnapshotTool-Source-`);
    expect(physicalIds(resources, 'AWS::IAM::Role')).toContain(STATUS_READER_ROLE(REGION));
    const outputs = Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.StateMachineArn).toBe(machine);
    expect(outputs.StatusReaderRoleArn).toContain(`:role/${STATUS_READER_ROLE(REGION)}`);
    expect((await aws.cfn.send(new ListExportsCommand({}))).Exports ?? []).toEqual([]);

    // The schedule, which moto's CloudFormation does not create: its properties as the stack resolves them.
    const template = parseYaml(body, { version: '1.1' }) as {
      Resources: Record<string, { Type: string; Properties: never }>;
    };
    const [schedule] = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::Scheduler::Schedule',
    ) as {
      Properties: { ScheduleExpression: never; ScheduleExpressionTimezone: never; Target: { Input: never } };
    }[];
    const deployment = {
      region: REGION,
      parameters: Object.fromEntries(
        (stack?.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']),
      ),
    };
    const at = (value: never) => evaluate(template, value, deployment);
    const input = JSON.parse(at(schedule?.Properties.Target.Input as never) as string) as {
      Source: Record<string, unknown>;
    };
    expect(at(schedule?.Properties.ScheduleExpression as never)).toBe('cron(0 3 * * ? *)');
    expect(at(schedule?.Properties.ScheduleExpressionTimezone as never)).toBe('Europe/Paris');
    expect(input.Source.ClusterTags).toBe('backup=daily');
    expect(parseConfig(input).Source).toMatchObject({ Region: REGION, ClusterNamePattern: 'ALL_CLUSTERS' });
  });
});

describe('{region} in CodeBucket', () => {
  const OTHER = 'eu-west-2';
  const NO_BUCKET = 'eu-north-1';
  const CONTROL = 'eu-south-1';
  let other: CloudFormationClient;
  let bucketless: CloudFormationClient;
  let control: CloudFormationClient;

  beforeAll(async () => {
    await aws.codeBucket(CODE_BUCKET.replace('{region}', OTHER), OTHER);
    other = clientIn(OTHER);
    bucketless = clientIn(NO_BUCKET);
    control = clientIn(CONTROL);
  });

  afterAll(() => {
    other?.destroy();
    bucketless?.destroy();
    control?.destroy();
  });

  it("one value serves every region: destination-lambdas and restore-drill read their code from the region's bucket, and fail where the region has none", async () => {
    // Act
    const lambdas = await deploy(
      other,
      'destination-lambdas',
      join(CLOUDFORMATION_DIR, templateFile('destination-lambdas')),
      {
        CodeBucket: CODE_BUCKET,
      },
    );
    const drill = await deploy(
      other,
      'restore-drill',
      join(CLOUDFORMATION_DIR, templateFile('restore-drill')),
      {
        CodeBucket: CODE_BUCKET,
        SnapshotPattern: '^prod-db$',
      },
    );
    // In a region with no bucket of that name the functions cannot be created (moto answers the create with
    // an error, and keeps what it made before, so the control, a name of a bucket that exists, goes to a
    // region of its own).
    const missing = await deploy(
      bucketless,
      'destination-lambdas-pattern',
      join(CLOUDFORMATION_DIR, templateFile('destination-lambdas')),
      { CodeBucket: CODE_BUCKET },
    ).then(
      (stack) => stack?.StackStatus,
      (error: Error) => error.name,
    );
    const named = await deploy(
      control,
      'destination-lambdas-named',
      join(CLOUDFORMATION_DIR, templateFile('destination-lambdas')),
      { CodeBucket: CODE_BUCKET.replace('{region}', OTHER) },
    );
    // Assess: moto's Lambda reads each function's code from S3 when it creates it (a missing bucket fails it).
    expect(lambdas?.StackStatus, lambdas?.StackStatusReason).toBe('CREATE_COMPLETE');
    expect(physicalIds(await resourcesOf(other, 'destination-lambdas'), 'AWS::Lambda::Function')).toEqual([
      ...DESTINATION_FUNCTIONS,
    ]);
    expect(drill?.StackStatus, drill?.StackStatusReason).toBe('CREATE_COMPLETE');
    expect(missing).not.toBe('CREATE_COMPLETE');
    expect(named?.StackStatus).toBe('CREATE_COMPLETE');
    // With StatusAccount empty, destination-lambdas makes no reader role.
    expect(physicalIds(await resourcesOf(other, 'destination-lambdas'), 'AWS::IAM::Role')).not.toContain(
      STATUS_READER_ROLE(OTHER),
    );
  });
});

describe('stacks of the templates before {region} and StatusAccount', () => {
  const UPGRADE = 'eu-west-3';
  const BUCKET = 'snapshot-tool-code-upgrade';
  let regional: CloudFormationClient;

  beforeAll(async () => {
    await aws.codeBucket(BUCKET, UPGRADE);
    regional = clientIn(UPGRADE);
  });

  afterAll(() => regional?.destroy());

  it.each(['source-lambdas', 'destination-lambdas'] as const)(
    "%s updates to today's template with the same parameters, every function kept",
    async (name: TemplateName) => {
      // Prepare
      if (name === 'source-lambdas') {
        const roles = await deploy(
          regional,
          'upgrade-source-roles',
          join(CLOUDFORMATION_DIR, templateFile('source-roles')),
          {},
        );
        expect(roles?.StackStatus).toBe('CREATE_COMPLETE');
      }
      const stackName = `upgrade-${name}`;
      const created = await deploy(regional, stackName, join(BEFORE_DIR, templateFile(name)), {
        CodeBucket: BUCKET,
      });
      const before = await resourcesOf(regional, stackName);
      // Act
      const updated = await deploy(
        regional,
        stackName,
        join(CLOUDFORMATION_DIR, templateFile(name)),
        { CodeBucket: BUCKET },
        true,
      );
      const after = await resourcesOf(regional, stackName);
      // Assess
      expect(created?.StackStatus).toBe('CREATE_COMPLETE');
      expect(updated?.StackStatus, updated?.StackStatusReason).toBe('UPDATE_COMPLETE');
      // moto lists a resource whose condition is false as an empty summary: only the ones it made count.
      const ids = (resources: StackResourceSummary[]) =>
        resources
          .filter((r) => r.LogicalResourceId)
          .map((r) => `${r.LogicalResourceId} ${r.PhysicalResourceId}`)
          .sort();
      expect(ids(after)).toEqual(ids(before));
    },
  );
});
