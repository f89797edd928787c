/**
 * The SDK v3 adapters of `org deploy`: the account template's upload to S3, and the StackSet with
 * service-managed permissions (create or update, its stack instances by organizational unit and region, its
 * operations). AWS's refusals become typed errors that say what to enable or where to run.
 */
import {
  type CallAs,
  type CloudFormationClient,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  DescribeStackSetCommand,
  DescribeStackSetOperationCommand,
  paginateListStackInstances,
  type StackInstanceSummary,
  type StackSet,
  type StackSetOperation,
  UpdateStackSetCommand,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ACCOUNT_TEMPLATE_CAPABILITIES, STACK_SET_ROLLOUT } from '../core/fleet/index.js';
import { isToolError, ToolError, type ToolErrorName } from '../core/model/errors.js';
import { awsErrorCode, translateAwsError } from './errors.js';

/** One stack instance of the StackSet, as `org deploy` prints it. */
export interface StackInstance {
  readonly account: string;
  readonly region: string;
  /** CURRENT, OUTDATED or INOPERABLE. */
  readonly status: string;
  /** PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, INOPERABLE, SKIPPED_SUSPENDED_ACCOUNT... */
  readonly detailedStatus?: string;
  /** Why an instance is not CURRENT (AWS's StatusReason). */
  readonly reason?: string;
  /** The organizational unit the instance was deployed for. */
  readonly organizationalUnit?: string;
}

/** A pair the StackSet targets: an organizational unit (or the root) in a region. */
export interface StackSetTarget {
  readonly organizationalUnit: string;
  readonly region: string;
}

export interface StackSetSpec {
  readonly name: string;
  readonly templateUrl: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly callAs: CallAs;
  readonly description?: string;
}

/** How long and how often an operation is waited for (shortened in tests). */
export interface OperationWait {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_OPERATION_WAIT: OperationWait = { intervalMs: 10_000, timeoutMs: 60 * 60_000 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The code of the fix a StackSet refusal needs, in the error's details (`fix`). */
export type StackSetFix =
  | 'TrustedAccessNotEnabled'
  | 'NotOrganizationAdministrator'
  | 'OrganizationalUnitNotFound';

/** Which fix a refusal of StackSets needs, from AWS's message (all are ValidationError). */
export function stackSetFix(error: unknown): StackSetFix | undefined {
  const message = String((error as { message?: unknown } | null)?.message ?? '');
  if (/enable organizations access|trusted access/i.test(message)) return 'TrustedAccessNotEnabled';
  if (
    /(management|master) (account )?or delegated admin|not (a |registered as a )?delegated admin/i.test(
      message,
    )
  ) {
    return 'NotOrganizationAdministrator';
  }
  if (
    /organizational ?units?\b.*(not (be )?found|does not exist|doesn't exist|invalid)|\bou-[a-z0-9-]+\b.*not found/i.test(
      message,
    )
  ) {
    return 'OrganizationalUnitNotFound';
  }
  return undefined;
}

/** The typed error of a failed StackSet call: the fix named when AWS says what is missing. */
export function stackSetError(
  error: unknown,
  context: {
    operation: string;
    region: string;
    stackSet: string;
    callAs?: CallAs;
    targets?: readonly string[];
  },
): ToolError {
  if (isToolError(error)) return error;
  const fix = stackSetFix(error);
  const aws = String((error as { message?: unknown } | null)?.message ?? error);
  const details = {
    operation: context.operation,
    region: context.region,
    stackSet: context.stackSet,
    awsCode: awsErrorCode(error),
    ...(fix ? { fix } : {}),
  };
  if (fix === 'TrustedAccessNotEnabled') {
    return new ToolError(
      'AccessDenied',
      `${context.operation} of StackSet ${context.stackSet} was refused: trusted access between CloudFormation StackSets and AWS Organizations is not enabled. In the management account run \`aws cloudformation activate-organizations-access\` (or enable it on the StackSets page of the CloudFormation console), then run org deploy again (${aws})`,
      { cause: error, details },
    );
  }
  if (fix === 'NotOrganizationAdministrator') {
    const asDelegated = context.callAs === 'DELEGATED_ADMIN';
    return new ToolError(
      'AccessDenied',
      `${context.operation} of StackSet ${context.stackSet} was refused: ${asDelegated ? 'this account is not a delegated administrator of StackSets (Organization.CallAs is DELEGATED_ADMIN). Register it from the management account with `aws organizations register-delegated-administrator --service-principal member.org.stacksets.cloudformation.amazonaws.com --account-id <this account>`' : 'a service-managed StackSet is operated from the management account of the organization (Organization.CallAs SELF). Run org deploy with credentials of the management account, or of a delegated administrator of StackSets with Organization.CallAs DELEGATED_ADMIN'} (${aws})`,
      { cause: error, details },
    );
  }
  if (fix === 'OrganizationalUnitNotFound') {
    return new ToolError(
      'ResourceNotFound',
      `${context.operation} of StackSet ${context.stackSet} was refused: an organizational unit of Organization.OrganizationalUnits${context.targets ? ` (${context.targets.join(', ')})` : ''} is not in this organization. Check the ids with \`aws organizations list-organizational-units-for-parent --parent-id <root id>\` (${aws})`,
      { cause: error, details },
    );
  }
  const translated = translateAwsError(error, { operation: context.operation, region: context.region });
  return new ToolError(translated.name as ToolErrorName, translated.message, {
    cause: error,
    details: { ...translated.details, stackSet: context.stackSet },
  });
}

/** The StackSet of `name`, or undefined when there is none. */
export async function describeStackSet(
  cfn: CloudFormationClient,
  name: string,
  callAs: CallAs,
): Promise<StackSet | undefined> {
  try {
    return (await cfn.send(new DescribeStackSetCommand({ StackSetName: name, CallAs: callAs }))).StackSet;
  } catch (error) {
    if (awsErrorCode(error) === 'StackSetNotFoundException') return undefined;
    throw stackSetError(error, {
      operation: 'DescribeStackSet',
      region: await regionOf(cfn),
      stackSet: name,
      callAs,
    });
  }
}

async function regionOf(client: CloudFormationClient | S3Client): Promise<string> {
  return await client.config.region();
}

const parameterList = (parameters: Readonly<Record<string, string>>) =>
  Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

/** The rollout of an operation over the units and regions (STACK_SET_ROLLOUT), as the API takes it. */
const OPERATION_PREFERENCES = {
  RegionConcurrencyType: STACK_SET_ROLLOUT.regionConcurrencyType,
  MaxConcurrentPercentage: STACK_SET_ROLLOUT.maxConcurrentPercentage,
  FailureTolerancePercentage: STACK_SET_ROLLOUT.failureTolerancePercentage,
  ConcurrencyMode: STACK_SET_ROLLOUT.concurrencyMode,
};

/** What the StackSet is, the same at its creation and at each update: service-managed, deployed automatically. */
function stackSetSettings(spec: StackSetSpec) {
  return {
    StackSetName: spec.name,
    ...(spec.description ? { Description: spec.description } : {}),
    TemplateURL: spec.templateUrl,
    Parameters: parameterList(spec.parameters),
    Capabilities: [...ACCOUNT_TEMPLATE_CAPABILITIES],
    PermissionModel: 'SERVICE_MANAGED' as const,
    // Kept on removal: an account leaving the unit keeps its stack, so nothing deletes its backups' jobs
    // behind its owners' backs; they delete it themselves.
    AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
    CallAs: spec.callAs,
  };
}

/** Creates the StackSet. */
export async function createStackSet(cfn: CloudFormationClient, spec: StackSetSpec): Promise<void> {
  try {
    await cfn.send(new CreateStackSetCommand(stackSetSettings(spec)));
  } catch (error) {
    throw stackSetError(error, {
      operation: 'CreateStackSet',
      region: await regionOf(cfn),
      stackSet: spec.name,
      callAs: spec.callAs,
    });
  }
}

/** Updates the StackSet's template and parameters (every instance); returns the operation's id. */
export async function updateStackSet(
  cfn: CloudFormationClient,
  spec: StackSetSpec,
): Promise<string | undefined> {
  try {
    const answer = await cfn.send(
      new UpdateStackSetCommand({ ...stackSetSettings(spec), OperationPreferences: OPERATION_PREFERENCES }),
    );
    return answer.OperationId;
  } catch (error) {
    throw stackSetError(error, {
      operation: 'UpdateStackSet',
      region: await regionOf(cfn),
      stackSet: spec.name,
      callAs: spec.callAs,
    });
  }
}

/** Creates the instances of `organizationalUnits` in `regions`; returns the operation's id. */
export async function createStackInstances(
  cfn: CloudFormationClient,
  name: string,
  organizationalUnits: readonly string[],
  regions: readonly string[],
  callAs: CallAs,
): Promise<string | undefined> {
  try {
    const answer = await cfn.send(
      new CreateStackInstancesCommand({
        StackSetName: name,
        DeploymentTargets: { OrganizationalUnitIds: [...organizationalUnits] },
        Regions: [...regions],
        OperationPreferences: OPERATION_PREFERENCES,
        CallAs: callAs,
      }),
    );
    return answer.OperationId;
  } catch (error) {
    throw stackSetError(error, {
      operation: 'CreateStackInstances',
      region: await regionOf(cfn),
      stackSet: name,
      callAs,
      targets: organizationalUnits,
    });
  }
}

function instanceOf(summary: StackInstanceSummary): StackInstance {
  return {
    account: summary.Account ?? '',
    region: summary.Region ?? '',
    status: summary.Status ?? 'UNKNOWN',
    ...(summary.StackInstanceStatus?.DetailedStatus
      ? { detailedStatus: summary.StackInstanceStatus.DetailedStatus }
      : {}),
    ...(summary.StatusReason ? { reason: summary.StatusReason } : {}),
    ...(summary.OrganizationalUnitId ? { organizationalUnit: summary.OrganizationalUnitId } : {}),
  };
}

/** Every stack instance of the StackSet, by account then region. */
export async function listStackInstances(
  cfn: CloudFormationClient,
  name: string,
  callAs: CallAs,
): Promise<StackInstance[]> {
  const instances: StackInstance[] = [];
  try {
    for await (const page of paginateListStackInstances(
      { client: cfn },
      { StackSetName: name, CallAs: callAs },
    )) {
      for (const summary of page.Summaries ?? []) instances.push(instanceOf(summary));
    }
  } catch (error) {
    throw stackSetError(error, {
      operation: 'ListStackInstances',
      region: await regionOf(cfn),
      stackSet: name,
      callAs,
    });
  }
  return instances.sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region));
}

/** Operations still going: a StackSet runs one at a time, so the next call waits for these. */
const UNFINISHED = new Set(['RUNNING', 'QUEUED', 'STOPPING']);

/** Waits for the operation to end; returns its status (SUCCEEDED, FAILED, STOPPED) and AWS's reason. */
export async function waitForOperation(
  cfn: CloudFormationClient,
  name: string,
  operationId: string,
  callAs: CallAs,
  wait: OperationWait = DEFAULT_OPERATION_WAIT,
): Promise<{ status: string; reason?: string }> {
  const pause = wait.sleep ?? sleep;
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    let operation: StackSetOperation | undefined;
    try {
      operation = (
        await cfn.send(
          new DescribeStackSetOperationCommand({
            StackSetName: name,
            OperationId: operationId,
            CallAs: callAs,
          }),
        )
      ).StackSetOperation;
    } catch (error) {
      throw stackSetError(error, {
        operation: 'DescribeStackSetOperation',
        region: await regionOf(cfn),
        stackSet: name,
        callAs,
      });
    }
    const status = operation?.Status ?? 'UNKNOWN';
    if (!UNFINISHED.has(status)) {
      return { status, ...(operation?.StatusReason ? { reason: operation.StatusReason } : {}) };
    }
    if (Date.now() >= deadline) {
      throw new ToolError(
        'ResourceBusy',
        `operation ${operationId} of StackSet ${name} is still ${status} after ${Math.round(wait.timeoutMs / 60_000)} minutes: follow it with \`aws cloudformation describe-stack-set-operation --stack-set-name ${name} --operation-id ${operationId}\``,
        { details: { stackSet: name, operationId, status } },
      );
    }
    await pause(wait.intervalMs);
  }
}

/** The https URL of an S3 object as CloudFormation's TemplateURL takes it. */
export function templateUrlOf(bucket: string, region: string, key: string): string {
  // Virtual-hosted style, except for a bucket name with dots, which the certificate of *.s3 does not cover.
  const path = key.split('/').map(encodeURIComponent).join('/');
  return bucket.includes('.')
    ? `https://s3.${region}.amazonaws.com/${bucket}/${path}`
    : `https://${bucket}.s3.${region}.amazonaws.com/${path}`;
}

/** Uploads the template; returns its TemplateURL. */
export async function uploadTemplate(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string,
): Promise<string> {
  const region = await regionOf(s3);
  try {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-yaml' }),
    );
  } catch (error) {
    const code = awsErrorCode(error);
    if (code === 'NoSuchBucket') {
      throw new ToolError(
        'ResourceNotFound',
        `bucket ${bucket} does not exist in ${region}: org deploy uploads the account template to the code bucket of its own region (Organization.CodeBucket) or to --template-bucket; create it or publish the bundles there first (publish --regions)`,
        { cause: error, details: { bucket, key, region } },
      );
    }
    const translated = translateAwsError(error, { operation: 'PutObject', service: 's3', region });
    throw new ToolError(
      translated.name as ToolErrorName,
      `uploading s3://${bucket}/${key}: ${translated.message}`,
      {
        cause: error,
        details: { ...translated.details, bucket, key },
      },
    );
  }
  return templateUrlOf(bucket, region, key);
}
